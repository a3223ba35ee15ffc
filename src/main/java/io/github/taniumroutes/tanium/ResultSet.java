package io.github.taniumroutes.tanium;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One result set of an action or a question, as {@code GET /api/v2/result_data/action/{id}},
 * {@code result_data/question/{id}} and {@code result_info/question/{id}} report it (TANIUM_API.md §4,
 * seed 003): the counters ({@code estimated_total}, {@code mr_tested}, {@code mr_passed} ...), the
 * columns and the rows, each row with the computer id of the endpoint that answered ({@code cid}, the
 * Gateway's computerID) and its cells, each a list of values.
 *
 * <p>Read defensively: the set may sit under {@code data.result_sets} or {@code data.result_infos}
 * (or without {@code data}); counters may be missing or text; a reply with no set at all is an empty
 * set (nothing known yet).
 *
 * <p>Completion is {@code 100 * mr_tested / estimated_total}, clamped to 100 (seed 003's own example
 * has 103 of 100), and unknown while {@code estimated_total} is 0 or absent: never a division by zero.
 */
public record ResultSet(long estimatedTotal, long mrTested, long mrPassed, long tested, long passed, long rowCount,
        List<String> columns, List<Row> rows) {

    /** A row: the computer id of the endpoint that answered and the values of each column. */
    public record Row(String computerId, List<List<String>> cells) {

        /** The values of column {@code index}, or none. */
        public List<String> cell(int index) {
            return index < cells.size() ? cells.get(index) : List.of();
        }
    }

    public static ResultSet parse(ObjectMapper mapper, String reply) {
        JsonNode root;
        try {
            root = mapper.readTree(reply == null ? "" : reply);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Tanium's result reply is not JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("Tanium's result reply is not a JSON object");
        }
        JsonNode data = root.has("data") ? root.path("data") : root;
        JsonNode set = data.path("result_sets").path(0);
        if (set.isMissingNode()) {
            set = data.path("result_infos").path(0);
        }
        if (!set.isObject()) {
            return new ResultSet(0, 0, 0, 0, 0, 0, List.of(), List.of());
        }
        List<String> columns = new ArrayList<>();
        set.path("columns").forEach(column -> columns.add(column.path("name").asText("")));
        List<Row> rows = new ArrayList<>();
        for (JsonNode row : set.path("rows")) {
            List<List<String>> cells = new ArrayList<>();
            for (JsonNode cell : row.path("data")) {
                List<String> values = new ArrayList<>();
                if (cell.isArray()) {
                    cell.forEach(value -> values.add(value.path("text").asText("")));
                } else {
                    values.add(cell.path("text").asText(cell.asText("")));
                }
                cells.add(List.copyOf(values));
            }
            JsonNode cid = row.path("cid");
            rows.add(new Row(cid.isMissingNode() || cid.isNull() ? null : cid.asText(), List.copyOf(cells)));
        }
        return new ResultSet(number(set, "estimated_total"), number(set, "mr_tested"), number(set, "mr_passed"), number(set, "tested"),
                number(set, "passed"), set.has("row_count") ? number(set, "row_count") : rows.size(), List.copyOf(columns), List.copyOf(rows));
    }

    /** The completion percentage, at most 100; null while Tanium does not know how many endpoints will answer. */
    public Integer completionPercent() {
        if (estimatedTotal <= 0) {
            return null;
        }
        return (int) Math.min(100, mrTested * 100 / estimatedTotal);
    }

    /** Whether the completion percentage has reached {@code threshold} (never while it is unknown). */
    public boolean reached(int threshold) {
        Integer percent = completionPercent();
        return percent != null && percent >= threshold;
    }

    /** The index of the column named {@code name} (ignoring case), or -1. */
    public int column(String name) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }

    /** The counters, for a step's result. */
    public Map<String, Object> counters() {
        Map<String, Object> counters = new LinkedHashMap<>();
        counters.put("estimatedTotal", estimatedTotal);
        counters.put("mrTested", mrTested);
        counters.put("mrPassed", mrPassed);
        counters.put("rowCount", rowCount);
        counters.put("completionPercent", completionPercent());
        return counters;
    }

    private static long number(JsonNode set, String field) {
        JsonNode value = set.path(field);
        if (value.isNumber()) {
            return value.asLong();
        }
        try {
            return value.isTextual() ? Long.parseLong(value.asText().strip()) : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
