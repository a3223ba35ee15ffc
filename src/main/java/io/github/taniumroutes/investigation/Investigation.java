package io.github.taniumroutes.investigation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One investigation as journaled to the compacted state topic: its plan (the rule's long steps), the
 * step it is in and that step's phase and deadline, each step's outcome and small state, and the
 * endpoint sessions it holds. It knows no flow: a flow's phases are its own routes, and what they
 * keep between phases is the step's state map. A phase that changes any of this is journaled before
 * the next phase runs, so a restarted instance continues where the journal says.
 *
 * <p>A step runs phase by phase until it ends with an outcome; the engine then runs its flow's
 * clean-up, publishes its result and moves to the next step, or to {@code done}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public final class Investigation {

    public static final int SCHEMA_VERSION = 2;
    public static final String DONE = "done";

    private int schemaVersion = SCHEMA_VERSION;
    private InvestigationRequest request;
    private int partition = -1;
    private int stepIndex;
    private String phase;
    private List<StepState> steps = new ArrayList<>();
    /** Set when a failed step stops the plan: the steps after it are skipped. */
    private String stoppedBy;
    private long acceptedAt;
    private long phaseStartedAt;
    private long phaseDeadline;
    private Long finishedAt;
    private int taniumCalls;
    /** Endpoint sessions held (kind → session id; empty while joined and not yet known). */
    private Map<String, String> sessions = new LinkedHashMap<>();

    // Not journaled: a resumed investigation starts its waits short again.
    @JsonIgnore
    private int phasePolls;
    @JsonIgnore
    private long nextDelayMs;
    @JsonIgnore
    private boolean dirty;

    Investigation() {
        // for Jackson
    }

    /** A new investigation for the request; its first step has not begun (see {@link InvestigationProgress#begin}). */
    public static Investigation accepted(InvestigationRequest request, int partition, long now) {
        Investigation investigation = new Investigation();
        investigation.request = request;
        investigation.partition = partition;
        investigation.acceptedAt = now;
        request.steps().forEach(step -> investigation.steps.add(new StepState(step.type())));
        investigation.dirty = true;
        return investigation;
    }

    /** Schema 1 records (release 0.1) are read into this shape by {@link JournalUpgrade}. */
    static Investigation upgraded(InvestigationRequest request, int partition, long acceptedAt, StepState only, String phase,
            long phaseStartedAt, long phaseDeadline, Long finishedAt, int taniumCalls, Map<String, String> sessions) {
        Investigation investigation = new Investigation();
        investigation.request = request;
        investigation.partition = partition;
        investigation.acceptedAt = acceptedAt;
        investigation.steps.add(only);
        investigation.phase = phase;
        investigation.phaseStartedAt = phaseStartedAt;
        investigation.phaseDeadline = phaseDeadline;
        investigation.finishedAt = finishedAt;
        investigation.taniumCalls = taniumCalls;
        investigation.sessions.putAll(sessions);
        return investigation;
    }

    // ---- changed by the engine (InvestigationProgress) ----

    void enter(String next, long now, long deadline) {
        phase = next;
        phaseStartedAt = now;
        phaseDeadline = deadline;
        phasePolls = 0;
        nextDelayMs = 0;
        dirty = true;
    }

    void waitAgain(PollSchedule schedule) {
        nextDelayMs = schedule.delayAfter(phasePolls);
        phasePolls++;
    }

    /** The current step has ended; its clean-up and result come next, without waiting. */
    void markStepEnded() {
        nextDelayMs = 0;
        dirty = true;
    }

    void nextStep() {
        stepIndex++;
        phase = null;
        dirty = true;
    }

    void stop(String why) {
        stoppedBy = why;
    }

    void done(long now) {
        phase = DONE;
        finishedAt = now;
        nextDelayMs = 0;
        dirty = true;
    }

    void changed() {
        dirty = true;
    }

    void taniumCalled(int calls) {
        taniumCalls += calls;
        current().called(calls);
    }

    /** Called once the state is on Kafka. */
    void journaled() {
        dirty = false;
    }

    Map<String, String> sessions() {
        return sessions;
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

    /** The current step, or the last one once the investigation is done. */
    public StepState current() {
        return steps.get(Math.min(stepIndex, steps.size() - 1));
    }

    public StepState getCurrent() {
        return current();
    }

    /** The current step's type: its flow's routes are direct:<type>-<phase>. */
    public String getStepType() {
        return current().getType();
    }

    /** The current step's position in the plan, from 1. */
    public int getStepNumber() {
        return Math.min(stepIndex, steps.size() - 1) + 1;
    }

    public PlanStep getPlanned() {
        return request.steps().get(Math.min(stepIndex, steps.size() - 1));
    }

    /** The current step's parameters, as the policy planned them. */
    public Map<String, Object> getParameters() {
        return getPlanned().parameters();
    }

    /** The current step's flow state: what its phases keep between them (Tanium ids, flags). */
    public Map<String, String> getState() {
        return current().getState();
    }

    public List<StepState> getSteps() {
        return steps;
    }

    int stepIndex() {
        return stepIndex;
    }

    String stoppedBy() {
        return stoppedBy;
    }

    public String getPhase() {
        return phase;
    }

    public boolean isActive() {
        return !DONE.equals(phase);
    }

    /** The current step is past its phases: its clean-up and result are due. */
    public boolean isStepEnded() {
        return isActive() && current().isEnded();
    }

    /** The current step has a phase to run. */
    public boolean isStepRunning() {
        return isActive() && phase != null && !current().isEnded();
    }

    /** The current step's outcome (null while it runs). */
    public String getOutcome() {
        return current().getOutcome();
    }

    public String getReason() {
        return current().getReason();
    }

    /** The id of the endpoint session of this kind this investigation holds, or null. */
    public String session(String kind) {
        String id = sessions.get(kind);
        return id == null || id.isEmpty() ? null : id;
    }

    public boolean holdsSession(String kind) {
        return sessions.containsKey(kind);
    }

    public long getAcceptedAt() {
        return acceptedAt;
    }

    public long getPhaseStartedAt() {
        return phaseStartedAt;
    }

    public long getPhaseDeadline() {
        return phaseDeadline;
    }

    public Long getFinishedAt() {
        return finishedAt;
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

    public int getSchemaVersion() {
        return schemaVersion;
    }

    @Override
    public String toString() {
        // Never the alert: ids and progress only, for logs.
        return "investigation " + getId() + " (alert " + request.alertId() + ", step " + getStepNumber() + " " + getStepType()
                + (phase == null ? "" : " " + phase) + (getOutcome() == null ? "" : ", " + getOutcome()) + ")";
    }
}
