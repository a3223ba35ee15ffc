package io.github.taniumroutes.investigation;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * One investigation as journaled to the compacted state topic: which step it is in, the deadline of
 * that step, and every Tanium id obtained so far. A step that changes any of these is journaled before
 * the next step runs, so a restarted instance continues from the ids instead of asking Tanium again.
 *
 * <p>Steps: {@code connect} → {@code await-connection} → {@code request-snapshot} →
 * {@code await-snapshot} → {@code release} → {@code done}. Any failure moves to {@code release} with
 * an outcome, so the live connection is always given back.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public final class Investigation {

    public static final int SCHEMA_VERSION = 1;
    public static final String CONNECT = "connect";
    public static final String AWAIT_CONNECTION = "await-connection";
    public static final String REQUEST_SNAPSHOT = "request-snapshot";
    public static final String AWAIT_SNAPSHOT = "await-snapshot";
    public static final String RELEASE = "release";
    public static final String DONE = "done";

    private int schemaVersion = SCHEMA_VERSION;
    private InvestigationRequest request;
    private int partition = -1;
    private String step;
    private String outcome;
    private String reason;
    private String connectionId;
    private String snapshotTaskId;
    /** Set (and journaled) just before the snapshot is requested: an unknown reply is never re-sent. */
    private boolean snapshotRequested;
    private JsonNode snapshot;
    private long acceptedAt;
    private long stepStartedAt;
    private long stepDeadline;
    private Long connectedAt;
    private Long finishedAt;
    private int connectionPolls;
    private int taskPolls;
    private int taniumCalls;

    // Not journaled: a resumed investigation starts its waits short again.
    @JsonIgnore
    private int stepPolls;
    @JsonIgnore
    private long nextDelayMs;
    @JsonIgnore
    private boolean dirty;

    Investigation() {
        // for Jackson
    }

    public static Investigation accepted(InvestigationRequest request, int partition, long now) {
        Investigation investigation = new Investigation();
        investigation.request = request;
        investigation.partition = partition;
        investigation.acceptedAt = now;
        investigation.moveTo(CONNECT, now, request.connectDeadlineMs());
        return investigation;
    }

    /** Enters {@code next}, with a deadline {@code deadlineMs} from now; runs it without waiting. */
    public void moveTo(String next, long now, long deadlineMs) {
        step = next;
        stepStartedAt = now;
        stepDeadline = now + deadlineMs;
        stepPolls = 0;
        nextDelayMs = 0;
        dirty = true;
    }

    /** Not ready yet: poll again after the schedule's next interval. */
    public void waitAgain(PollSchedule schedule) {
        nextDelayMs = schedule.delayAfter(stepPolls);
        stepPolls++;
    }

    public boolean pastDeadline(long now) {
        return now > stepDeadline;
    }

    /** Ends the investigation with {@code outcome}; the connection is released next. */
    public void finish(String finalOutcome, String why, long now) {
        outcome = finalOutcome;
        reason = why;
        moveTo(RELEASE, now, 0);
    }

    public void released(long now) {
        step = DONE;
        finishedAt = now;
        nextDelayMs = 0;
        dirty = true;
    }

    public void connected(String finalConnectionId, long now, long snapshotDeadlineMs) {
        connectionId = finalConnectionId;
        connectedAt = now;
        moveTo(REQUEST_SNAPSHOT, now, snapshotDeadlineMs);
    }

    public void markSnapshotRequested() {
        snapshotRequested = true;
        dirty = true;
    }

    public void awaitConnection(long now) {
        moveTo(AWAIT_CONNECTION, now, request.connectDeadlineMs());
    }

    public void snapshotStarted(String taskId, long now) {
        snapshotTaskId = taskId;
        moveTo(AWAIT_SNAPSHOT, now, stepDeadline - now);
    }

    public void snapshotCompleted(JsonNode results, long now) {
        snapshot = results;
        finish("completed", null, now);
    }

    public void connectionPolled() {
        connectionPolls++;
    }

    public void taskPolled() {
        taskPolls++;
    }

    public void taniumCalled(int calls) {
        taniumCalls += calls;
    }

    /** Called once the state is on Kafka. */
    public void journaled() {
        dirty = false;
    }

    public void adoptConnection(String id) {
        if (id != null && !id.equals(connectionId)) {
            connectionId = id;
            dirty = true;
        }
    }

    // ---- read by the routes (Camel's simple language) and the beans ----

    public String getId() {
        return request.investigationId();
    }

    public InvestigationRequest getRequest() {
        return request;
    }

    public Target getTarget() {
        return request.target();
    }

    public String getServer() {
        return request.server();
    }

    public int getPartition() {
        return partition;
    }

    public String getStep() {
        return step;
    }

    public boolean isActive() {
        return !DONE.equals(step);
    }

    public String getOutcome() {
        return outcome;
    }

    public String getReason() {
        return reason;
    }

    public String getConnectionId() {
        return connectionId;
    }

    public String getSnapshotTaskId() {
        return snapshotTaskId;
    }

    public boolean isSnapshotRequested() {
        return snapshotRequested;
    }

    public JsonNode getSnapshot() {
        return snapshot;
    }

    public long getAcceptedAt() {
        return acceptedAt;
    }

    public long getStepStartedAt() {
        return stepStartedAt;
    }

    public long getStepDeadline() {
        return stepDeadline;
    }

    public Long getConnectedAt() {
        return connectedAt;
    }

    public Long getFinishedAt() {
        return finishedAt;
    }

    public int getConnectionPolls() {
        return connectionPolls;
    }

    public int getTaskPolls() {
        return taskPolls;
    }

    public int getTaniumCalls() {
        return taniumCalls;
    }

    public long getNextDelayMs() {
        return nextDelayMs;
    }

    public boolean isDirty() {
        return dirty;
    }

    @Override
    public String toString() {
        // Never the alert: ids and progress only, for logs.
        return "investigation " + getId() + " (alert " + request.alertId() + ", " + step
                + (outcome == null ? "" : ", " + outcome) + ")";
    }
}
