package io.github.taniumroutes.threatresponse;

import io.github.taniumroutes.investigation.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.taniumroutes.investigation.Investigation;
import io.github.taniumroutes.investigation.InvestigationProgress;
import io.github.taniumroutes.investigation.Investigations;
import org.junit.jupiter.api.Test;

/** What each Threat Response reply does to a snapshot step: next phase, wait, or outcome. */
class ThreatResponseStepsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final MutableClock clock = new MutableClock(0);
    private final InvestigationProgress progress = Investigations.progress(clock);
    private final ThreatResponseSteps steps = new ThreatResponseSteps(MAPPER, progress, clock);

    private Investigation awaitingConnection() {
        Investigation investigation = Investigations.begun("a1", "1003", progress, clock.millis);
        progress.moveTo(investigation, "await-connection", "PT10M");
        return investigation;
    }

    private Investigation connected() {
        Investigation investigation = awaitingConnection();
        steps.connectionSeen(investigation, new LiveConnection("c1", "connected", "1003", "42", "t", null), "PT30M");
        return investigation;
    }

    @Test
    void connectBodyNamesTheTargetAsTaniumKnowsIt() throws Exception {
        assertThat(MAPPER.readTree(steps.connectBody(Investigations.on("a1", "1003"))))
                .isEqualTo(MAPPER.readTree("{\"target\":{\"clientId\":\"1003\",\"hostname\":\"host-1003\",\"ip\":\"10.0.0.4\","
                        + "\"platform\":\"Windows\"}}"));
    }

    @Test
    void waitingWaitsLongerEachTimeThenConnectedMovesOnWithTheFinalId() {
        Investigation investigation = awaitingConnection();

        steps.connectionSeen(investigation, null, "PT30M");
        assertThat(investigation.getNextDelayMs()).isEqualTo(100);
        steps.connectionSeen(investigation, new LiveConnection("remote:undefined:1:", "waiting", "1003", "42", "t", null), "PT30M");
        assertThat(investigation.getNextDelayMs()).isEqualTo(200);
        assertThat(investigation.getPhase()).isEqualTo("await-connection");

        clock.millis = 5_000;
        steps.connectionSeen(investigation, new LiveConnection("remote:host-1003:1:e", "connected", "1003", "42", "t", null), "PT30M");
        assertThat(investigation.getPhase()).isEqualTo("request-snapshot");
        assertThat(investigation.getPhaseDeadline()).as("the snapshot deadline starts at the connection").isEqualTo(5_000 + 1_800_000);
        assertThat(investigation.getState()).containsEntry("connectionId", "remote:host-1003:1:e")
                .containsEntry("connectedAt", "1970-01-01T00:00:05Z");
        assertThat(investigation.getNextDelayMs()).as("the next phase runs at once").isZero();
        assertThat(investigation.getCurrent().getPolls()).containsEntry("connection", 3);
        assertThat(investigation.isDirty()).isTrue();
    }

    @Test
    void taniumsTimeoutAndDisconnectEndTheStepWithTheirMessage() {
        Investigation timedOut = awaitingConnection();
        steps.connectionSeen(timedOut, new LiveConnection("c", "timeout", "1003", "42", "t", "Connection timed out"), "PT30M");
        assertThat(timedOut.getOutcome()).isEqualTo("connection_timeout");
        assertThat(timedOut.getReason()).isEqualTo("Tanium reports the connection timed out: Connection timed out");
        assertThat(timedOut.isStepEnded()).as("clean-up and result next").isTrue();
        assertThat(timedOut.getCurrent().isFailed()).isTrue();

        Investigation closed = awaitingConnection();
        steps.connectionSeen(closed, new LiveConnection("c", "disconnected", "1003", "42", "t", ""), "PT30M");
        assertThat(closed.getOutcome()).isEqualTo("connection_disconnected");
    }

    @Test
    void aConnectionThatNeverComesUpExpiresAtTheConnectDeadline() {
        Investigation investigation = awaitingConnection();
        clock.millis = 600_000;
        steps.connectionSeen(investigation, null, "PT30M");
        assertThat(investigation.getOutcome()).isNull();

        clock.millis = 600_001;
        steps.connectionSeen(investigation, null, "PT30M");
        assertThat(investigation.getOutcome()).isEqualTo("expired");
        assertThat(investigation.getReason()).isEqualTo("no live connection to the endpoint within the connect deadline");
    }

    @Test
    void snapshotTaskCompletesFailsOrExpires() throws Exception {
        Investigation investigation = connected();
        steps.snapshotRequested(investigation);
        steps.snapshotStarted(investigation, "77");
        assertThat(investigation.getPhase()).isEqualTo("await-snapshot");
        assertThat(investigation.getState()).containsEntry("snapshotTaskId", "77");

        steps.taskSeen(investigation, new ThreatResponseReplies.Task("STARTED", null, null));
        assertThat(investigation.getNextDelayMs()).isEqualTo(100);
        steps.taskSeen(investigation, new ThreatResponseReplies.Task("COMPLETED", MAPPER.readTree("{\"uuid\":\"u\"}"), null));
        assertThat(investigation.getOutcome()).isEqualTo("completed");
        assertThat(investigation.getCurrent().getDetails().get("snapshot")).isEqualTo(MAPPER.readTree("{\"uuid\":\"u\"}"));
        assertThat(investigation.getState()).as("the payload is not journaled").doesNotContainKey("snapshot");
        assertThat(investigation.getCurrent().getPolls()).containsEntry("task", 2);

        Investigation failing = connected();
        steps.snapshotStarted(failing, "78");
        steps.taskSeen(failing, new ThreatResponseReplies.Task("FAILED", null, "disk full"));
        assertThat(failing.getOutcome()).isEqualTo("snapshot_failed");
        assertThat(failing.getReason()).isEqualTo("snapshot task failed: disk full");

        Investigation slow = connected();
        steps.snapshotStarted(slow, "79");
        clock.millis += 1_800_001;
        steps.taskSeen(slow, new ThreatResponseReplies.Task("STARTED", null, null));
        assertThat(slow.getOutcome()).isEqualTo("expired");
    }

    @Test
    void aSnapshotAskedForButNeverJournaledIsNotAskedAgain() {
        Investigation investigation = connected();
        assertThat(steps.snapshotOutcomeUnknown(investigation)).isFalse();

        steps.snapshotRequested(investigation);
        assertThat(steps.snapshotOutcomeUnknown(investigation)).isTrue();
        assertThat(investigation.getOutcome()).isEqualTo("interrupted");
        assertThat(investigation.isStepEnded()).isTrue();
    }

    @Test
    void aStepKeepsItsLiveConnectionOnlyForANextStepThatWorksOverItAndWillRun() {
        var fileEvidence = new io.github.taniumroutes.investigation.InvestigationFlow() {
            public String type() {
                return "file-evidence";
            }

            public java.util.Set<String> parameters() {
                return java.util.Set.of();
            }

            public String firstPhase() {
                return "check";
            }
        };
        InvestigationProgress engine = Investigations.progress(clock, Investigations.SNAPSHOT, fileEvidence, Investigations.PROBE);
        ThreatResponseSteps keeping = new ThreatResponseSteps(MAPPER, engine, java.util.Set.of("snapshot", "file-evidence")::contains, clock);
        io.github.taniumroutes.investigation.EndpointSessions sessions = new io.github.taniumroutes.investigation.EndpointSessions(clock);
        java.util.function.BiFunction<io.github.taniumroutes.investigation.PlanStep[], Boolean, Investigation> ended = (plan, failed) -> {
            Investigation investigation = Investigation.accepted(Investigations.request("a-" + plan.length + failed, "1003", plan), 0, 0);
            engine.begin(investigation);
            sessions.join(investigation, SnapshotFlow.LIVE_CONNECTION);
            sessions.requested(investigation, SnapshotFlow.LIVE_CONNECTION, "remote:host-1003:1003:1");
            if (failed) {
                engine.fail(investigation, "connection_timeout", "timed out");
            } else {
                engine.complete(investigation);
            }
            return investigation;
        };
        var snapshot = Investigations.step("snapshot");
        var evidence = Investigations.step("file-evidence");

        assertThat(keeping.keptForNextStep(ended.apply(new io.github.taniumroutes.investigation.PlanStep[] {snapshot, evidence}, false)))
                .as("a snapshot, then file evidence over the same connection").isTrue();
        assertThat(keeping.keptForNextStep(ended.apply(new io.github.taniumroutes.investigation.PlanStep[] {snapshot, evidence}, true)))
                .as("the plan stops at the failed step: nothing would give it back").isFalse();
        assertThat(keeping.keptForNextStep(ended.apply(new io.github.taniumroutes.investigation.PlanStep[] {
                Investigations.goingOnAfterFailure("snapshot"), evidence}, true))).as("the plan goes on after it").isTrue();
        assertThat(keeping.keptForNextStep(ended.apply(new io.github.taniumroutes.investigation.PlanStep[] {snapshot,
                Investigations.step("probe"), evidence}, false))).as("only for the very next step").isFalse();
        assertThat(keeping.keptForNextStep(ended.apply(new io.github.taniumroutes.investigation.PlanStep[] {snapshot}, false)))
                .as("the last step").isFalse();
        Investigation neverOpened = Investigation.accepted(Investigations.request("b", "1003", snapshot, evidence), 0, 0);
        engine.begin(neverOpened);
        engine.complete(neverOpened);
        assertThat(keeping.keptForNextStep(neverOpened)).as("no connection to keep").isFalse();
    }

    @Test
    void anEndpointWithoutAComputerIdCannotBeConnectedTo() {
        SnapshotFlow flow = new SnapshotFlow();
        assertThat(flow.cannotRunOn(new io.github.taniumroutes.investigation.Target(null, "h", null, null, "1003"))).contains("computerID");
        assertThat(flow.cannotRunOn(new io.github.taniumroutes.investigation.Target("9065203", "h", null, null, "1003"))).isNull();
    }
}
