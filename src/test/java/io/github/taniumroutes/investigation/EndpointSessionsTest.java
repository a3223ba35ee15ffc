package io.github.taniumroutes.investigation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** One session per endpoint and kind, reference counted, adopted after a crash. */
class EndpointSessionsTest {

    private static final String LIVE = "threat-response";
    private final MutableClock clock = new MutableClock(1000);
    private final EndpointSessions sessions = new EndpointSessions(clock);

    @Test
    void theFirstOpensTheOthersJoinAndTheLastCloses() {
        Investigation first = Investigations.on("a1", "1003");
        Investigation second = Investigations.on("a2", "1003");

        assertThat(sessions.join(first, LIVE)).as("first must open").isTrue();
        assertThat(sessions.join(second, LIVE)).as("second joins").isFalse();
        sessions.requested(first, LIVE, "remote:undefined:1:");
        assertThat(first.session(LIVE)).isEqualTo("remote:undefined:1:");
        assertThat(sessions.isRequested(second, LIVE)).isTrue();
        sessions.seen(second, LIVE, "remote:host-1003:1:1003");
        assertThat(sessions.id(second, LIVE)).isEqualTo("remote:host-1003:1:1003");

        assertThat(sessions.leave(first, LIVE)).as("one user left: nothing to close").isNull();
        assertThat(first.holdsSession(LIVE)).isFalse();
        assertThat(sessions.leave(second, LIVE)).as("the last closes the final id").isEqualTo("remote:host-1003:1:1003");
        assertThat(sessions.users(first, LIVE)).isZero();
    }

    @Test
    void kindsAndEndpointsDoNotShareSessions() {
        Investigation investigation = Investigations.on("a1", "1003");
        assertThat(sessions.join(investigation, LIVE)).isTrue();
        assertThat(sessions.join(investigation, "direct-connect")).isTrue();
        assertThat(sessions.join(Investigations.on("a2", "1004"), LIVE)).isTrue();
    }

    @Test
    void remembersWhenTheSessionWasRequestedAndWhenItWasClosed() {
        Investigation investigation = Investigations.on("a1", "1003");
        sessions.join(investigation, LIVE);
        assertThat(sessions.closedAt(investigation, LIVE)).isZero();
        clock.millis = 2000;
        sessions.requested(investigation, LIVE, "c1");
        assertThat(sessions.requestedAt(investigation, LIVE)).isEqualTo(2000);
        clock.millis = 3000;
        sessions.leave(investigation, LIVE);
        assertThat(sessions.closedAt(investigation, LIVE)).isEqualTo(3000);
    }

    @Test
    void aSessionNeverAskedForIsNotClosedAndTheNextOpensIt() {
        Investigation only = Investigations.on("a1", "1003");
        sessions.join(only, LIVE);
        assertThat(sessions.leave(only, LIVE)).isNull();
        assertThat(sessions.join(Investigations.on("a2", "1003"), LIVE)).isTrue();
    }

    @Test
    void resumedInvestigationsCountAgainAndAdoptTheSessionWithoutOpening() {
        Investigation resumed = Investigations.on("a1", "1003");
        sessions.join(resumed, LIVE);
        sessions.requested(resumed, LIVE, "remote:h:1:e");
        EndpointSessions afterRestart = new EndpointSessions(clock);
        afterRestart.rejoin(resumed);
        Investigation newcomer = Investigations.on("a2", "1003");

        assertThat(afterRestart.join(newcomer, LIVE)).as("the resumed one holds the connection").isFalse();
        assertThat(afterRestart.isRequested(newcomer, LIVE)).isTrue();
        assertThat(afterRestart.leave(newcomer, LIVE)).isNull();
        assertThat(afterRestart.leave(resumed, LIVE)).isEqualTo("remote:h:1:e");
    }

    @Test
    void aWaiterWhoseOpenerIsGoneOpensItselfAndOnlyOneOpens() {
        Investigation opener = Investigations.on("a1", "1003");
        Investigation waiter = Investigations.on("a2", "1003");
        sessions.join(opener, LIVE);
        sessions.join(waiter, LIVE);
        assertThat(sessions.isOrphaned(waiter, LIVE)).as("its opener is at work").isFalse();

        sessions.forget(opener);
        assertThat(sessions.isOrphaned(waiter, LIVE)).as("its opener moved to another instance before asking").isTrue();
        assertThat(sessions.join(waiter, LIVE)).isTrue();
        assertThat(sessions.join(Investigations.on("a3", "1003"), LIVE)).as("one opener at a time").isFalse();
    }

    @Test
    void forgettingHandsOverWithoutClosing() {
        Investigation moved = Investigations.on("a1", "1003");
        sessions.join(moved, LIVE);
        sessions.requested(moved, LIVE, "c1");
        sessions.forget(moved);

        assertThat(sessions.users(moved, LIVE)).isZero();
        assertThat(sessions.join(Investigations.on("a2", "1003"), LIVE)).as("nothing held here any more").isTrue();
    }
}
