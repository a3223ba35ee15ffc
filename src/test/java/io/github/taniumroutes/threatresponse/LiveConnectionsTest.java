package io.github.taniumroutes.threatresponse;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.taniumroutes.investigation.Investigation;
import io.github.taniumroutes.investigation.Investigations;
import org.junit.jupiter.api.Test;

/** One connection per endpoint, reference counted. */
class LiveConnectionsTest {

    private final LiveConnections connections = new LiveConnections();

    @Test
    void theFirstOpensTheOthersJoinAndTheLastCloses() {
        Investigation first = Investigations.on("a1", "1003");
        Investigation second = Investigations.on("a2", "1003");

        assertThat(connections.join(first)).as("first must open").isTrue();
        assertThat(connections.join(second)).as("second joins").isFalse();
        connections.requested(first, "remote:undefined:1:");
        assertThat(first.getConnectionId()).isEqualTo("remote:undefined:1:");
        assertThat(connections.isRequested(second)).isTrue();
        connections.seen(second, "remote:host-1003:1:1003");

        assertThat(connections.leave(first)).as("one user left: nothing to close").isNull();
        assertThat(connections.leave(second)).as("the last closes the final id").isEqualTo("remote:host-1003:1:1003");
        assertThat(connections.users(first)).isZero();
    }

    @Test
    void remembersWhenTheConnectionWasRequestedAndWhenItWasClosed() {
        TestClock clock = new TestClock(1000);
        LiveConnections timed = new LiveConnections(clock);
        Investigation investigation = Investigations.on("a1", "1003");
        timed.join(investigation);
        assertThat(timed.closedAt(investigation)).isZero();
        clock.millis = 2000;
        timed.requested(investigation, "c1");
        assertThat(timed.listedNotBefore(investigation)).isEqualTo(2000);
        clock.millis = 3000;
        timed.leave(investigation);
        assertThat(timed.closedAt(investigation)).isEqualTo(3000);
    }

    @Test
    void endpointsDoNotShareConnections() {
        assertThat(connections.join(Investigations.on("a1", "1003"))).isTrue();
        assertThat(connections.join(Investigations.on("a2", "1004"))).isTrue();
    }

    @Test
    void aConnectionNeverAskedForIsNotClosed() {
        Investigation only = Investigations.on("a1", "1003");
        connections.join(only);
        assertThat(connections.leave(only)).isNull();
    }

    @Test
    void afterTheLastLeavesTheNextInvestigationOpensANewOne() {
        Investigation first = Investigations.on("a1", "1003");
        connections.join(first);
        connections.requested(first, "c1");
        connections.leave(first);

        assertThat(connections.join(Investigations.on("a2", "1003"))).isTrue();
    }

    @Test
    void resumedInvestigationsCountAgainWithoutOpening() {
        Investigation resumed = Investigations.on("a1", "1003");
        resumed.adoptConnection("remote:h:1:e");
        connections.rejoin(resumed);
        Investigation newcomer = Investigations.on("a2", "1003");

        assertThat(connections.join(newcomer)).as("the resumed one holds the connection").isFalse();
        assertThat(connections.isRequested(newcomer)).isTrue();
        assertThat(connections.leave(newcomer)).isNull();
        assertThat(connections.leave(resumed)).isEqualTo("remote:h:1:e");
    }

    @Test
    void forgettingHandsOverWithoutClosing() {
        Investigation moved = Investigations.on("a1", "1003");
        connections.join(moved);
        connections.requested(moved, "c1");
        connections.forget(moved);

        assertThat(connections.users(moved)).isZero();
        assertThat(connections.join(Investigations.on("a2", "1003"))).as("nothing held here any more").isTrue();
    }
}
