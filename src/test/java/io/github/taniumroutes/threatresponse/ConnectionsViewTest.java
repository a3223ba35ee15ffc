package io.github.taniumroutes.threatresponse;

import io.github.taniumroutes.investigation.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import io.github.taniumroutes.investigation.Investigation;
import io.github.taniumroutes.investigation.Investigations;
import org.junit.jupiter.api.Test;

/** One shared GET /conns per server and interval; only our user's connections count. */
class ConnectionsViewTest {


    private final MutableClock clock = new MutableClock(1_000_000);
    private final ConnectionsView view = new ConnectionsView(1000, clock);

    @Test
    void oneRefreshPerServerAndInterval() {
        assertThat(view.claimRefresh("default")).as("nothing fetched yet").isTrue();
        assertThat(view.claimRefresh("default")).as("a refresh is running").isFalse();
        assertThat(view.claimRefresh("other")).as("servers are separate").isTrue();
        view.update("default", List.of());
        view.refreshDone("default");
        assertThat(view.claimRefresh("default")).as("fetched just now").isFalse();

        clock.millis += 1000;
        assertThat(view.claimRefresh("default")).isTrue();
    }

    @Test
    void aFailedRefreshLetsTheNextWaiterTry() {
        assertThat(view.claimRefresh("default")).isTrue();
        view.refreshDone("default");
        assertThat(view.claimRefresh("default")).isTrue();
    }

    @Test
    void findsOnlyOurConnectionForTheClientPreferringTheKnownIdThenTheNewest() {
        Investigation investigation = Investigations.on("a1", "1003");
        view.user("default", "42");
        view.update("default", List.of(
                new LiveConnection("analyst", "connected", "1003", "7", "2026-11-30T09:05:00Z", null),
                new LiveConnection("old", "disconnected", "1003", "42", "2026-11-30T08:00:00Z", null),
                new LiveConnection("remote:h:2:e", "waiting", "1003", "42", "2026-11-30T09:00:00Z", null),
                new LiveConnection("other-client", "connected", "1004", "42", "2026-11-30T09:10:00Z", null)));

        assertThat(view.find(investigation, 0).id()).isEqualTo("remote:h:2:e");
        new io.github.taniumroutes.investigation.EndpointSessions().requested(investigation, SnapshotFlow.LIVE_CONNECTION, "old");
        assertThat(view.find(investigation, 0).id()).isEqualTo("old");
        assertThat(view.findOpen(Investigations.on("a2", "1003"), 0).id()).isEqualTo("remote:h:2:e");
        assertThat(view.find(Investigations.on("a3", "9999"), 0)).isNull();
    }

    @Test
    void newestByEpochMillisAsRecordedRepliesGiveItOrIso() {
        Investigation investigation = Investigations.on("a1", "1003");
        view.user("default", "42");
        view.update("default", List.of(
                new LiveConnection("older", "waiting", "1003", "42", "1764493200000", null),
                new LiveConnection("newer", "waiting", "1003", "42", "1764493260000", null),
                new LiveConnection("undated", "waiting", "1003", "42", null, null)));
        assertThat(view.find(investigation, 0).id()).isEqualTo("newer");
        assertThat(ConnectionsView.epochMillis("2026-11-30T09:00:00Z")).isEqualTo(Instant.parse("2026-11-30T09:00:00Z").toEpochMilli());
    }

    @Test
    void aListAskedForBeforeTheConnectionWasRequestedOrClosedIsNotTrusted() {
        Investigation investigation = Investigations.on("a1", "1003");
        view.user("default", "42");
        assertThat(view.claimRefresh("default")).isTrue();
        long askedAt = clock.millis;
        clock.millis += 500;
        view.update("default", List.of(new LiveConnection("closed-by-us", "connected", "1003", "42", "1764493200000", null)));
        view.refreshDone("default");

        assertThat(view.findOpen(investigation, askedAt + 1)).as("closed after the list was asked for").isNull();
        assertThat(view.find(investigation, askedAt)).as("in the same millisecond").isNull();
        assertThat(view.findOpen(investigation, askedAt - 1).id()).isEqualTo("closed-by-us");
    }

    @Test
    void withoutKnowingOurUserNothingIsOurs() {
        view.update("default", List.of(new LiveConnection("c", "connected", "1003", "42", "2026-11-30T09:00:00Z", null)));
        assertThat(view.knowsUser("default")).isFalse();
        assertThat(view.find(Investigations.on("a1", "1003"), 0)).isNull();
    }

    @Test
    void anAnalystsOpenConnectionIsNeverAdopted() {
        view.user("default", "42");
        view.update("default", List.of(new LiveConnection("analyst", "connected", "1003", "7", "2026-11-30T09:00:00Z", null)));
        assertThat(view.findOpen(Investigations.on("a1", "1003"), 0)).isNull();
    }
}
