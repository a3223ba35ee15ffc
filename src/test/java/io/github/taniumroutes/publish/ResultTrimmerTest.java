package io.github.taniumroutes.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.taniumroutes.alert.CanonicalAlert;
import io.github.taniumroutes.tanium.SensorRows;
import io.github.taniumroutes.tanium.TaniumEndpoint;
import org.junit.jupiter.api.Test;

/** Results are cut to their budget, largest and least needed parts first, and say what was cut. */
class ResultTrimmerTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final ResultTrimmer trimmer = new ResultTrimmer(MAPPER);

    private static ObjectNode result(int rawFiller, int rows) {
        ObjectNode result = MAPPER.createObjectNode().put("schemaVersion", 1).put("resultId", "r-1").put("alertId", "a-1")
                .put("outcome", "enriched");
        result.putObject("endpoint").put("id", "1001");
        ObjectNode processes = result.putObject("sensors").putObject("Running Processes with Hash");
        ArrayNode rowsNode = processes.putArray("rows");
        for (int i = 0; i < rows; i++) {
            rowsNode.addObject().put("Name", "process-" + i).put("Hash", "h".repeat(64));
        }
        ObjectNode alert = result.putObject("alert").put("id", "a-1").put("hostname", "WS-1").put("rule", "r".repeat(500));
        alert.putObject("raw").put("filler", "x".repeat(rawFiller));
        return result;
    }

    private static int size(String json) {
        return json.getBytes(StandardCharsets.UTF_8).length;
    }

    @Test
    void aResultExactlyAtTheBudgetIsUntouchedAndOneByteOverLosesItsRawAlert() throws Exception {
        int budget = size(MAPPER.writeValueAsString(result(10_000, 3)));

        String atBudget = trimmer.fit(result(10_000, 3), budget);
        assertThat(size(atBudget)).isEqualTo(budget);
        assertThat(MAPPER.readTree(atBudget).has("truncated")).isFalse();

        JsonNode overByOne = MAPPER.readTree(trimmer.fit(result(10_001, 3), budget));
        assertThat(size(overByOne.toString())).isLessThanOrEqualTo(budget);
        assertThat(overByOne.path("alert").has("raw")).isFalse();
        assertThat(overByOne.path("alert").path("rule").asText()).hasSize(500);
        assertThat(overByOne.path("sensors").path("Running Processes with Hash").path("rows")).hasSize(3);
        assertThat(overByOne.path("truncated").path("originalBytes").asInt()).isEqualTo(budget + 1);
        assertThat(overByOne.path("truncated").path("dropped")).extracting(JsonNode::asText).containsExactly("alert.raw");
    }

    @Test
    void sensorRowsAreHalvedUntilTheResultFitsAndTheCountIsKept() throws Exception {
        ObjectNode big = result(100, 1000);
        int budget = 40_000;

        JsonNode fitted = MAPPER.readTree(trimmer.fit(big, budget));

        assertThat(size(fitted.toString())).isLessThanOrEqualTo(budget);
        JsonNode sensor = fitted.path("sensors").path("Running Processes with Hash");
        int kept = sensor.path("rows").size();
        assertThat(kept).isBetween(1, 999);
        assertThat(sensor.path("totalRows").asInt()).isEqualTo(1000);
        assertThat(sensor.path("rows").get(0).path("Name").asText()).as("the first rows are kept").isEqualTo("process-0");
        assertThat(fitted.path("truncated").path("dropped")).extracting(JsonNode::asText)
                .containsExactly("alert.raw", "sensors.Running Processes with Hash.rows (" + (1000 - kept) + " of 1000)");
        assertThat(fitted.path("endpoint").path("id").asText()).isEqualTo("1001");
    }

    @Test
    void whenNothingElseIsLeftTheAlertKeepsOnlyItsIdentity() throws Exception {
        ObjectNode big = result(100, 0);
        ((ObjectNode) big.get("alert")).put("rule", "r".repeat(50_000));

        JsonNode fitted = MAPPER.readTree(trimmer.fit(big, 10_000));

        assertThat(size(fitted.toString())).isLessThanOrEqualTo(10_000);
        assertThat(fitted.path("alert").path("id").asText()).isEqualTo("a-1");
        assertThat(fitted.path("alert").path("hostname").asText()).isEqualTo("WS-1");
        assertThat(fitted.path("alert").has("rule")).isFalse();
        assertThat(fitted.path("truncated").path("dropped")).extracting(JsonNode::asText)
                .containsExactly("alert.raw", "alert (all but its identity)");
    }

    @Test
    void theEnrichmentResultOfALargeAlertFitsTheConfiguredBudget() throws Exception {
        OutcomeBudget budget = new OutcomeBudget(60_000, 4_000, 1_048_576);
        ResultBuilder builder = new ResultBuilder(MAPPER, budget);
        ObjectNode raw = MAPPER.createObjectNode().put("message", "m".repeat(30_000));
        CanonicalAlert alert = new CanonicalAlert("big-1", "canonical", "canonical", null, "high", "t".repeat(20_000), null,
                "WS-1", null, null, null, null, null, raw);
        List<Map<String, String>> rows = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            Map<String, String> row = new LinkedHashMap<>();
            row.put("Name", "p" + i);
            row.put("Command Line", "c".repeat(100));
            rows.add(row);
        }
        long now = System.currentTimeMillis();

        String json = builder.enrichmentResult(alert, "default", "enriched", null, List.of(new TaniumEndpoint("1001", "WS-1", null, null)),
                Map.of("Running Processes with Hash", new SensorRows(rows, null)), now, false, 2, now, now, null);

        assertThat(size(json)).isLessThanOrEqualTo(budget.valueBytes());
        JsonNode result = MAPPER.readTree(json);
        assertThat(result.path("alert").path("type").asText()).hasSize(20_000);
        assertThat(result.path("alert").has("raw")).isFalse();
        assertThat(result.path("sensors").path("Running Processes with Hash").path("totalRows").asInt()).isEqualTo(500);
        assertThat(result.path("truncated").path("originalBytes").asInt()).isGreaterThan(budget.valueBytes());
        assertThat(io.github.taniumroutes.e2e.Schemas.violations("result.schema.json", result)).isEmpty();
    }
}
