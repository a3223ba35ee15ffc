package io.github.taniumroutes.threatresponse;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.taniumroutes.investigation.Investigation;
import io.github.taniumroutes.investigation.InvestigationFlows;
import io.github.taniumroutes.investigation.InvestigationProgress;
import io.github.taniumroutes.investigation.PlanStep;
import io.github.taniumroutes.investigation.Target;
import io.github.taniumroutes.tanium.TaniumErrors;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/**
 * What each Threat Response reply means for a snapshot step (routes/snapshot.yaml): the next phase,
 * another wait, or an outcome. The step's state keeps {@code connectionId}, {@code snapshotTaskId},
 * {@code snapshotRequestedAt} and {@code connectedAt}; they are also in its result.
 *
 * <p>Outcomes: {@code completed}; {@code connection_timeout} and {@code connection_disconnected}
 * (Tanium's own statuses); {@code snapshot_failed} (task FAILED); {@code interrupted} (the instance
 * stopped after asking for a snapshot and before the reply was journaled: it is not asked for again);
 * and the engine's {@code expired} and {@code tanium_error}.
 */
@Singleton
@Named("threatResponseSteps")
public class ThreatResponseSteps {

    static final String CONNECTION_ID = "connectionId";
    static final String TASK_ID = "snapshotTaskId";
    static final String REQUESTED_AT = "snapshotRequestedAt";

    private final ObjectMapper mapper;
    private final InvestigationProgress progress;
    /** Whether a step type works over the live connection (a {@link LiveConnectionFlow}). */
    private final Predicate<String> overLiveConnection;
    private final Clock clock;

    @Inject
    public ThreatResponseSteps(ObjectMapper mapper, InvestigationProgress progress, InvestigationFlows flows) {
        this(mapper, progress, type -> flows.of(type) instanceof LiveConnectionFlow, Clock.systemUTC());
    }

    public ThreatResponseSteps(ObjectMapper mapper, InvestigationProgress progress, Clock clock) {
        this(mapper, progress, "snapshot"::equals, clock);
    }

    public ThreatResponseSteps(ObjectMapper mapper, InvestigationProgress progress, Predicate<String> overLiveConnection, Clock clock) {
        this.mapper = mapper;
        this.progress = progress;
        this.overLiveConnection = overLiveConnection;
        this.clock = clock;
    }

    /**
     * Whether the ended step keeps the endpoint's live connection for the next step of its plan instead of
     * giving it back: the next step works over the same connection and will run (this step did not fail, or
     * the plan goes on after it), and the connection was opened. That step's own clean-up gives it back.
     */
    public boolean keptForNextStep(Investigation investigation) {
        List<PlanStep> plan = investigation.getRequest().steps();
        int next = investigation.getStepNumber();
        if (next >= plan.size() || investigation.session(SnapshotFlow.LIVE_CONNECTION) == null) {
            return false;
        }
        if (investigation.getCurrent().isFailed() && !investigation.getPlanned().continueOnFailure()) {
            return false;
        }
        return overLiveConnection.test(plan.get(next).type());
    }

    /** {@code POST /conns/connect}'s body: the target as Tanium knows the endpoint. */
    public String connectBody(Investigation investigation) {
        Target target = investigation.getTarget();
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("clientId", target.clientId());
        fields.put("hostname", target.hostname());
        fields.put("ip", target.ip());
        fields.put("platform", target.platform());
        fields.values().removeIf(v -> v == null);
        try {
            return mapper.writeValueAsString(Map.of("target", fields));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the connect request", e);
        }
    }

    /** The endpoint's connection, as the shared list shows it (null: not listed yet). */
    public void connectionSeen(Investigation investigation, LiveConnection seen, String snapshotDeadline) {
        progress.polled(investigation, "connection");
        String status = seen == null ? "waiting" : seen.status();
        if (seen != null) {
            progress.remember(investigation, CONNECTION_ID, seen.id());
        }
        switch (status) {
            case "connected" -> {
                progress.remember(investigation, "connectedAt", Instant.ofEpochMilli(clock.millis()).toString());
                progress.moveTo(investigation, "request-snapshot", snapshotDeadline);
            }
            case "timeout" -> progress.fail(investigation, "connection_timeout", seen.describe("Tanium reports the connection timed out"));
            case "disconnected" -> progress.fail(investigation, "connection_disconnected", seen.describe("the live connection was closed"));
            default -> progress.waitOrExpire(investigation, "no live connection to the endpoint within the connect deadline");
        }
    }

    /** The snapshot task, as {@code GET /tasks/{id}} reports it. */
    public void taskSeen(Investigation investigation, ThreatResponseReplies.Task task) {
        progress.polled(investigation, "task");
        switch (task.status()) {
            case "COMPLETED" -> {
                progress.report(investigation, "snapshot", task.results());
                progress.complete(investigation);
            }
            case "FAILED" -> progress.fail(investigation, "snapshot_failed",
                    task.error() == null ? "Threat Response reports the snapshot task failed" : "snapshot task failed: " + task.error());
            default -> progress.waitOrExpire(investigation, "the snapshot task did not finish within the snapshot deadline");
        }
    }

    /** Journaled before the snapshot is asked for: an unknown reply is never re-sent. */
    public void snapshotRequested(Investigation investigation) {
        progress.remember(investigation, REQUESTED_AT, Instant.ofEpochMilli(clock.millis()).toString());
    }

    public void snapshotStarted(Investigation investigation, String taskId) {
        progress.remember(investigation, TASK_ID, taskId);
        progress.moveTo(investigation, "await-snapshot");
    }

    /**
     * The snapshot request failed. When Tanium certainly took no snapshot (it refused the request, or was
     * never asked) the mark goes, and a later attempt may ask again; otherwise it stays, and the step will
     * not ask a second time.
     */
    public void snapshotRefused(Investigation investigation, Exception refusal) throws Exception {
        if (TaniumErrors.nothingDone(refusal)) {
            progress.remember(investigation, REQUESTED_AT, null);
        }
        throw refusal;
    }

    /** True when a snapshot was asked for but its reply never journaled: asking again could take a second one. */
    public boolean snapshotOutcomeUnknown(Investigation investigation) {
        if (investigation.getState().containsKey(REQUESTED_AT) && !investigation.getState().containsKey(TASK_ID)) {
            progress.fail(investigation, "interrupted", "the snapshot was asked for and no answer was seen (the instance stopped, "
                    + "or Tanium did not answer); it is not asked for again, to avoid a second snapshot");
            return true;
        }
        return false;
    }
}
