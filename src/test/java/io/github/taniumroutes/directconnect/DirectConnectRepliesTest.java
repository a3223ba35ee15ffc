package io.github.taniumroutes.directconnect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.taniumroutes.directconnect.DirectConnectReplies.State;
import io.github.taniumroutes.tanium.TaniumException;

/** Both generations' replies, in the shapes of seed 004 and Tanium's current reference; GraphQL errors with HTTP 200. */
class DirectConnectRepliesTest {

    private final DirectConnectReplies replies = new DirectConnectReplies(new ObjectMapper());

    @Test
    void theOpenOfEitherGenerationNamesTheSession() {
        assertThat(replies.opened("{\"data\":{\"openDirectConnection\":{\"connectionID\":\"5fc564d6-5767-47fc-abb6-25cba65409d8\"}}}"))
                .isEqualTo(new DirectConnectReplies.Opened("5fc564d6-5767-47fc-abb6-25cba65409d8", null));
        assertThat(replies.opened("{\"data\":{\"directConnectOpen\":{\"connectionID\":\"c-2\",\"status\":\"CONNECTING\"}}}"))
                .isEqualTo(new DirectConnectReplies.Opened("c-2", "CONNECTING"));
        assertThatThrownBy(() -> replies.opened("{\"data\":{\"directConnectOpen\":{\"status\":\"UNKNOWN\"}}}"))
                .isInstanceOf(TaniumException.class).hasMessageContaining("no connectionID");
    }

    @Test
    void aStatusOrAPingSaysReadyNotYetOrClosed() {
        assertThat(replies.status("{\"data\":{\"directConnectConnectionStatus\":{\"status\":\"READY\"}}}").state()).isEqualTo(State.READY);
        assertThat(replies.status("{\"data\":{\"directConnectConnectionStatus\":{\"status\":\"CONNECTING\"}}}").state()).isEqualTo(State.CONNECTING);
        assertThat(replies.status("{\"data\":{\"directConnectConnectionStatus\":{\"status\":\"UNKNOWN\"}}}").state()).isEqualTo(State.CONNECTING);
        assertThat(replies.status("{\"data\":{\"directConnectConnectionStatus\":{\"status\":\"DISCONNECTED\"}}}"))
                .isEqualTo(new DirectConnectReplies.Status(State.CLOSED, "Tanium reports the session DISCONNECTED"));
        assertThat(replies.status("{\"data\":{\"pingDirectConnection\":{\"result\":true}}}").state()).isEqualTo(State.READY);
        assertThat(replies.status("{\"data\":{\"pingDirectConnection\":{\"result\":false}}}").state()).isEqualTo(State.CONNECTING);
        assertThat(replies.status("{\"errors\":[{\"message\":\"Direct Connect connection c-1 is not open\",\"path\":[\"directConnectPing\"]}],"
                + "\"data\":{\"directConnectPing\":null}}")).isEqualTo(new DirectConnectReplies.Status(State.CLOSED,
                        "Direct Connect connection c-1 is not open"));
    }

    @Test
    void theEndpointsReadsComeBackAsRecords() {
        assertThat(replies.performance("{\"data\":{\"directEndpoint\":{\"performance\":{\"cpuUsagePercent\":28.751501243887798}}}}"))
                .containsEntry("cpuUsagePercent", 28.751501243887798);
        assertThat(replies.processes("{\"data\":{\"directConnectEndpoint\":{\"processes\":{\"all\":[{\"pid\":2092,\"ppid\":496,"
                + "\"name\":\"TaniumReceiver.exe\",\"commandLine\":\"\\\"C:\\\\Program Files\\\\Tanium\\\\Tanium Server\\\\TaniumReceiver.exe\\\" "
                + "--service\",\"userName\":\"admin\",\"groupName\":\"test-group\",\"memoryResidentBytes\":59842560}]}}}}"))
                .singleElement().satisfies(p -> {
                    assertThat(p).containsEntry("pid", 2092).containsEntry("name", "TaniumReceiver.exe").containsEntry("userName", "admin");
                    assertThat(p.get("commandLine")).isEqualTo("\"C:\\Program Files\\Tanium\\Tanium Server\\TaniumReceiver.exe\" --service");
                });
        assertThat(replies.alerts("{\"data\":{\"directEndpoint\":{\"alerts\":{\"all\":[{\"schema\":1,\"key\":\"available-mem{heuristic=\\\""
                + "available-mem\\\"}\",\"type\":\"available-mem\",\"ref\":null,\"labels\":{\"heuristic\":\"available-mem\"},\"leadup\":300000000000,"
                + "\"value\":168.48828125}]}}}}")).singleElement().satisfies(a -> assertThat(a).containsEntry("type", "available-mem")
                        .containsEntry("leadup", 300000000000L));
    }

    @Test
    void aMutationsResultIsTrueOrFalse() {
        assertThat(replies.result("{\"data\":{\"killProcess\":{\"result\":true}}}", "kill")).isTrue();
        assertThat(replies.result("{\"data\":{\"directConnectProcessTerminate\":{\"result\":false}}}", "kill")).isFalse();
        assertThatThrownBy(() -> replies.result("{\"data\":{\"directConnectClose\":{}}}", "close")).hasMessageContaining("no result");
    }

    @Test
    void errorsWithHttp200AreFailuresEvenWithPartialData() {
        assertThatThrownBy(() -> replies.processes("{\"errors\":[{\"message\":\"no open Direct Connect connection to endpoint 1003\"}],"
                + "\"data\":{\"directConnectEndpoint\":{\"processes\":{\"all\":[]}}}}"))
                .isInstanceOf(TaniumException.class)
                .hasMessage("GraphQL error from the Direct Connect process list: no open Direct Connect connection to endpoint 1003");
        assertThatThrownBy(() -> replies.result("{\"errors\":[{\"message\":\"Cannot query field \\\"killProcess\\\" on type \\\"Mutation\\\".\"}],"
                + "\"data\":null}", "kill")).hasMessageContaining("Cannot query field");
        assertThatThrownBy(() -> replies.processes("{\"data\":{}}")).hasMessageContaining("has no data");
        assertThatThrownBy(() -> replies.processes("not json")).hasMessageContaining("not JSON");
    }
}
