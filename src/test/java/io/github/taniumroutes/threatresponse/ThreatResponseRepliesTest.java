package io.github.taniumroutes.threatresponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.taniumroutes.tanium.TaniumException;
import org.junit.jupiter.api.Test;

/** The contract's shapes (TANIUM_API.md §3) and the wrapped variants a client must also accept. */
class ThreatResponseRepliesTest {

    private final ThreatResponseReplies replies = new ThreatResponseReplies(new ObjectMapper());

    @Test
    void connectRepliesWithABareJsonStringOrAWrappedId() {
        assertThat(replies.connectionId("\"remote:undefined:9065264:\"")).isEqualTo("remote:undefined:9065264:");
        assertThat(replies.connectionId("{\"data\":{\"id\":\"remote:host:1:2\"}}")).isEqualTo("remote:host:1:2");
        assertThat(replies.connectionId("{\"id\":\"remote:host:1:3\"}")).isEqualTo("remote:host:1:3");
        assertThat(replies.connectionId("{\"data\":\"remote:host:1:4\"}")).isEqualTo("remote:host:1:4");
    }

    @Test
    void aConnectReplyWithoutAnIdIsAClearError() {
        assertThatThrownBy(() -> replies.connectionId("{\"status\":\"ok\"}")).isInstanceOf(TaniumException.class)
                .hasMessage("Threat Response's reply to connect carries no connection id");
        assertThatThrownBy(() -> replies.connectionId("")).isInstanceOf(TaniumException.class).hasMessageContaining("empty body");
        assertThatThrownBy(() -> replies.connectionId("<html>")).isInstanceOf(TaniumException.class).hasMessageContaining("not JSON");
    }

    @Test
    void connectionListIsAnArrayOrWrappedInData() {
        String entry = "{\"id\":\"remote:h:1:e\",\"status\":\"connected\",\"clientId\":\"1003\",\"hostname\":\"h\",\"ip\":\"10.0.0.1\","
                + "\"platform\":\"Windows\",\"eid\":\"e\",\"initiatedAt\":\"2026-11-30T09:00:00Z\",\"connectedAt\":null,"
                + "\"message\":\"\",\"hasTools\":true,\"userId\":42}";
        assertThat(replies.connections("[" + entry + "]")).singleElement()
                .isEqualTo(new LiveConnection("remote:h:1:e", "connected", "1003", "42", "2026-11-30T09:00:00Z", ""));
        assertThat(replies.connections("{\"data\":[" + entry + "]}")).hasSize(1);
        assertThat(replies.connections("[]")).isEmpty();
        assertThatThrownBy(() -> replies.connections("{\"conns\":[]}")).isInstanceOf(TaniumException.class)
                .hasMessageContaining("not an array");
    }

    @Test
    void snapshotTaskIdFromTaskInfoOrTheWrappedVariant() {
        assertThat(replies.snapshotTaskId("{\"taskInfo\":{\"id\":777,\"status\":\"STARTED\",\"metadata\":{\"connection\":\"c\"}},"
                + "\"status\":\"ACCEPTED\"}")).isEqualTo("777");
        assertThat(replies.snapshotTaskId("{\"data\":{\"taskId\":\"778\",\"status\":\"STARTED\"}}")).isEqualTo("778");
        assertThatThrownBy(() -> replies.snapshotTaskId("{\"status\":\"ACCEPTED\"}")).isInstanceOf(TaniumException.class)
                .hasMessageContaining("task id");
    }

    @Test
    void taskStatusResultsAndError() {
        ThreatResponseReplies.Task done = replies.task("{\"data\":{\"id\":7,\"type\":\"snapshot\",\"status\":\"COMPLETED\","
                + "\"results\":{\"uuid\":\"u-1\"},\"error\":null}}");
        assertThat(done.status()).isEqualTo("COMPLETED");
        assertThat(done.results().path("uuid").asText()).isEqualTo("u-1");
        assertThat(done.error()).isNull();

        ThreatResponseReplies.Task failed = replies.task("{\"status\":\"FAILED\",\"error\":\"disk full\"}");
        assertThat(failed.status()).isEqualTo("FAILED");
        assertThat(failed.error()).isEqualTo("disk full");
        assertThatThrownBy(() -> replies.task("{\"data\":{}}")).isInstanceOf(TaniumException.class).hasMessageContaining("task status");
    }

    @Test
    void userIdOfTheCurrentSession() {
        assertThat(replies.userId("{\"data\":{\"id\":42,\"name\":\"api\"}}")).isEqualTo("42");
        assertThatThrownBy(() -> replies.userId("{\"data\":{}}")).isInstanceOf(TaniumException.class).hasMessageContaining("user id");
    }
}
