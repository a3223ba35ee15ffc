package io.github.taniumroutes.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GraphQlDocumentTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static JsonNode vars(String json) throws Exception {
        return MAPPER.readTree(json.replace('\'', '"'));
    }

    // ---- fields --------------------------------------------------------------------------

    @Test
    void readsArgumentsOfEveryOccurrenceWithAliases() throws Exception {
        String query = """
                query Q($h: String, $t: String) {
                  endpoints(first: 10, source: {ts: {}}, filter: {path: "name", op: EQ, value: $h}) {
                    edges { node {
                      s0: sensorReadings(sensors: [{name: "A", params: [{name: "HashType", value: $t}]}]) { columns { name } }
                      sensorReadings(sensors: [{name: "B"}]) { columns { name } }
                    } }
                  }
                }
                """;

        JsonNode variables = vars("{'h': 'WS-1', 't': 'MD5'}");
        List<GraphQlDocument.Field> endpoints = GraphQlDocument.fields(query, variables, "endpoints");
        List<GraphQlDocument.Field> sensors = GraphQlDocument.fields(query, variables, "sensorReadings");

        assertThat(endpoints).containsExactly(new GraphQlDocument.Field("endpoints", "endpoints", Map.of(
                "first", "10",
                "source", Map.of("ts", Map.of()),
                "filter", Map.of("path", "name", "op", "EQ", "value", "WS-1"))));
        assertThat(sensors).extracting(GraphQlDocument.Field::alias).containsExactly("s0", "sensorReadings");
        assertThat(sensors).extracting(GraphQlDocument.Field::name).containsOnly("sensorReadings");
        assertThat(sensors.get(0).arguments()).isEqualTo(Map.of("sensors",
                List.of(Map.of("name", "A", "params", List.of(Map.of("name", "HashType", "value", "MD5"))))));
        assertThat(sensors.get(1).arguments()).isEqualTo(Map.of("sensors", List.of(Map.of("name", "B"))));
    }

    @Test
    void argumentsKeepDocumentOrder() {
        GraphQlDocument.Field field = GraphQlDocument.fields("{ f(z: 1, a: 2, m: 3) }", null, "f").get(0);

        assertThat(field.arguments().keySet()).containsExactly("z", "a", "m");
    }

    @Test
    void literalsAreReadByKind() {
        GraphQlDocument.Field field = GraphQlDocument.fields(
                "{ f(t: true, u: false, n: null, e: EQ, i: -12, d: 1.5e3, s: \"x\", l: [1 \"two\" [3]]) }", null, "f").get(0);

        assertThat(field.arguments()).containsEntry("t", Boolean.TRUE).containsEntry("u", Boolean.FALSE)
                .containsEntry("n", null).containsEntry("e", "EQ").containsEntry("i", "-12")
                .containsEntry("d", "1.5e3").containsEntry("s", "x")
                .containsEntry("l", List.of("1", "two", List.of("3")));
    }

    @Test
    void variablesAreResolved() throws Exception {
        JsonNode variables = vars("{'s': 'text', 'n': 42, 'o': {'k': 'v'}, 'z': null}");
        Map<String, Object> arguments = GraphQlDocument.fields(
                "query($s: String) { f(s: $s, n: $n, o: $o, z: $z, missing: $nope) }", variables, "f").get(0).arguments();

        assertThat(arguments).containsEntry("s", "text").containsEntry("n", "42")
                .containsEntry("o", "{\"k\":\"v\"}").containsEntry("z", null).containsEntry("missing", null);
        assertThat(arguments).hasSize(5);
    }

    @Test
    void withoutVariablesAVariableIsNull() {
        assertThat(GraphQlDocument.fields("{ f(a: $a) }", null, "f").get(0).arguments()).containsEntry("a", null);
    }

    @Test
    void fieldsWithoutArgumentsAreNotReported() {
        assertThat(GraphQlDocument.fields("{ endpoints { edges { node { name } } } }", null, "endpoints")).isEmpty();
    }

    @Test
    void fieldNamesMatchExactly() {
        String query = "query SensorReadings { SensorReadings(a: 1) sensorReadingsX(b: 2) sensorReadings(c: 3) }";

        assertThat(GraphQlDocument.fields(query, null, "sensorReadings"))
                .containsExactly(new GraphQlDocument.Field("sensorReadings", "sensorReadings", Map.of("c", "3")));
    }

    @Test
    void aFieldNameInsideAStringOrCommentIsNotAField() {
        String query = "{ # sensorReadings(x: 1)\n f(v: \"sensorReadings(y: 2)\") }";

        assertThat(GraphQlDocument.fields(query, null, "sensorReadings")).isEmpty();
        assertThat(GraphQlDocument.fields(query, null, "f").get(0).arguments()).containsEntry("v", "sensorReadings(y: 2)");
    }

    // ---- strings ---------------------------------------------------------------------------

    @Test
    void escapesAreDecoded() {
        String literal = "\"q\\\" b\\\\ s\\/ \\b\\f\\n\\r\\t u\\u00e9\\u00C9\\u0000\\u2028\"";

        assertThat(value(literal)).isEqualTo("q\" b\\ s/ \b\f\n\r\t u\u00e9\u00c9\u0000\u2028");
    }

    @Test
    void rawTabAndNonAsciiAreAllowedInStrings() {
        assertThat(value("\"a\tb Müller 日本 \u2028\"")).isEqualTo("a\tb Müller 日本 \u2028");
    }

    @Test
    void hashInsideAStringIsText() {
        assertThat(value("\"a # b\"")).isEqualTo("a # b");
    }

    @Test
    void emptyStringIsEmpty() {
        assertThat(value("\"\"")).isEqualTo("");
    }

    @Test
    void blockStringIsReadRaw() {
        assertThat(value("\"\"\"line1\nline \\n \"quoted\" end\"\"\"")).isEqualTo("line1\nline \\n \"quoted\" end");
    }

    private static Object value(String literal) {
        return GraphQlDocument.fields("{ f(v: " + literal + ") }", null, "f").get(0).arguments().get("v");
    }

    // ---- validate ----------------------------------------------------------------------------

    @Test
    void theProjectsDocumentsAreValid() throws Exception {
        for (String file : List.of("endpoint-lookup.graphql", "sensor-readings.graphql")) {
            String document = Files.readString(Path.of("config/graphql", file));
            assertThatCode(() -> GraphQlDocument.validate(document)).as(file).doesNotThrowAnyException();
        }
    }

    @Test
    void wellFormedDocumentWithCommasCommentsAndBomIsValid() {
        assertThatCode(() -> GraphQlDocument.validate("\uFEFF# c\nquery Q($a: [String!]! = [\"x\"]) @d { ...F, f(a: $a) { g } }\r\n"))
                .doesNotThrowAnyException();
    }

    @Test
    void rawLineTerminatorInAStringIsRejected() {
        assertRejected("{ f(v: \"a\nb\") }", "line terminator inside a string");
        assertRejected("{ f(v: \"a\rb\") }", "line terminator inside a string");
    }

    @Test
    void everyRawControlCharacterButTabIsRejectedInAString() {
        for (char c = 0; c < 0x20; c++) {
            String query = "{ f(v: \"a" + c + "b\") }";
            if (c == '\t') {
                assertThatCode(() -> GraphQlDocument.validate(query)).doesNotThrowAnyException();
            } else {
                assertThatThrownBy(() -> GraphQlDocument.validate(query)).as("U+%04X", (int) c)
                        .isInstanceOf(GraphQlDocument.SyntaxError.class);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"\\x", "\\'", "\\a", "\\0", "\\U0041"})
    void unknownEscapesAreRejected(String escape) {
        assertRejected("{ f(v: \"a" + escape + "b\") }", "invalid escape");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\\u12", "\\u12G4", "\\u{41}", "\\u"})
    void malformedUnicodeEscapesAreRejected(String escape) {
        assertRejected("{ f(v: \"" + escape + "\") }", "invalid unicode escape");
    }

    @Test
    void unterminatedStringsAreRejected() {
        assertRejected("{ f(v: \"abc", "unterminated string");
        assertRejected("{ f(v: \"abc\\", "unterminated escape");
        assertRejected("{ f(v: \"\"\"abc\"\") }", "unterminated block string");
    }

    @Test
    void unbalancedBracketsAreRejected() {
        assertRejected("{ f(a: 1 }", "unbalanced '}'");
        assertRejected("{ f(a: [1) }", "unbalanced ')'");
        assertRejected("{ f { g }", "unclosed '{'");
        assertRejected("{ } }", "unbalanced '}'");
        assertRejected("]", "unbalanced ']'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"%", ";", "'", "\\", "é", "\u2028", "\u0000", ".", ".."})
    void unexpectedCharactersOutsideStringsAreRejected(String character) {
        assertThatThrownBy(() -> GraphQlDocument.validate("{ f" + character + " }"))
                .isInstanceOf(GraphQlDocument.SyntaxError.class)
                .hasMessageStartingWith("unexpected character U+");
    }

    @Test
    void theInjectionFromAnUnescapedValueIsRejected() {
        String hostile = "\") { __schema { types { name } } } #";
        String injected = "{ f(params: [{name: \"HOSTORIP\", value: \"" + hostile + "\"}]) { columns { name } }\n}";

        assertThatThrownBy(() -> GraphQlDocument.validate(injected)).isInstanceOf(GraphQlDocument.SyntaxError.class);
    }

    @Test
    void fieldsRejectsMalformedArgumentsAndTruncatedDocuments() {
        assertThatThrownBy(() -> GraphQlDocument.fields("{ f(a: ) }", null, "f"))
                .isInstanceOf(GraphQlDocument.SyntaxError.class).hasMessageContaining("where a value belongs");
        assertThatThrownBy(() -> GraphQlDocument.fields("{ f(a 1) }", null, "f"))
                .isInstanceOf(GraphQlDocument.SyntaxError.class).hasMessage("expected ':', found '1'");
        assertThatThrownBy(() -> GraphQlDocument.fields("{ f(\"a\": 1) }", null, "f"))
                .isInstanceOf(GraphQlDocument.SyntaxError.class).hasMessage("unexpected 'a'");
        // A truncated document is refused before its fields are read: its brackets do not close.
        assertThatThrownBy(() -> GraphQlDocument.fields("{ f(a: [1, 2", null, "f"))
                .isInstanceOf(GraphQlDocument.SyntaxError.class).hasMessage("unclosed '['");
        assertThatThrownBy(() -> GraphQlDocument.fields("{ f(", null, "f"))
                .isInstanceOf(GraphQlDocument.SyntaxError.class).hasMessage("unclosed '('");
    }

    private static void assertRejected(String query, String message) {
        assertThatThrownBy(() -> GraphQlDocument.validate(query))
                .as(Arrays.toString(query.chars().toArray()))
                .isInstanceOf(GraphQlDocument.SyntaxError.class)
                .hasMessageContaining(message);
    }
}
