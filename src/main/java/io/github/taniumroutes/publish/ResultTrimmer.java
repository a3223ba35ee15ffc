package io.github.taniumroutes.publish;

import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Cuts a result document down to a byte budget, largest and least needed parts first, and says in
 * the document's {@code truncated} what it cut: the raw alert; then sensor rows, halving the
 * largest sensor's rows until the result fits; then a snapshot's details; then the alert down to
 * its identity; last, the list of ambiguous candidates. Ids, outcome, endpoint, decision and
 * timings are never cut. Every size is measured with the {@code truncated} note in place.
 */
final class ResultTrimmer {

    /** The alert fields kept when even the rest of the alert does not fit. */
    private static final Set<String> ALERT_IDENTITY = Set.of("id", "source", "format", "time", "severity", "hostname", "ip",
            "taniumEndpointId");

    private final ObjectMapper mapper;

    ResultTrimmer(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** The document as JSON of at most {@code budget} bytes if it can be cut that far; else as small as it gets. */
    String fit(ObjectNode result, int budget) {
        byte[] json = bytes(result);
        if (json.length <= budget) {
            return new String(json, StandardCharsets.UTF_8);
        }
        Cuts cuts = new Cuts(result, json.length);
        if (result.get("alert") instanceof ObjectNode alert && alert.has("raw")) {
            alert.remove("raw");
            cuts.note("alert.raw", "alert.raw");
        }
        if (cuts.over(budget)) {
            trimSensorRows(result, cuts, budget);
        }
        if (cuts.over(budget) && result.has("snapshot")) {
            result.remove("snapshot");
            cuts.note("snapshot", "snapshot");
        }
        if (cuts.over(budget) && result.get("alert") instanceof ObjectNode alert) {
            alert.retain(ALERT_IDENTITY);
            cuts.note("alert", "alert (all but its identity)");
        }
        if (cuts.over(budget) && result.has("candidates")) {
            cuts.note("candidates", "candidates (" + result.get("candidates").size() + ")");
            result.remove("candidates");
        }
        return new String(bytes(result), StandardCharsets.UTF_8);
    }

    /** Halves the rows of the sensor whose rows are largest until the result fits or no sensor has rows left. */
    private void trimSensorRows(ObjectNode result, Cuts cuts, int budget) {
        if (!(result.get("sensors") instanceof ObjectNode sensors)) {
            return;
        }
        Map<String, Integer> readRows = new LinkedHashMap<>();
        sensors.fields().forEachRemaining(e -> readRows.put(e.getKey(), e.getValue().path("rows").size()));
        while (cuts.over(budget)) {
            String largest = null;
            int largestBytes = 0;
            for (Iterator<Map.Entry<String, JsonNode>> it = sensors.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> sensor = it.next();
                JsonNode rows = sensor.getValue().path("rows");
                int size = rows.isEmpty() ? 0 : bytes(rows).length;
                if (size > largestBytes) {
                    largest = sensor.getKey();
                    largestBytes = size;
                }
            }
            if (largest == null) {
                return;
            }
            ObjectNode sensor = (ObjectNode) sensors.get(largest);
            ArrayNode rows = (ArrayNode) sensor.get("rows");
            int read = readRows.get(largest);
            for (int keep = rows.size() / 2; rows.size() > keep;) {
                rows.remove(rows.size() - 1);
            }
            // totalRows already says how many the endpoint had when the read itself was capped.
            if (!sensor.has("totalRows")) {
                sensor.put("totalRows", read);
            }
            cuts.note("sensors." + largest, "sensors." + largest + ".rows (" + (read - rows.size()) + " of " + read + ")");
        }
    }

    /** What was cut, kept in the document's {@code truncated} as it goes, so that every measurement includes it. */
    private final class Cuts {
        private final ObjectNode result;
        private final ArrayNode dropped;
        private final Map<String, String> notes = new LinkedHashMap<>();

        Cuts(ObjectNode result, int originalBytes) {
            this.result = result;
            ObjectNode truncated = result.putObject("truncated");
            truncated.put("originalBytes", originalBytes);
            this.dropped = truncated.putArray("dropped");
        }

        void note(String part, String what) {
            notes.put(part, what);
            dropped.removeAll();
            notes.values().forEach(dropped::add);
        }

        boolean over(int budget) {
            return bytes(result).length > budget;
        }
    }

    private byte[] bytes(JsonNode node) {
        try {
            return mapper.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a result", e);
        }
    }
}
