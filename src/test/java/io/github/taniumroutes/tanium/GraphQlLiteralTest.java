package io.github.taniumroutes.tanium;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GraphQlLiteralTest {

    @Test
    void plainValueIsOnlyQuoted() {
        assertThat(GraphQlLiteral.quote("WS-0142.corp.example")).isEqualTo("\"WS-0142.corp.example\"");
    }

    @Test
    void emptyValueIsAnEmptyLiteral() {
        assertThat(GraphQlLiteral.quote("")).isEqualTo("\"\"");
    }

    @Test
    void quoteAndBackslashAreEscaped() {
        assertThat(GraphQlLiteral.quote("QA-LAB\\KIOSK \"7\"")).isEqualTo("\"QA-LAB\\\\KIOSK \\\"7\\\"\"");
    }

    @Test
    void shortEscapesAreUsedWhereTheSpecHasThem() {
        assertThat(GraphQlLiteral.quote("a\nb\rc\td\be\ff")).isEqualTo("\"a\\nb\\rc\\td\\be\\ff\"");
    }

    @ParameterizedTest
    @CsvSource({
            "0, \\u0000",
            "1, \\u0001",
            "11, \\u000b",
            "14, \\u000e",
            "27, \\u001b",
            "31, \\u001f",
            "127, \\u007f",
            "8232, \\u2028",
            "8233, \\u2029"})
    void otherControlCharactersAndLineSeparatorsBecomeUnicodeEscapes(int codePoint, String escape) {
        assertThat(GraphQlLiteral.quote("x" + (char) codePoint + "y")).isEqualTo("\"x" + escape + "y\"");
    }

    @Test
    void noRawControlCharacterSurvivesForAnyOfU0000ToU001F() {
        StringBuilder all = new StringBuilder();
        for (char c = 0; c < 0x20; c++) {
            all.append(c);
        }
        String literal = GraphQlLiteral.quote(all.toString());
        assertThat(literal.chars().filter(c -> c < 0x20)).isEmpty();
        assertThat(literal).startsWith("\"\\u0000\\u0001").contains("\\b\\t\\n\\u000b\\f\\r").endsWith("\\u001f\"");
    }

    @Test
    void injectionAttemptStaysInsideTheLiteral() {
        String literal = GraphQlLiteral.quote("\") { __schema { types { name } } } #");
        assertThat(literal).isEqualTo("\"\\\") { __schema { types { name } } } #\"");
        // The only unescaped quotes are the delimiters.
        assertThat(literal.replace("\\\"", "")).matches("\"[^\"]*\"");
    }

    @Test
    void nonAsciiTextIsKeptAsIs() {
        assertThat(GraphQlLiteral.quote("Müller-PC 日本 \uD83D\uDE00 /")).isEqualTo("\"Müller-PC 日本 \uD83D\uDE00 /\"");
    }
}
