package io.github.taniumroutes.directconnect;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.github.taniumroutes.directconnect.DirectConnectKeepAlive.Due;
import io.github.taniumroutes.investigation.EndpointSessions;
import io.github.taniumroutes.investigation.Investigation;
import io.github.taniumroutes.investigation.InvestigationRequest;
import io.github.taniumroutes.investigation.MutableClock;
import io.github.taniumroutes.investigation.PlanStep;
import io.github.taniumroutes.investigation.Target;
import io.github.taniumroutes.tanium.ServerSettings;
import io.github.taniumroutes.tanium.TaniumSettings;

/** Which held sessions are pinged, and when: a third of each server's inactivity limit after their last request. */
class DirectConnectKeepAliveTest {

    private final MutableClock clock = new MutableClock(0);
    private final EndpointSessions sessions = new EndpointSessions(clock);
    private final TaniumSettings servers = () -> Map.of("default", ServerSettings.of("https://t", "t"),
            "fast", ServerSettings.of("https://f", "t").withDirectConnect("current", Duration.ofSeconds(3)));
    private final DirectConnectKeepAlive keepAlive = new DirectConnectKeepAlive(sessions, servers, clock);

    private Investigation holding(String alertId, String server, String endpointId, String connectionId) {
        Investigation investigation = Investigation.accepted(InvestigationRequest.of("inv-" + alertId, alertId, server,
                new Target("c" + endpointId, "h", null, "Linux", endpointId), "r", "v", "t", List.of(new PlanStep("direct-connect", Map.of(), false))),
                0, 0);
        sessions.join(investigation, DirectConnectFlow.SESSION);
        sessions.requested(investigation, DirectConnectFlow.SESSION, connectionId);
        keepAlive.held(investigation, connectionId);
        return investigation;
    }

    @Test
    void aHeldSessionIsPingedOnceIdleForAThirdOfItsServersLimitAndNotWhileUsed() {
        holding("a", "default", "1003", "slow-limit");
        holding("b", "fast", "1004", "fast-limit");

        clock.millis = 999;
        assertThat(keepAlive.due()).isEmpty();
        clock.millis = 1_000;
        assertThat(keepAlive.due()).containsExactly(new Due("fast", "fast-limit"));
        assertThat(keepAlive.due()).as("counted as pinged from now").isEmpty();
        clock.millis = 1_900;
        keepAlive.touched("fast-limit");
        clock.millis = 2_899;
        assertThat(keepAlive.due()).as("a request on it is activity too").isEmpty();
        clock.millis = 40_000;
        assertThat(keepAlive.due()).containsExactlyInAnyOrder(new Due("fast", "fast-limit"), new Due("default", "slow-limit"));
        assertThat(keepAlive.pings("fast-limit")).isEqualTo(2);
    }

    @Test
    void aSessionNoInvestigationHereHoldsIsNoLongerPinged() {
        Investigation first = holding("a", "fast", "1004", "shared");
        Investigation second = Investigation.accepted(InvestigationRequest.of("inv-b", "b", "fast", first.getTarget(), "r", "v", "t",
                List.of(new PlanStep("direct-connect", Map.of(), false))), 0, 0);
        sessions.join(second, DirectConnectFlow.SESSION);

        sessions.leave(first, DirectConnectFlow.SESSION);
        clock.millis = 1_000;
        assertThat(keepAlive.due()).as("the other user still holds it").extracting(Due::connectionId).containsExactly("shared");

        sessions.forget(second);
        clock.millis = 2_000;
        assertThat(keepAlive.due()).as("its partition moved: the new owner pings it").isEmpty();
        assertThat(keepAlive.isHeld("shared")).isFalse();
    }

    @Test
    void aSessionReportedClosedIsNotPingedAndAReopenedOneIsFoundByItsUsers() {
        holding("a", "fast", "1004", "lost");
        keepAlive.pinged("lost", new DirectConnectReplies.Status(DirectConnectReplies.State.CLOSED, "not open"));
        clock.millis = 5_000;
        assertThat(keepAlive.due()).isEmpty();

        keepAlive.replaced("lost", "new");
        assertThat(keepAlive.replacement("lost")).isEqualTo("new");
        assertThat(keepAlive.replacement(null)).isNull();
        keepAlive.released("new");
        assertThat(keepAlive.replacement("lost")).as("forgotten with the session that replaced it").isNull();
    }
}
