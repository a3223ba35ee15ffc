package io.github.taniumroutes.devkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One short line for each record the demo prints: which alert, what came of it, on which endpoint,
 * and what was found or done. The whole record stays available (see DemoEnvironment); this line is
 * only for reading the console.
 */
final class OutcomeLines {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int ID_WIDTH = 28;

    private OutcomeLines() {
    }

    /** {@code kind} is results, dead letter or audit; {@code headers} the record's string headers. */
    static String line(String kind, String key, Map<String, String> headers, String value) {
        JsonNode record = read(value);
        return switch (kind) {
            case "dead letter" -> String.format("%-11s %-" + ID_WIDTH + "s %s: %s", kind,
                    shortId(firstOf(headers.get("alertId"), record.path("id").asText(null), key)),
                    headers.getOrDefault("dlqReason", "?"), oneLine(headers.getOrDefault("dlqDetail", "")));
            case "audit" -> String.format("%-11s %-" + ID_WIDTH + "s %-20s %s", kind, shortId(record.path("alertId").asText(key)),
                    endpoint(record, key), audited(record));
            default -> String.format("%-11s %-" + ID_WIDTH + "s %-14s %-19s %-24s %s", kind, shortId(record.path("alertId").asText(key)),
                    record.path("step").asText("?"), record.path("outcome").asText("?"), endpoint(record, key), found(record));
        };
    }

    private static JsonNode read(String value) {
        try {
            JsonNode node = value == null ? null : MAPPER.readTree(value);
            return node == null ? MAPPER.createObjectNode() : node;
        } catch (Exception e) {
            // A dead letter's body is the alert as it came, perhaps not JSON at all.
            return MAPPER.createObjectNode();
        }
    }

    static String found(JsonNode result) {
        List<String> parts = new ArrayList<>();
        switch (result.path("step").asText()) {
            case "enrich" -> {
                if (result.path("sensors").isObject() && result.path("sensors").size() > 0) {
                    parts.add(result.path("sensors").size() + " sensors read");
                }
                JsonNode decision = result.path("decision");
                if (decision.isObject()) {
                    List<String> steps = new ArrayList<>();
                    for (JsonNode step : decision.path("steps")) {
                        String type = step.path("type").asText();
                        if (!"enrich".equals(type)) {
                            steps.add(type + (step.path("dryRun").asBoolean(false) ? " (dry run)" : ""));
                        }
                    }
                    parts.add("rule " + decision.path("rule").asText("?") + (steps.isEmpty() ? "" : " plans " + String.join(", ", steps)));
                }
            }
            case "snapshot" -> addIf(parts, "snapshot ", firstOf(result.path("snapshot").path("name").asText(null),
                    result.path("snapshotTaskId").asText(null)));
            case "file-evidence" -> addIf(parts, "files: ", result.path("files").isArray() ? String.valueOf(result.path("files").size()) : null);
            case "question" -> addIf(parts, "rows: ", result.path("totalRows").asText(null));
            case "action" -> {
                if (result.path("wouldSend").isArray()) {
                    parts.add("would send " + result.path("wouldSend").size() + " requests");
                }
                addIf(parts, "action ", result.path("actionId").asText(null));
                addIf(parts, "status ", result.path("actionStatus").asText(null));
            }
            case "direct-connect" -> {
                addIf(parts, "processes: ", result.path("totalProcesses").asText(null));
                addIf(parts, "kill: ", result.path("killResult").asText(null));
                if (result.has("wouldKill")) {
                    parts.add("would kill " + result.path("wouldKill").path("pid").asText(result.path("wouldKill").asText()));
                }
            }
            case "alert-state" -> addIf(parts, "state ", result.path("alertState").asText(null));
            default -> {
            }
        }
        addIf(parts, "", result.path("reason").asText(null));
        return oneLine(String.join("; ", parts));
    }

    private static String audited(JsonNode audit) {
        JsonNode decision = audit.path("decision");
        if (decision.isObject()) {
            List<String> remediations = new ArrayList<>();
            for (JsonNode step : decision.path("steps")) {
                if (step.path("remediation").asBoolean(false)) {
                    remediations.add(step.path("type").asText() + (step.path("dryRun").asBoolean(false) ? " (dry run)" : " (live)"));
                }
            }
            return oneLine("rule " + decision.path("rule").asText("?") + " decided " + String.join(", ", remediations));
        }
        return oneLine(firstOf(audit.path("step").asText(null), "") + " " + firstOf(audit.path("outcome").asText(null), "")).trim();
    }

    private static String endpoint(JsonNode record, String key) {
        JsonNode endpoint = record.path("endpoint");
        String name = endpoint.path("name").asText(null);
        return name != null ? name : firstOf(key, "-");
    }

    private static void addIf(List<String> parts, String prefix, String value) {
        if (value != null && !value.isBlank()) {
            parts.add(prefix + value);
        }
    }

    private static String firstOf(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }

    private static String shortId(String id) {
        if (id == null) {
            return "-";
        }
        return id.length() <= ID_WIDTH ? id : id.substring(0, ID_WIDTH - 3) + "...";
    }

    private static String oneLine(String text) {
        String flat = text == null ? "" : text.replaceAll("\\s+", " ").trim();
        return flat.length() <= 160 ? flat : flat.substring(0, 157) + "...";
    }
}
