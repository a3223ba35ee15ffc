package io.github.taniumroutes.threatresponse;

import static org.assertj.core.api.Assertions.assertThat;


import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.taniumroutes.investigation.Investigation;
import io.github.taniumroutes.investigation.Investigations;
import io.github.taniumroutes.investigation.PollSchedule;
import org.junit.jupiter.api.Test;

/** What each Threat Response reply does to an investigation: next step, wait, or outcome. */
class ThreatResponseStepsTest {


    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final TestClock clock = new TestClock(0);
    private final ThreatResponseSteps steps = new ThreatResponseSteps(MAPPER, new PollSchedule(100, 2, 1000), clock);

    private Investigation awaitingConnection() {
        Investigation investigation = Investigations.on("a1", "1003", clock.millis);
        steps.awaitConnection(investigation);
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

        steps.connectionSeen(investigation, null);
        assertThat(investigation.getNextDelayMs()).isEqualTo(100);
        steps.connectionSeen(investigation, new LiveConnection("remote:undefined:1:", "waiting", "1003", "42", "t", null));
        assertThat(investigation.getNextDelayMs()).isEqualTo(200);
        assertThat(investigation.getStep()).isEqualTo(Investigation.AWAIT_CONNECTION);

        clock.millis = 5_000;
        steps.connectionSeen(investigation, new LiveConnection("remote:host-1003:1:e", "connected", "1003", "42", "t", null));
        assertThat(investigation.getStep()).isEqualTo(Investigation.REQUEST_SNAPSHOT);
        assertThat(investigation.getConnectionId()).isEqualTo("remote:host-1003:1:e");
        assertThat(investigation.getConnectedAt()).isEqualTo(5_000);
        assertThat(investigation.getNextDelayMs()).as("the next step runs at once").isZero();
        assertThat(investigation.getConnectionPolls()).isEqualTo(3);
        assertThat(investigation.isDirty()).isTrue();
    }

    @Test
    void taniumsTimeoutAndDisconnectEndTheInvestigationWithTheirMessage() {
        Investigation timedOut = awaitingConnection();
        steps.connectionSeen(timedOut, new LiveConnection("c", "timeout", "1003", "42", "t", "Connection timed out"));
        assertThat(timedOut.getOutcome()).isEqualTo("connection_timeout");
        assertThat(timedOut.getReason()).isEqualTo("Tanium reports the connection timed out: Connection timed out");
        assertThat(timedOut.getStep()).as("the connection is released next").isEqualTo(Investigation.RELEASE);

        Investigation closed = awaitingConnection();
        steps.connectionSeen(closed, new LiveConnection("c", "disconnected", "1003", "42", "t", ""));
        assertThat(closed.getOutcome()).isEqualTo("connection_disconnected");
    }

    @Test
    void aConnectionThatNeverComesUpExpiresAtTheDeadline() {
        Investigation investigation = awaitingConnection();
        clock.millis = 600_000;
        steps.connectionSeen(investigation, null);
        assertThat(investigation.getOutcome()).isNull();

        clock.millis = 600_001;
        steps.connectionSeen(investigation, null);
        assertThat(investigation.getOutcome()).isEqualTo("expired");
        assertThat(investigation.getReason()).isEqualTo("no live connection to the endpoint within 600 s");
    }

    @Test
    void snapshotTaskCompletesFailsOrExpires() throws Exception {
        Investigation investigation = awaitingConnection();
        steps.connectionSeen(investigation, new LiveConnection("c1", "connected", "1003", "42", "t", null));
        steps.snapshotRequested(investigation);
        steps.snapshotStarted(investigation, "77");
        assertThat(investigation.getStep()).isEqualTo(Investigation.AWAIT_SNAPSHOT);

        steps.taskSeen(investigation, new ThreatResponseReplies.Task("STARTED", null, null));
        assertThat(investigation.getNextDelayMs()).isEqualTo(100);
        steps.taskSeen(investigation, new ThreatResponseReplies.Task("COMPLETED", MAPPER.readTree("{\"uuid\":\"u\"}"), null));
        assertThat(investigation.getOutcome()).isEqualTo("completed");
        assertThat(investigation.getSnapshot().path("uuid").asText()).isEqualTo("u");
        assertThat(investigation.getTaskPolls()).isEqualTo(2);

        Investigation failing = awaitingConnection();
        steps.connectionSeen(failing, new LiveConnection("c1", "connected", "1003", "42", "t", null));
        steps.snapshotStarted(failing, "78");
        steps.taskSeen(failing, new ThreatResponseReplies.Task("FAILED", null, "disk full"));
        assertThat(failing.getOutcome()).isEqualTo("snapshot_failed");
        assertThat(failing.getReason()).isEqualTo("snapshot task failed: disk full");

        Investigation slow = awaitingConnection();
        steps.connectionSeen(slow, new LiveConnection("c1", "connected", "1003", "42", "t", null));
        steps.snapshotStarted(slow, "79");
        clock.millis += 1_800_001;
        steps.taskSeen(slow, new ThreatResponseReplies.Task("STARTED", null, null));
        assertThat(slow.getOutcome()).isEqualTo("expired");
    }

    @Test
    void aSnapshotAskedForButNeverJournaledIsNotAskedAgain() {
        Investigation investigation = awaitingConnection();
        steps.connectionSeen(investigation, new LiveConnection("c1", "connected", "1003", "42", "t", null));
        assertThat(steps.snapshotOutcomeUnknown(investigation)).isFalse();

        steps.snapshotRequested(investigation);
        assertThat(steps.snapshotOutcomeUnknown(investigation)).isTrue();
        assertThat(investigation.getOutcome()).isEqualTo("interrupted");
        assertThat(investigation.getStep()).isEqualTo(Investigation.RELEASE);
    }

    @Test
    void idsArePathSegmentsNeverPathsOrQueries() {
        Investigation investigation = awaitingConnection();
        steps.connectionSeen(investigation, new LiveConnection("remote:host/../x?y#z:1:", "connected", "1003", "42", "t", null));
        assertThat(steps.snapshotPath(investigation)).isEqualTo("/conns/remote:host%2F..%2Fx%3Fy%23z:1:/snapshot");
        assertThat(steps.closePath("remote:h 1:2:")).isEqualTo("/conns/close/remote:h%201:2:");
    }
}
