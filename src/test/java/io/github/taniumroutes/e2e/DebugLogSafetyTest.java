package io.github.taniumroutes.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The whole application at DEBUG, with the configured log categories (the HTTP client's header
 * loggers stay quiet), its file log in JSON (LOG_FILE_JSON): every line one JSON object, none
 * holding a secret in any field, and each line of an alert's processing naming the alert, its step
 * and the route in its MDC.
 */
@QuarkusTest
@TestProfile(DebugLogSafetyTest.Debug.class)
@QuarkusTestResource(value = KafkaAndSimulator.class, restrictToAnnotatedClass = false)
class DebugLogSafetyTest extends LogSafety {

    static final Path LOG = Path.of("target", "log-safety", "debug.json.log").toAbsolutePath();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public static class Debug implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(verboseFileLog("DEBUG", LOG));
            config.put("quarkus.log.file.json.enabled", "true");
            return config;
        }
    }

    @Override
    Path logFile() {
        return LOG;
    }

    /** Every line must be a JSON object: a line an alert forged would not be one. */
    private static List<JsonNode> records(String log) {
        return log.lines().filter(line -> !line.isBlank()).map(line -> {
            try {
                JsonNode record = MAPPER.readTree(line);
                assertThat(record.isObject()).as("a log line that is not a JSON object: " + line).isTrue();
                return record;
            } catch (JsonProcessingException e) {
                throw new AssertionError("a log line that is not JSON: " + line, e);
            }
        }).toList();
    }

    @Override
    String messages(String log) {
        return records(log).stream().map(r -> r.path("message").asText()).collect(Collectors.joining("\n"));
    }

    @Override
    void assertTheLevelWasReallyOn(String log) {
        List<JsonNode> records = records(log);
        assertThat(records).anySatisfy(r -> assertThat(r.path("level").asText()).isEqualTo("DEBUG"));
        String messages = messages(log);
        assertThat(messages.contains("/plugin/products/gateway/graphql")).as("camel-http's own DEBUG lines about the Tanium calls").isTrue();
        assertThat(messages.contains(">> session:")).as("the header logger was configured away").isFalse();
    }

    @Override
    void assertTheFormat(String log, String forgedId, String okId) {
        String escapedId = forgedId.replace("\n", "\\n");
        List<JsonNode> records = records(log);
        assertThat(records).filteredOn(r -> r.path("message").asText().contains("enrichment failed"))
                .filteredOn(r -> r.path("message").asText().contains(escapedId))
                .as("the forged alert's enrichment failure").singleElement()
                .satisfies(r -> {
                    JsonNode mdc = r.path("mdc");
                    assertThat(mdc.path("alertId").asText()).as("its alert id, escaped as in messages").isEqualTo(escapedId);
                    assertThat(mdc.path("step").asText()).isEqualTo("enrich");
                    assertThat(mdc.path("camel.routeId").asText()).isEqualTo("enrich");
                });
        // Every line that names the alert in its message belongs to its processing, and says so.
        assertThat(records).filteredOn(r -> r.path("message").asText().contains(escapedId)).as("lines naming the forged alert")
                .isNotEmpty().allSatisfy(r -> assertThat(r.path("mdc").path("alertId").asText()).as(r.toString()).isEqualTo(escapedId));
        // Camel's own DEBUG lines of the other alert's way through process-alert and enrich name it too.
        List<JsonNode> okLines = records.stream().filter(r -> okId.equals(r.path("mdc").path("alertId").asText())).toList();
        assertThat(okLines).extracting(r -> r.path("mdc").path("camel.routeId").asText()).contains("process-alert", "enrich");
        assertThat(okLines).extracting(r -> r.path("mdc").path("step").asText()).contains("intake", "enrich");
    }
}
