package io.github.taniumroutes.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;

/** The published schemas accept the documented examples and reject what they should. */
class SchemasTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void theCanonicalSampleConformsAndABrokenOneDoesNot() throws Exception {
        JsonNode sample = MAPPER.readTree(Files.readString(Path.of("src/test/resources/alerts/canonical.json")));
        ObjectNode withoutNulls = MAPPER.createObjectNode();
        sample.fields().forEachRemaining(e -> {
            if (!e.getValue().isNull()) {
                withoutNulls.set(e.getKey(), e.getValue());
            }
        });
        assertThat(Schemas.violations("canonical-alert.schema.json", withoutNulls)).isEmpty();

        ObjectNode noHost = withoutNulls.deepCopy();
        noHost.remove(java.util.List.of("hostname", "ip", "taniumEndpointId"));
        assertThat(Schemas.violations("canonical-alert.schema.json", noHost)).isNotEmpty();

        ObjectNode badPid = withoutNulls.deepCopy();
        ((ObjectNode) badPid.get("process")).put("pid", "twelve");
        assertThat(Schemas.violations("canonical-alert.schema.json", badPid)).isNotEmpty();
    }

    @Test
    void aResultWithAnUnknownOutcomeIsRejected() throws Exception {
        ObjectNode result = MAPPER.createObjectNode().put("schemaVersion", 1).put("resultId", "2c3dc50c-7093-3f6c-8f40-6f55e0b797d5")
                .put("alertId", "a").put("step", "enrich").put("outcome", "guessed").put("taniumServer", "default").put("taniumCalls", 1);
        result.putObject("timings").put("receivedAt", "2026-01-01T00:00:00Z").put("publishedAt", "2026-01-01T00:00:01Z")
                .put("enrichMs", 1).put("pipelineMs", 1);
        result.putObject("alert").put("id", "a").put("hostname", "h");

        assertThat(Schemas.violations("result.schema.json", result)).anyMatch(m -> m.contains("outcome"));
        result.put("outcome", "enriched");
        assertThat(Schemas.violations("result.schema.json", result)).isEmpty();
    }
}
