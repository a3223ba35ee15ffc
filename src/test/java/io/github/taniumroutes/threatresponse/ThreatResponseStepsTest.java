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
    void anEndpointWithoutAComputerIdCannotBeConnectedTo() {
        SnapshotFlow flow = new SnapshotFlow();
        assertThat(flow.cannotRunOn(new io.github.taniumroutes.investigation.Target(null, "h", null, null, "1003"))).contains("computerID");
        assertThat(flow.cannotRunOn(new io.github.taniumroutes.investigation.Target("9065203", "h", null, null, "1003"))).isNull();
    }
}
