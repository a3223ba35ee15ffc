package io.github.taniumroutes.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.zip.CRC32;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The filter half of a Tanium question ({@code Computer Name equals WS-0142 and IP Address equals 10.20.30.41}), as
 * {@code POST /api/v2/groups} takes it and as the {@code with …} part of {@code POST /api/v2/parse_question}.
 *
 * <p>Grammar (quoting by doubling and the reserved words as the brief cites Tanium's "Reference: Advanced question
 * syntax", not re-read here; the seed's Actions guide for what Tanium accepts unquoted):
 * <pre>
 *   filter  := term ('or' term)*          -- 'and' binds tighter than 'or'
 *   term    := factor ('and' factor)*
 *   factor  := '(' filter ')' | SENSOR OPERATOR VALUE
 *   VALUE   := '"' chars '"'              -- a literal " inside is written ""
 *            | bare                       -- everything up to the next standalone and / or, ')' or the end, trimmed
 * </pre>
 * Reserved words are only ever connectives, so a bare value ends before the first standalone {@code and}/{@code or}: the
 * seed's own request has {@code Operating System equals Windows 10 Enterprise } and {@code IP Address equals 10.100.26.1}
 * unquoted, so bare values may hold spaces and dots. A {@code "} inside a bare value is a syntax error. Sensors: {@code
 * Computer Name}, {@code IP Address}, {@code Computer ID}, {@code Operating System}, {@code OS Platform}. Operators:
 * {@code equals}/{@code =}, {@code does not equal}/{@code !=}, {@code contains}, {@code does not contain},
 * {@code starts with}, {@code does not start with}, {@code ends with}, {@code does not end with}, {@code matches},
 * {@code does not match}. Comparison ignores case, as Tanium's {@code ignore_case_flag} does by default.
 *
 * <p>The consequence a client must get right: {@code Computer Name equals "WS-0142"" or Computer Name contains """} (the
 * alert value {@code WS-0142" or Computer Name contains "} quoted correctly) is one clause that matches nothing, while
 * {@code Computer Name equals "WS-0142" or Computer Name contains ""} (wrapped in quotes, not escaped) is two clauses and
 * the second one matches every endpoint.
 */
final class GroupText {

    /** Text that is not a filter Tanium's parser would accept; the message is the reason (for a 400 {@code {"text"}}). */
    static final class SyntaxError extends Exception {
        SyntaxError(String message) {
            super(message);
        }
    }

    /** A sensor usable in a filter, with what it reads on an endpoint. */
    enum Sensor {
        COMPUTER_NAME("Computer Name", 3409330187L),
        IP_ADDRESS("IP Address", hash("IP Address")),
        COMPUTER_ID("Computer ID", hash("Computer ID")),
        OPERATING_SYSTEM("Operating System", hash("Operating System")),
        OS_PLATFORM("OS Platform", hash("OS Platform"));

        final String label;
        /** Computer Name's hash is the one public responses show; the others are stable stand-ins. */
        final long hash;

        Sensor(String label, long hash) {
            this.label = label;
            this.hash = hash;
        }

        String read(Inventory.Endpoint endpoint) {
            return switch (this) {
                case COMPUTER_NAME -> endpoint.name();
                case IP_ADDRESS -> endpoint.ipAddress();
                case COMPUTER_ID -> endpoint.computerId();
                case OPERATING_SYSTEM -> endpoint.operatingSystem();
                case OS_PLATFORM -> endpoint.platform();
            };
        }

        static Sensor named(String name) {
            for (Sensor sensor : values()) {
                if (sensor.label.equalsIgnoreCase(name)) {
                    return sensor;
                }
            }
            return null;
        }
    }

    enum Operator {
        DOES_NOT_EQUAL("does not equal", true), NOT_EQUAL_SIGN("!=", true), EQUALS("equals", false), EQUAL_SIGN("=", false),
        DOES_NOT_CONTAIN("does not contain", true), CONTAINS("contains", false),
        DOES_NOT_START_WITH("does not start with", true), STARTS_WITH("starts with", false),
        DOES_NOT_END_WITH("does not end with", true), ENDS_WITH("ends with", false),
        DOES_NOT_MATCH("does not match", true), MATCHES("matches", false);

        final String word;
        final boolean negated;

        Operator(String word, boolean negated) {
            this.word = word;
            this.negated = negated;
        }

        /** The positive form's canonical word, as Tanium writes it back in a question_text. */
        String canonical() {
            return switch (this) {
                case DOES_NOT_EQUAL, NOT_EQUAL_SIGN -> "does not equal";
                case EQUALS, EQUAL_SIGN -> "equals";
                default -> word;
            };
        }

        boolean test(String actual, String value) {
            if (actual == null) {
                return false;
            }
            String a = actual.toLowerCase(Locale.ROOT);
            String v = value.toLowerCase(Locale.ROOT);
            boolean result = switch (this) {
                case EQUALS, EQUAL_SIGN, DOES_NOT_EQUAL, NOT_EQUAL_SIGN -> a.equals(v);
                case CONTAINS, DOES_NOT_CONTAIN -> a.contains(v);
                case STARTS_WITH, DOES_NOT_START_WITH -> a.startsWith(v);
                case ENDS_WITH, DOES_NOT_END_WITH -> a.endsWith(v);
                case MATCHES, DOES_NOT_MATCH -> regexMatches(value, actual, true);
            };
            return result != negated;
        }

        /** Tanium's filter object: {@code Equal} for equality, {@code RegexMatch} with {@code .*v.*} etc. for the rest. */
        String tanium() {
            return switch (this) {
                case EQUALS, EQUAL_SIGN, DOES_NOT_EQUAL, NOT_EQUAL_SIGN -> "Equal";
                default -> "RegexMatch";
            };
        }

        String taniumValue(String value) {
            String quoted = escapeRegex(value);
            return switch (this) {
                case EQUALS, EQUAL_SIGN, DOES_NOT_EQUAL, NOT_EQUAL_SIGN -> value;
                case CONTAINS, DOES_NOT_CONTAIN -> ".*" + quoted + ".*";
                case STARTS_WITH, DOES_NOT_START_WITH -> quoted + ".*";
                case ENDS_WITH, DOES_NOT_END_WITH -> ".*" + quoted;
                case MATCHES, DOES_NOT_MATCH -> value;
            };
        }
    }

    /** A parsed filter: a clause, or clauses joined by one connective. */
    sealed interface Node permits Clause, Junction {
        boolean matches(Inventory.Endpoint endpoint);

        /** Canonical text: sensor names as Tanium spells them, every value double-quoted with {@code "} doubled. */
        String text();

        /** This node with every operator loosened to {@code contains} (a looser interpretation). */
        Node loosened();
    }

    record Clause(Sensor sensor, Operator operator, String value) implements Node {
        @Override
        public boolean matches(Inventory.Endpoint endpoint) {
            return operator.test(sensor.read(endpoint), value);
        }

        @Override
        public String text() {
            return sensor.label + " " + operator.canonical() + " " + quote(value);
        }

        @Override
        public Node loosened() {
            return new Clause(sensor, operator.negated ? Operator.DOES_NOT_CONTAIN : Operator.CONTAINS, value);
        }
    }

    record Junction(boolean and, List<Node> parts) implements Node {
        @Override
        public boolean matches(Inventory.Endpoint endpoint) {
            for (Node part : parts) {
                if (part.matches(endpoint) != and) {
                    return !and;
                }
            }
            return and;
        }

        @Override
        public String text() {
            List<String> texts = new ArrayList<>();
            for (Node part : parts) {
                texts.add(part instanceof Junction j && j.and != and ? "(" + part.text() + ")" : part.text());
            }
            return String.join(and ? " and " : " or ", texts);
        }

        @Override
        public Node loosened() {
            return new Junction(and, parts.stream().map(Node::loosened).toList());
        }
    }

    private final String text;
    private int at;

    private GroupText(String text) {
        this.text = text;
    }

    /** Parses the whole text as a filter. */
    static Node parse(String text) throws SyntaxError {
        if (text == null || text.isBlank()) {
            throw new SyntaxError("The group text is empty");
        }
        GroupText parser = new GroupText(text);
        Node node = parser.filter(0);
        parser.skipSpaces();
        if (parser.at < text.length()) {
            throw new SyntaxError("Unexpected '" + text.substring(parser.at) + "' at character " + parser.at);
        }
        return node;
    }

    private Node filter(int depth) throws SyntaxError {
        List<Node> terms = new ArrayList<>();
        terms.add(term(depth));
        while (connective("or")) {
            terms.add(term(depth));
        }
        return terms.size() == 1 ? terms.get(0) : new Junction(false, terms);
    }

    private Node term(int depth) throws SyntaxError {
        List<Node> factors = new ArrayList<>();
        factors.add(factor(depth));
        while (connective("and")) {
            factors.add(factor(depth));
        }
        return factors.size() == 1 ? factors.get(0) : new Junction(true, factors);
    }

    private Node factor(int depth) throws SyntaxError {
        skipSpaces();
        if (at < text.length() && text.charAt(at) == '(') {
            at++;
            Node inner = filter(depth + 1);
            skipSpaces();
            if (at >= text.length() || text.charAt(at) != ')') {
                throw new SyntaxError("Missing ')' at character " + at);
            }
            at++;
            return inner;
        }
        Sensor sensor = sensor();
        Operator operator = operator(sensor);
        return new Clause(sensor, operator, value(depth, sensor, operator));
    }

    private Sensor sensor() throws SyntaxError {
        for (Sensor sensor : Sensor.values()) {
            if (word(sensor.label)) {
                return sensor;
            }
        }
        throw new SyntaxError(at >= text.length() ? "Expected a sensor at the end of the text"
                : "Unknown sensor at character " + at + ": '" + text.substring(at) + "'");
    }

    private Operator operator(Sensor sensor) throws SyntaxError {
        skipSpaces();
        Operator best = null;
        for (Operator operator : Operator.values()) {
            if (startsWithIgnoreCase(operator.word) && (best == null || operator.word.length() > best.word.length())) {
                int end = at + operator.word.length();
                boolean symbol = !Character.isLetter(operator.word.charAt(0));
                if (symbol || end == text.length() || Character.isWhitespace(text.charAt(end)) || text.charAt(end) == '"') {
                    best = operator;
                }
            }
        }
        if (best == null) {
            throw new SyntaxError("Expected an operator after '" + sensor.label + "' at character " + at);
        }
        at += best.word.length();
        return best;
    }

    private String value(int depth, Sensor sensor, Operator operator) throws SyntaxError {
        skipSpaces();
        if (at >= text.length()) {
            throw new SyntaxError("Missing value after '" + sensor.label + " " + operator.word + "'");
        }
        if (text.charAt(at) == '"') {
            StringBuilder value = new StringBuilder();
            int start = at++;
            while (true) {
                if (at >= text.length()) {
                    throw new SyntaxError("Unterminated quoted value starting at character " + start);
                }
                char c = text.charAt(at++);
                if (c != '"') {
                    value.append(c);
                } else if (at < text.length() && text.charAt(at) == '"') {
                    value.append('"');
                    at++;
                } else {
                    break;
                }
            }
            if (at < text.length() && !Character.isWhitespace(text.charAt(at)) && text.charAt(at) != ')') {
                throw new SyntaxError("Unexpected '" + text.charAt(at) + "' after the quoted value at character " + at);
            }
            return value.toString();
        }
        int start = at;
        while (at < text.length()) {
            char c = text.charAt(at);
            if (c == ')' && depth > 0) {
                break;
            }
            if (Character.isWhitespace(c) && (connectiveAhead("and") || connectiveAhead("or"))) {
                break;
            }
            if (c == '"') {
                throw new SyntaxError("A '\"' inside an unquoted value at character " + at + ": quote the value and write the quote as \"\"");
            }
            at++;
        }
        String value = text.substring(start, at).strip();
        if (value.isEmpty()) {
            throw new SyntaxError("Missing value after '" + sensor.label + " " + operator.word + "'");
        }
        return value;
    }

    /** Whether, from whitespace at {@code at}, the next word is this connective as a standalone word. */
    private boolean connectiveAhead(String word) {
        int i = at;
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i > at && wordAt(i, word);
    }

    private boolean connective(String word) {
        int before = at;
        skipSpaces();
        if (at > before && wordAt(at, word)) {
            at += word.length();
            return true;
        }
        at = before;
        return false;
    }

    /** The (multi-word) phrase at the current position, ignoring case, followed by whitespace or the end. */
    private boolean word(String phrase) {
        skipSpaces();
        if (wordAt(at, phrase)) {
            at += phrase.length();
            return true;
        }
        return false;
    }

    private boolean wordAt(int i, String phrase) {
        if (!text.regionMatches(true, i, phrase, 0, phrase.length())) {
            return false;
        }
        int end = i + phrase.length();
        return end == text.length() || Character.isWhitespace(text.charAt(end)) || text.charAt(end) == '(' || text.charAt(end) == '"';
    }

    private boolean startsWithIgnoreCase(String word) {
        return text.regionMatches(true, at, word, 0, word.length());
    }

    private void skipSpaces() {
        while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
            at++;
        }
    }

    static String quote(String value) {
        return "\"" + value.replace("\"", "\"\"") + "\"";
    }

    // ---- Tanium's group objects ----

    /**
     * The group object Tanium shows for a parsed filter (parse_question's {@code group}, a group's {@code filters} and
     * {@code sub_groups}): an {@code and_flag} group whose {@code filters} are its clauses and whose {@code sub_groups}
     * are its nested junctions. Filter fields follow the recorded parse_question response in demisto/content
     * Tanium_v2_test.py ({@code operator} {@code RegexMatch}, {@code value} {@code .*equals.*} for {@code contains}).
     */
    static ObjectNode groupJson(ObjectMapper mapper, Node node) {
        ObjectNode group = mapper.createObjectNode();
        Junction junction = node instanceof Junction j ? j : new Junction(true, List.of(node));
        group.put("and_flag", junction.and).put("deleted_flag", false);
        ArrayNode filters = group.putArray("filters");
        group.put("not_flag", false);
        ArrayNode subGroups = group.putArray("sub_groups");
        for (Node part : junction.parts) {
            if (part instanceof Clause clause) {
                filterJson(filters.addObject(), clause);
            } else {
                subGroups.add(groupJson(mapper, part));
            }
        }
        return group;
    }

    private static void filterJson(ObjectNode filter, Clause clause) {
        filter.put("all_times_flag", false).put("all_values_flag", false).put("delimiter", "").put("delimiter_index", 0)
                .put("ignore_case_flag", true).put("max_age_seconds", 0).put("not_flag", clause.operator.negated)
                .put("operator", clause.operator.tanium());
        filter.putObject("sensor").put("hash", clause.sensor.hash).put("id", clause.sensor.ordinal() + 3).put("name", clause.sensor.label);
        filter.put("substring_flag", false).put("substring_length", 0).put("substring_start", 0).put("utf8_flag", false)
                .put("value", clause.operator.taniumValue(clause.value)).put("value_type", "String");
    }

    /**
     * Whether an endpoint passes a group object a client sent (a parse_question {@code group} used as a question's
     * filter or an action's inline target_group): {@code filters} and {@code sub_groups} joined by {@code and_flag},
     * negated by {@code not_flag}; filter operators {@code Equal}, {@code RegexMatch}, {@code Contains},
     * {@code StartsWith}, {@code EndsWith} (and {@code NotEqual}), sensors by name or hash. An empty group matches all.
     */
    static boolean matchesGroupJson(JsonNode group, Inventory.Endpoint endpoint) throws SyntaxError {
        List<Boolean> results = new ArrayList<>();
        for (JsonNode filter : group.path("filters")) {
            results.add(matchesFilterJson(filter, endpoint));
        }
        for (JsonNode sub : group.path("sub_groups")) {
            results.add(matchesGroupJson(sub, endpoint));
        }
        boolean and = group.path("and_flag").asBoolean(true);
        boolean result = results.isEmpty() || (and ? !results.contains(false) : results.contains(true));
        return result != group.path("not_flag").asBoolean(false);
    }

    private static boolean matchesFilterJson(JsonNode filter, Inventory.Endpoint endpoint) throws SyntaxError {
        JsonNode sensorNode = filter.path("sensor");
        Sensor sensor = Sensor.named(sensorNode.path("name").asText(""));
        if (sensor == null && sensorNode.has("hash")) {
            for (Sensor candidate : Sensor.values()) {
                if (candidate.hash == sensorNode.path("hash").asLong()) {
                    sensor = candidate;
                }
            }
        }
        if (sensor == null) {
            throw new SyntaxError("Unknown filter sensor " + sensorNode);
        }
        String actual = sensor.read(endpoint);
        String value = filter.path("value").asText("");
        boolean ignoreCase = filter.path("ignore_case_flag").asBoolean(true);
        String op = filter.path("operator").asText("Equal");
        boolean result;
        if (actual == null) {
            result = false;
        } else {
            String a = ignoreCase ? actual.toLowerCase(Locale.ROOT) : actual;
            String v = ignoreCase ? value.toLowerCase(Locale.ROOT) : value;
            result = switch (op) {
                case "Equal", "NotEqual" -> a.equals(v) != op.equals("NotEqual");
                case "Contains" -> a.contains(v);
                case "StartsWith" -> a.startsWith(v);
                case "EndsWith" -> a.endsWith(v);
                case "RegexMatch" -> regexMatches(value, actual, ignoreCase);
                default -> throw new SyntaxError("Unsupported filter operator " + op);
            };
        }
        return result != filter.path("not_flag").asBoolean(false);
    }

    static boolean regexMatches(String regex, String actual, boolean ignoreCase) {
        try {
            return Pattern.compile(regex, ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.DOTALL : Pattern.DOTALL).matcher(actual).matches();
        } catch (PatternSyntaxException e) {
            return false;
        }
    }

    static String escapeRegex(String value) {
        StringBuilder out = new StringBuilder();
        for (char c : value.toCharArray()) {
            if ("\\.[]{}()*+?^$|".indexOf(c) >= 0) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }

    /** A stable stand-in for a sensor or column hash where no public response shows the real one. */
    static long hash(String name) {
        CRC32 crc = new CRC32();
        crc.update(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return crc.getValue();
    }
}
