package io.github.taniumroutes.tanium;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/** A declared call's path: ids from variables, each one path segment. */
class TaniumPathsTest {

    private final TaniumPaths paths = new TaniumPaths();
    private final Exchange exchange = new DefaultExchange(new DefaultCamelContext());

    @Test
    void idsArePathSegmentsNeverPathsOrQueries() {
        exchange.setVariable("connectionId", "remote:host/../x?y#z:1:");
        exchange.setVariable("closeId", "remote:h 1:2:");

        assertThat(paths.expand("/api/v1/conns/{connectionId}/snapshot", exchange)).isEqualTo("/api/v1/conns/remote:host%2F..%2Fx%3Fy%23z:1:/snapshot");
        assertThat(paths.expand("/conns/close/{closeId}", exchange)).isEqualTo("/conns/close/remote:h%201:2:");
        assertThat(paths.expand("/conns", exchange)).isEqualTo("/conns");
    }

    @Test
    void aMissingIdIsAClearErrorNotAnEmptySegment() {
        exchange.setVariable("snapshotTaskId", "");

        assertThatThrownBy(() -> paths.expand("/tasks/{snapshotTaskId}", exchange))
                .hasMessage("no snapshotTaskId for the Tanium request /tasks/{snapshotTaskId}");
    }

    @Test
    void theReplyKindChoosesTheAcceptHeaderAndAnythingElseIsRefused() {
        assertThat(paths.accept("json")).isEqualTo("application/json");
        assertThat(paths.accept("bytes")).isEqualTo("*/*");
        assertThat(paths.accept("stream")).isEqualTo("*/*");
        assertThatThrownBy(() -> paths.accept("xml")).hasMessageContaining("json, text, bytes or stream");
    }

    @Test
    void aQueryTakesItsValuesFromVariablesEncodedAsValues() {
        exchange.setVariable("limit", 100);
        exchange.setVariable("offset", "0&admin=1");

        assertThat(paths.query("limit={limit}&offset={offset}", exchange)).isEqualTo("limit=100&offset=0%26admin%3D1");
        assertThat(paths.query("", exchange)).isNull();
        assertThatThrownBy(() -> paths.query("page={page}", exchange)).hasMessageContaining("no page");
    }
}
