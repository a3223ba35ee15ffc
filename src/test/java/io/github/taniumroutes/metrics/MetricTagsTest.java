package io.github.taniumroutes.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;

import org.apache.camel.http.base.HttpOperationFailedException;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.taniumroutes.tanium.TaniumUnreachableException;

class MetricTagsTest {

    private final MetricTags tags = new MetricTags(Set.of("enrich", "snapshot")::contains, Set.of("default")::contains,
            Set.of("tanium-get-action")::contains, Set.of("SensorReadingsOfMany", "KillProcess"));

    @Test
    void valuesOutsideTheirClosedSetBecomeOther() {
        assertThat(tags.outcome("enriched")).isEqualTo("enriched");
        assertThat(tags.outcome("WS-0142")).isEqualTo("other");
        assertThat(tags.outcome(null)).isEqualTo("other");
        assertThat(tags.step("snapshot")).isEqualTo("snapshot");
        assertThat(tags.step("alert-123")).isEqualTo("other");
        assertThat(tags.dlqReason("malformed_json")).isEqualTo("malformed_json");
        assertThat(tags.dlqReason("not valid JSON at line 1")).isEqualTo("other");
        assertThat(tags.server("default")).isEqualTo("default");
        assertThat(tags.server("tanium.example.com")).isEqualTo("other");
        assertThat(tags.operation("tanium-get-action")).isEqualTo("tanium-get-action");
        assertThat(tags.operation(null)).isEqualTo("other");
        assertThat(tags.operation("/api/v2/actions/42")).isEqualTo("other");
    }

    @Test
    void aGraphQlRequestIsTaggedWithTheOperationItsDocumentNamesWhenTheConfigurationHasThatDocument() {
        assertThat(tags.graphqlOperation("{\"query\":\"# reads many\\n# endpoints\\nquery SensorReadingsOfMany($first0: Int) { x }\",\"variables\":{}}"))
                .isEqualTo("SensorReadingsOfMany");
        assertThat(tags.graphqlOperation("{\"query\":\"mutation KillProcess($pid: Int!) { x }\"}")).isEqualTo("KillProcess");
        assertThat(tags.operation("KillProcess")).isEqualTo("KillProcess");
        assertThat(tags.graphqlOperation("{\"query\":\"query WS0142($a: Int) { x }\"}")).as("not a document of ours").isEqualTo("other");
        assertThat(tags.graphqlOperation("{\"query\":\"{ endpoints { id } }\"}")).as("anonymous").isEqualTo("other");
        assertThat(tags.graphqlOperation("not json")).isEqualTo("other");
    }

    @Test
    void theShippedDocumentsEachNameTheirOperation() {
        assertThat(MetricTags.graphqlOperations(java.nio.file.Path.of("config/graphql")))
                .contains("EndpointLookup", "EndpointLookups", "SensorReadings", "SensorReadingsOfMany", "KillProcess",
                        "DirectConnectProcessTerminate", "OpenDirectConnection", "OpenEndpointConnection")
                .hasSize(20);
    }

    @Test
    void statusIsTheHttpStatusOrItsClassOrWhatKeptTheAnswerAway() {
        assertThat(tags.status(200)).isEqualTo("200");
        assertThat(tags.status(null)).isEqualTo("200");
        assertThat(tags.status(207)).isEqualTo("2xx");
        assertThat(tags.status(418)).isEqualTo("4xx");
        assertThat(tags.failure(new RuntimeException(new HttpOperationFailedException("u", 503, "x", null, null, "b")))).isEqualTo("503");
        assertThat(tags.failure(new HttpOperationFailedException("u", 599, "x", null, null, "b"))).isEqualTo("5xx");
        assertThat(tags.failure(new SocketTimeoutException("read timed out"))).isEqualTo("timeout");
        assertThat(tags.failure(new java.net.ConnectException("refused"))).isEqualTo("io_error");
        assertThat(tags.failure(new javax.net.ssl.SSLHandshakeException("bad cert"))).isEqualTo("tls_error");
        assertThat(tags.failure(new TaniumUnreachableException("default"))).isEqualTo("circuit_open");
        assertThat(tags.failure(new IllegalStateException("no session"))).isEqualTo("error");
        assertThat(tags.failure(null)).isEqualTo("error");
    }

    /** The closed sets cover every outcome and dead-letter reason the schemas allow, so no real value is reported as other. */
    @Test
    void closedSetsHoldEveryOutcomeAndReasonOfTheSchemas() throws IOException {
        Set<String> outcomes = new HashSet<>();
        Set<String> reasons = new HashSet<>();
        ObjectMapper mapper = new ObjectMapper();
        try (Stream<Path> schemas = Files.list(Path.of("config/schemas"))) {
            for (Path schema : schemas.filter(p -> p.toString().endsWith(".schema.json")).toList()) {
                JsonNode properties = mapper.readTree(schema.toFile()).path("properties");
                properties.path("outcome").path("enum").forEach(v -> outcomes.add(v.asText()));
                properties.path("dlqReason").path("enum").forEach(v -> reasons.add(v.asText()));
            }
        }
        assertThat(outcomes).contains("enriched", "completed", "expired");
        assertThat(MetricTags.OUTCOMES).containsAll(outcomes);
        assertThat(reasons).contains("malformed_json");
        assertThat(MetricTags.DLQ_REASONS).containsExactlyInAnyOrderElementsOf(reasons);
    }
}
