package io.github.taniumroutes.alert;

import static io.github.taniumroutes.alert.Fixtures.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class JsonFieldsTest {

    private static final JsonNode MIXED = read("""
            {"a.b.c": "dotted",
             "x": {"y": {"z": "nested"}},
             "m": {"n.o": "mid-dotted"},
             "p.q": {"r": "outer-dotted"},
             "s": "not an object",
             "t": {"u": "first"}, "t.u": "direct"}
            """);

    @Test
    void findResolvesFullyDottedKey() {
        assertThat(JsonFields.find(MIXED, "a.b.c").asText()).isEqualTo("dotted");
    }

    @Test
    void findResolvesFullyNestedPath() {
        assertThat(JsonFields.find(MIXED, "x.y.z").asText()).isEqualTo("nested");
    }

    @Test
    void findResolvesDottedKeysInsideNestedObjects() {
        assertThat(JsonFields.find(MIXED, "m.n.o").asText()).isEqualTo("mid-dotted");
        assertThat(JsonFields.find(MIXED, "p.q.r").asText()).isEqualTo("outer-dotted");
    }

    @Test
    void findPrefersTheDirectDottedKeyOverNesting() {
        assertThat(JsonFields.find(MIXED, "t.u").asText()).isEqualTo("direct");
    }

    @Test
    void findReturnsNullForAbsentPathsAndThroughScalars() {
        assertThat(JsonFields.find(MIXED, "x.y.missing")).isNull();
        assertThat(JsonFields.find(MIXED, "s.anything")).isNull();
        assertThat(JsonFields.find(MIXED, "nope")).isNull();
    }

    @Test
    void findReturnsNullOnNullOrNonObjectRoots() {
        assertThat(JsonFields.find(null, "a")).isNull();
        assertThat(JsonFields.find(read("[1]"), "0")).isNull();
        assertThat(JsonFields.find(read("\"a\""), "a")).isNull();
    }

    @Test
    void textStripsStringsAndTurnsBlankIntoNull() throws Exception {
        JsonNode doc = read("{\"a\":\"  ws-1 \\t\",\"b\":\"   \",\"c\":null}");
        assertThat(JsonFields.text(doc, "a")).isEqualTo("ws-1");
        assertThat(JsonFields.text(doc, "b")).isNull();
        assertThat(JsonFields.text(doc, "c")).isNull();
        assertThat(JsonFields.text(doc, "d")).isNull();
    }

    @Test
    void textRendersNumbersAndBooleans() throws Exception {
        JsonNode doc = read("{\"i\":1003,\"big\":123456789012345678901234567890,\"b\":true}");
        assertThat(JsonFields.text(doc, "i")).isEqualTo("1003");
        assertThat(JsonFields.text(doc, "big")).isEqualTo("123456789012345678901234567890");
        assertThat(JsonFields.text(doc, "b")).isEqualTo("true");
    }

    @Test
    void textUnwrapsOneElementArrays() throws Exception {
        JsonNode doc = read("{\"host.name\":[\"ws-0142\"],\"n\":[42],\"nul\":[null]}");
        assertThat(JsonFields.text(doc, "host.name")).isEqualTo("ws-0142");
        assertThat(JsonFields.text(doc, "n")).isEqualTo("42");
        assertThat(JsonFields.text(doc, "nul")).isNull();
    }

    @Test
    void textRejectsLongerArraysNamingTheField() {
        JsonNode doc = read("{\"event\":{\"category\":[\"process\",\"network\"]}}");
        InvalidAlertException e = catchThrowableOfType(InvalidAlertException.class,
                () -> JsonFields.text(doc, "event.category"));
        assertThat(e.reason()).isEqualTo("wrong_type");
        assertThat(e.getMessage()).isEqualTo("field 'event.category' must be a string, found array");
    }

    @Test
    void textRejectsObjectsNamingTheField() {
        JsonNode doc = read("{\"rule\":{\"name\":{\"en\":\"x\"}}}");
        InvalidAlertException e = catchThrowableOfType(InvalidAlertException.class, () -> JsonFields.text(doc, "rule.name"));
        assertThat(e.getMessage()).isEqualTo("field 'rule.name' must be a string, found object");
    }

    @Test
    void textRejectsAOneElementArrayHoldingAnObject() {
        JsonNode doc = read("{\"a\":[{\"b\":1}]}");
        InvalidAlertException e = catchThrowableOfType(InvalidAlertException.class, () -> JsonFields.text(doc, "a"));
        assertThat(e.getMessage()).isEqualTo("field 'a' must be a string, found object");
    }

    @Test
    void emptyArrayIsAWrongTypeForText() {
        JsonNode doc = read("{\"a\":[]}");
        InvalidAlertException e = catchThrowableOfType(InvalidAlertException.class, () -> JsonFields.text(doc, "a"));
        assertThat(e.getMessage()).isEqualTo("field 'a' must be a string, found array");
    }

    @Test
    void firstTextReturnsTheFirstPresentNonBlankField() throws Exception {
        JsonNode doc = read("{\"a\":null,\"b\":\" \",\"c\":\"third\",\"d\":\"fourth\"}");
        assertThat(JsonFields.firstText(doc, "a", "b", "c", "d")).isEqualTo("third");
        assertThat(JsonFields.firstText(doc, "x", "y")).isNull();
    }

    @Test
    void firstTextStillRejectsAWrongTypeBeforeAPresentField() {
        JsonNode doc = read("{\"a\":{},\"b\":\"second\"}");
        InvalidAlertException e = catchThrowableOfType(InvalidAlertException.class,
                () -> JsonFields.firstText(doc, "a", "b"));
        assertThat(e.getMessage()).isEqualTo("field 'a' must be a string, found object");
    }

    @Test
    void integerAcceptsIntegralNumbersDigitStringsAndOneElementArrays() throws Exception {
        JsonNode doc = read("{\"a\":7412,\"b\":\" 9080 \",\"c\":[5],\"d\":[\"6\"],\"e\":null,\"f\":9223372036854775807}");
        assertThat(JsonFields.integer(doc, "a")).isEqualTo(7412L);
        assertThat(JsonFields.integer(doc, "b")).isEqualTo(9080L);
        assertThat(JsonFields.integer(doc, "c")).isEqualTo(5L);
        assertThat(JsonFields.integer(doc, "d")).isEqualTo(6L);
        assertThat(JsonFields.integer(doc, "e")).isNull();
        assertThat(JsonFields.integer(doc, "missing")).isNull();
        assertThat(JsonFields.integer(doc, "f")).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void integerRejectsFractionsNamingTheField() {
        JsonNode doc = read("{\"process\":{\"pid\":12.5}}");
        InvalidAlertException e = catchThrowableOfType(InvalidAlertException.class,
                () -> JsonFields.integer(doc, "process.pid"));
        assertThat(e.reason()).isEqualTo("wrong_type");
        assertThat(e.getMessage()).isEqualTo("field 'process.pid' must be an integer, found number");
    }

    @Test
    void integerRejectsNegativeAndOverlongDigitStrings() {
        JsonNode doc = read("{\"neg\":\"-1\",\"long\":\"1234567890123456789\",\"huge\":99999999999999999999}");
        assertThat(catchThrowableOfType(InvalidAlertException.class, () -> JsonFields.integer(doc, "neg")).getMessage())
                .isEqualTo("field 'neg' must be an integer, found string");
        assertThat(catchThrowableOfType(InvalidAlertException.class, () -> JsonFields.integer(doc, "long")).getMessage())
                .isEqualTo("field 'long' must be an integer, found string");
        assertThat(catchThrowableOfType(InvalidAlertException.class, () -> JsonFields.integer(doc, "huge")).getMessage())
                .isEqualTo("field 'huge' must be an integer, found number");
    }

    @Test
    void integerRejectsBooleans() {
        JsonNode doc = read("{\"pid\":true}");
        assertThat(catchThrowableOfType(InvalidAlertException.class, () -> JsonFields.integer(doc, "pid")).getMessage())
                .isEqualTo("field 'pid' must be an integer, found boolean");
    }

    @Test
    void firstOfTakesTheFirstArrayEntryOrThePlainValue() throws Exception {
        JsonNode doc = read("""
                {"host": {"ip": ["10.0.0.1", "10.0.0.2"]}, "one": [" 10.0.0.3 "], "plain": "10.0.0.4",
                 "empty": [], "num": 17}
                """);
        assertThat(JsonFields.firstOf(doc, "host.ip")).isEqualTo("10.0.0.1");
        assertThat(JsonFields.firstOf(doc, "one")).isEqualTo("10.0.0.3");
        assertThat(JsonFields.firstOf(doc, "plain")).isEqualTo("10.0.0.4");
        assertThat(JsonFields.firstOf(doc, "empty")).isNull();
        assertThat(JsonFields.firstOf(doc, "num")).isEqualTo("17");
        assertThat(JsonFields.firstOf(doc, "missing")).isNull();
    }

    @Test
    void firstOfTreatsABlankFirstEntryAsAbsent() throws Exception {
        JsonNode doc = read("{\"ip\":[\"  \",\"10.0.0.2\"]}");
        assertThat(JsonFields.firstOf(doc, "ip")).isNull();
    }

    @Test
    void firstOfRejectsANonStringFirstEntryNamingTheField() {
        JsonNode doc = read("{\"host\":{\"ip\":[{\"v4\":\"10.0.0.1\"}]}}");
        InvalidAlertException e = catchThrowableOfType(InvalidAlertException.class,
                () -> JsonFields.firstOf(doc, "host.ip"));
        assertThat(e.reason()).isEqualTo("wrong_type");
        assertThat(e.getMessage()).isEqualTo("field 'host.ip' must hold strings, found object in an array");
    }

    @Test
    void firstOfRejectsAnObjectValueNamingTheField() {
        JsonNode doc = read("{\"host\":{\"ip\":{\"v4\":\"10.0.0.1\"}}}");
        InvalidAlertException e = catchThrowableOfType(InvalidAlertException.class,
                () -> JsonFields.firstOf(doc, "host.ip"));
        assertThat(e.getMessage()).isEqualTo("field 'host.ip' must be a string, found object");
    }
}
