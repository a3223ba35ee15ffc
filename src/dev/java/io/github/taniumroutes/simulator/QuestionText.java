package io.github.taniumroutes.simulator;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Tanium question text: {@code Get <Sensor>[params] [and <Sensor>[params] …] from all machines [with <filter>]}, the
 * filter in {@link GroupText}'s syntax. Parameters are positional and comma separated, in the order of the sensor's
 * parameter_definition; a value may be double-quoted ({@code ""} is an empty value), as in the public question
 * {@code Get Trace Executed Processes[1 month,1522723342293|1522726941293,0,0,10,0,rar.exe,"",-hp,"","",""] from all
 * machines} (splunk-soar-connectors/taniumrest README).
 */
final class QuestionText {

    /** A sensor a question can select: its columns and what it reads on each endpoint (rows of column values). */
    record SensorDef(String name, long hash, List<String> columns, List<PlatformCatalog.Parameter> parameters,
            Function<Inventory.Endpoint, List<List<String>>> reader) {
    }

    /**
     * One selected sensor. {@code rawParameters} is the bracket text as written (null without brackets),
     * {@code parameterValues} its values in order, {@code parameters} the value of every keyed parameter (defaults filled in).
     */
    record Select(SensorDef sensor, String rawParameters, List<String> parameterValues, Map<String, String> parameters) {

        /** The rows this select reads on an endpoint, after the parameters that filter a column and MaxResultsPerHost. */
        List<List<String>> rows(Inventory.Endpoint endpoint) {
            boolean regex = "1".equals(parameters.get("TreatInputAsRegEx"));
            List<List<String>> rows = new ArrayList<>();
            for (List<String> row : sensor.reader.apply(endpoint)) {
                if (passes(row, regex)) {
                    rows.add(row);
                }
            }
            String max = parameters.get("MaxResultsPerHost");
            if (max != null && max.matches("\\d+") && Long.parseLong(max) < rows.size()) {
                rows = rows.subList(0, Integer.parseInt(max));
            }
            return rows;
        }

        private boolean passes(List<String> row, boolean regex) {
            for (PlatformCatalog.Parameter parameter : sensor.parameters) {
                String value = parameters.get(parameter.key());
                int column = parameter.column() == null ? -1 : sensor.columns.indexOf(parameter.column());
                if (value == null || value.isEmpty() || column < 0 || column >= row.size()) {
                    continue;
                }
                String cell = row.get(column);
                boolean ok;
                if (regex) {
                    try {
                        ok = Pattern.compile(value, Pattern.CASE_INSENSITIVE).matcher(cell).find();
                    } catch (PatternSyntaxException e) {
                        ok = false;
                    }
                } else {
                    ok = cell.toLowerCase(Locale.ROOT).contains(value.toLowerCase(Locale.ROOT));
                }
                if (!ok) {
                    return false;
                }
            }
            return true;
        }

        String text() {
            return sensor.name + (rawParameters == null ? "" : "[" + rawParameters + "]");
        }
    }

    /** A parsed question; {@code filter} is null for {@code from all machines} alone. */
    record Parsed(List<Select> selects, GroupText.Node filter) {
        /** The canonical question_text: sensor names as Tanium spells them, values of the filter quoted. */
        String text() {
            return "Get " + String.join(" and ", selects.stream().map(Select::text).toList()) + " from all machines"
                    + (filter == null ? "" : " with " + filter.text());
        }
    }

    private static final String FROM = " from all machines";

    private QuestionText() {
    }

    /** The sensors a question can select: the catalog's, the filter sensors, and any other the inventory reads. */
    static Map<String, SensorDef> sensors(Inventory inventory, PlatformCatalog catalog) {
        Map<String, SensorDef> sensors = new LinkedHashMap<>();
        for (GroupText.Sensor sensor : GroupText.Sensor.values()) {
            sensors.put(sensor.label, new SensorDef(sensor.label, sensor.hash, List.of(sensor.label), List.of(),
                    endpoint -> List.of(List.of(String.valueOf(sensor.read(endpoint))))));
        }
        for (PlatformCatalog.Sensor sensor : catalog.sensors()) {
            sensors.put(sensor.name(), new SensorDef(sensor.name(), sensor.hash(), sensor.columns(), sensor.parameters(),
                    endpoint -> inventoryRows(endpoint, sensor.name())));
        }
        for (Inventory.Endpoint endpoint : inventory.endpoints()) {
            endpoint.sensors().forEach((name, data) -> sensors.computeIfAbsent(name,
                    n -> new SensorDef(n, GroupText.hash(n), data.columns(), List.of(), e -> inventoryRows(e, n))));
        }
        return sensors;
    }

    private static List<List<String>> inventoryRows(Inventory.Endpoint endpoint, String sensor) {
        Inventory.SensorData data = endpoint.sensors().get(sensor);
        return data == null ? List.of() : data.rows();
    }

    /** Parses question text; a {@link GroupText.SyntaxError} names what it could not read (an unknown sensor, say). */
    static Parsed parse(String text, Map<String, SensorDef> sensors) throws GroupText.SyntaxError {
        if (text == null) {
            throw new GroupText.SyntaxError("No question text");
        }
        String trimmed = text.strip();
        if (!trimmed.regionMatches(true, 0, "get ", 0, 4)) {
            throw new GroupText.SyntaxError("A question starts with 'Get'");
        }
        int from = indexOfIgnoreCase(trimmed, FROM, 4);
        if (from < 0) {
            throw new GroupText.SyntaxError("A question needs 'from all machines'");
        }
        List<Select> selects = selects(trimmed.substring(4, from), sensors);
        String rest = trimmed.substring(from + FROM.length()).strip();
        GroupText.Node filter = null;
        if (!rest.isEmpty()) {
            if (!rest.regionMatches(true, 0, "with ", 0, 5)) {
                throw new GroupText.SyntaxError("Expected 'with' after 'from all machines', found '" + rest + "'");
            }
            filter = GroupText.parse(rest.substring(5));
        }
        return new Parsed(selects, filter);
    }

    private static List<Select> selects(String text, Map<String, SensorDef> sensors) throws GroupText.SyntaxError {
        List<String> names = new ArrayList<>(sensors.keySet());
        names.sort(Comparator.comparingInt(String::length).reversed());
        List<Select> selects = new ArrayList<>();
        int at = 0;
        while (true) {
            at = skipSpaces(text, at);
            SensorDef sensor = null;
            for (String name : names) {
                int end = at + name.length();
                if (text.regionMatches(true, at, name, 0, name.length())
                        && (end == text.length() || text.charAt(end) == '[' || Character.isWhitespace(text.charAt(end)))) {
                    sensor = sensors.get(name);
                    at = end;
                    break;
                }
            }
            if (sensor == null) {
                throw new GroupText.SyntaxError("Unknown sensor: '" + text.substring(at).strip() + "'");
            }
            String raw = null;
            if (at < text.length() && text.charAt(at) == '[') {
                int close = closingBracket(text, at);
                raw = text.substring(at + 1, close);
                at = close + 1;
            }
            selects.add(select(sensor, raw));
            at = skipSpaces(text, at);
            if (at >= text.length()) {
                return selects;
            }
            if (!text.regionMatches(true, at, "and ", 0, 4)) {
                throw new GroupText.SyntaxError("Expected 'and' or 'from all machines' at '" + text.substring(at) + "'");
            }
            at += 4;
        }
    }

    /** A select with its parameters: bracket values by position, then defaults; keys of values past the last parameter are dropped. */
    static Select select(SensorDef sensor, String raw) throws GroupText.SyntaxError {
        List<String> values = raw == null ? List.of() : splitValues(raw);
        Map<String, String> parameters = new LinkedHashMap<>();
        int index = 0;
        for (PlatformCatalog.Parameter parameter : sensor.parameters()) {
            if (!parameter.takesValue()) {
                continue;
            }
            parameters.put(parameter.key(), index < values.size() ? values.get(index) : parameter.defaultValue());
            index++;
        }
        return new Select(sensor, raw, values, parameters);
    }

    /** A select from a question body's {@code sensor.parameters} ({@code [{"key":"||TimeRange||","value":…}]}). */
    static Select select(SensorDef sensor, Map<String, String> given) {
        Map<String, String> parameters = new LinkedHashMap<>();
        List<String> values = new ArrayList<>();
        for (PlatformCatalog.Parameter parameter : sensor.parameters()) {
            if (parameter.takesValue()) {
                String value = given.getOrDefault(parameter.key(), parameter.defaultValue());
                parameters.put(parameter.key(), value);
                values.add(value);
            }
        }
        String raw = given.isEmpty() ? null : String.join(",", values.stream().map(v -> v.isEmpty() || v.contains(",") ? GroupText.quote(v) : v).toList());
        return new Select(sensor, raw, given.isEmpty() ? List.of() : values, parameters);
    }

    private static List<String> splitValues(String raw) throws GroupText.SyntaxError {
        List<String> values = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < raw.length() && raw.charAt(i + 1) == '"') {
                    current.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    current.append(c);
                }
            } else if (c == '"' && current.toString().isBlank()) {
                quoted = true;
                wasQuoted = true;
                current.setLength(0);
            } else if (c == ',') {
                values.add(wasQuoted ? current.toString() : current.toString().strip());
                current.setLength(0);
                wasQuoted = false;
            } else if (!(wasQuoted && Character.isWhitespace(c))) {
                current.append(c);
            }
        }
        if (quoted) {
            throw new GroupText.SyntaxError("Unterminated quoted parameter value in [" + raw + "]");
        }
        values.add(wasQuoted ? current.toString() : current.toString().strip());
        return values;
    }

    private static int closingBracket(String text, int open) throws GroupText.SyntaxError {
        boolean quoted = false;
        for (int i = open + 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ']' && !quoted) {
                return i;
            }
        }
        throw new GroupText.SyntaxError("Missing ']' after the parameters at character " + open);
    }

    private static int skipSpaces(String text, int at) {
        while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
            at++;
        }
        return at;
    }

    private static int indexOfIgnoreCase(String text, String part, int from) {
        for (int i = from; i + part.length() <= text.length(); i++) {
            if (text.regionMatches(true, i, part, 0, part.length())) {
                return i;
            }
        }
        return -1;
    }

    /**
     * One parse_question candidate, in the shape of the recorded responses in demisto/content Tanium_v2_test.py
     * ({@code from_canonical_text}, {@code group} only when there is a filter, {@code question_text}, {@code selects}
     * of {@code {"sensor":{"hash","name"}}} and {@code sensor_references} with {@code start_char} as a string) plus
     * {@code parameter_values} when the text has bracket parameters (read by splunk-soar-connectors/taniumrest).
     */
    static ObjectNode candidate(ObjectMapper mapper, Parsed parsed) {
        ObjectNode candidate = mapper.createObjectNode().put("from_canonical_text", 0);
        String text = parsed.text();
        if (parsed.filter() != null) {
            candidate.set("group", GroupText.groupJson(mapper, parsed.filter()));
        }
        List<String> values = new ArrayList<>();
        parsed.selects().forEach(s -> values.addAll(s.parameterValues()));
        if (!values.isEmpty()) {
            values.forEach(candidate.putArray("parameter_values")::add);
        }
        candidate.put("question_text", text);
        ArrayNode selects = candidate.putArray("selects");
        ArrayNode references = candidate.putArray("sensor_references");
        int searchFrom = 0;
        for (Select select : parsed.selects()) {
            selects.addObject().putObject("sensor").put("hash", select.sensor().hash()).put("name", select.sensor().name());
            int at = text.indexOf(select.sensor().name(), searchFrom);
            references.addObject().put("name", select.sensor().name()).put("real_ms_avg", 0).put("start_char", String.valueOf(at));
            searchFrom = at + select.sensor().name().length();
        }
        if (parsed.filter() != null) {
            for (GroupText.Clause clause : clauses(parsed.filter())) {
                int at = text.indexOf(clause.sensor().label, searchFrom);
                references.addObject().put("name", clause.sensor().label).put("real_ms_avg", 0).put("start_char", String.valueOf(at));
                searchFrom = at + clause.sensor().label.length();
            }
        }
        return candidate;
    }

    private static List<GroupText.Clause> clauses(GroupText.Node node) {
        List<GroupText.Clause> clauses = new ArrayList<>();
        if (node instanceof GroupText.Clause clause) {
            clauses.add(clause);
        } else if (node instanceof GroupText.Junction junction) {
            junction.parts().forEach(part -> clauses.addAll(clauses(part)));
        }
        return clauses;
    }
}
