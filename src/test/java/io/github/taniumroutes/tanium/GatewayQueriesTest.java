package io.github.taniumroutes.tanium;

import static io.github.taniumroutes.tanium.TestAlerts.alert;
import static io.github.taniumroutes.tanium.TestAlerts.host;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.taniumroutes.alert.CanonicalAlert;
import io.github.taniumroutes.simulator.GraphQlDocument;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class GatewayQueriesTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final List<String> SENSORS =
            List.of("Running Processes with Hash", "Service Status with Hash", "Network Details", "Logged In Users");
    private static final TaniumEndpoint ENDPOINT = new TaniumEndpoint("1234", "WS-0142", "10.0.0.42", "Windows");

    private static String lookupDocument;
    private static String readingsDocument;
    private static String lookupsDocument;
    private static String readingsOfManyDocument;

    @BeforeAll
    static void readDocuments() throws IOException {
        lookupDocument = Files.readString(Path.of("config/graphql/endpoint-lookup.graphql"));
        readingsDocument = Files.readString(Path.of("config/graphql/sensor-readings.graphql"));
        lookupsDocument = Files.readString(Path.of("config/graphql/endpoint-lookups.graphql"));
        readingsOfManyDocument = Files.readString(Path.of("config/graphql/sensor-readings-of-many.graphql"));
    }

    private static GatewayQueries queries(List<String> sensors, String hashType) {
        return new GatewayQueries(MAPPER, lookupDocument, readingsDocument, lookupsDocument, readingsOfManyDocument, sensors, hashType);
    }

    private static GatewayQueries queries() {
        return queries(SENSORS, "SHA256");
    }

    private static JsonNode json(String body) throws IOException {
        return MAPPER.readTree(body);
    }

    // ---- endpointLookup -------------------------------------------------------------------

    @Test
    void endpointLookupSendsTheDocumentUnchangedAndTheAlertValuesAsVariables() throws IOException {
        JsonNode request = json(queries().endpointLookup(host("WS-0142")));

        assertThat(request.path("query").asText()).isEqualTo(lookupDocument);
        assertThat(request.path("variables")).isEqualTo(json("{\"path\": \"name\", \"value\": \"WS-0142\"}"));
        assertThat(request.size()).isEqualTo(2);
    }

    @Test
    void endpointLookupPrefersTheTaniumIdOverHostnameAndIp() throws IOException {
        JsonNode request = json(queries().endpointLookup(alert("a", "WS-0142", "10.0.0.42", "777")));

        assertThat(request.path("variables")).isEqualTo(json("{\"path\": \"id\", \"value\": \"777\"}"));
    }

    @Test
    void endpointLookupPrefersTheHostnameOverTheIp() throws IOException {
        JsonNode request = json(queries().endpointLookup(alert("a", "WS-0142", "10.0.0.42", null)));

        assertThat(request.path("variables")).isEqualTo(json("{\"path\": \"name\", \"value\": \"WS-0142\"}"));
    }

    @Test
    void endpointLookupFallsBackToTheIp() throws IOException {
        JsonNode request = json(queries().endpointLookup(alert("a", null, "10.0.0.42", null)));

        assertThat(request.path("variables")).isEqualTo(json("{\"path\": \"ipAddress\", \"value\": \"10.0.0.42\"}"));
    }

    @Test
    void endpointLookupKeepsAHostileHostnameOutOfTheQueryText() throws IOException {
        String hostile = HOSTILE_ALL;
        JsonNode request = json(queries().endpointLookup(host(hostile)));

        String query = request.path("query").asText();
        assertThat(query).isEqualTo(lookupDocument);
        assertThat(request.path("variables").path("value").asText()).isEqualTo(hostile);

        GraphQlDocument.validate(query);
        List<GraphQlDocument.Field> endpoints = GraphQlDocument.fields(query, request.path("variables"), "endpoints");
        assertThat(endpoints).hasSize(1);
        assertThat(endpoints.get(0).arguments())
                .containsEntry("first", "10")
                .containsEntry("source", Map.of("tds", Map.of()))
                .containsEntry("filter", Map.of("path", "name", "op", "EQ", "value", hostile));
    }

    // ---- sensorReadings: shape ------------------------------------------------------------

    @Test
    void sensorReadingsAliasesEachSensorInConfiguredOrder() throws IOException {
        JsonNode request = json(queries().sensorReadings(host("WS-0142"), ENDPOINT));
        String query = request.path("query").asText();

        GraphQlDocument.validate(query);
        List<GraphQlDocument.Field> fields = GraphQlDocument.fields(query, request.path("variables"), "sensorReadings");
        assertThat(fields).extracting(GraphQlDocument.Field::alias)
                .containsExactly("sensor0", "sensor1", "sensor2", "sensor3");
        assertThat(fields).extracting(f -> sensor(f).get("name")).containsExactlyElementsOf(SENSORS);
        assertThat(query).doesNotContain(GatewayQueries.SENSOR_READINGS_MARKER);
        assertThat(query).startsWith(readingsDocument.substring(0, readingsDocument.indexOf(GatewayQueries.SENSOR_READINGS_MARKER)));
        assertThat(query).endsWith(readingsDocument.substring(
                readingsDocument.indexOf(GatewayQueries.SENSOR_READINGS_MARKER) + GatewayQueries.SENSOR_READINGS_MARKER.length()));
    }

    @Test
    void sensorReadingsPassesTheEndpointAsVariables() throws IOException {
        JsonNode request = json(queries().sensorReadings(host("alert-host"), ENDPOINT));

        assertThat(request.path("variables"))
                .isEqualTo(json("{\"hostname\": \"WS-0142\", \"id\": \"1234\"}"));
        List<GraphQlDocument.Field> endpoints =
                GraphQlDocument.fields(request.path("query").asText(), request.path("variables"), "endpoints");
        assertThat(endpoints).hasSize(1);
        assertThat(endpoints.get(0).arguments().get("filter")).isEqualTo(Map.of(
                "filters", List.of(Map.of("path", "name", "op", "EQ", "value", "WS-0142"),
                        Map.of("path", "id", "op", "EQ", "value", "1234")),
                "any", false));
    }

    @Test
    void hashTypeIsALiteralOnlyForSensorsThatTakeIt() throws IOException {
        JsonNode request = json(queries(SENSORS, "MD5").sensorReadings(host("WS-0142"), ENDPOINT));
        String query = request.path("query").asText();

        assertThat(query).contains("{name: \"HashType\", value: \"MD5\"}");
        assertThat(query).doesNotContain("$hashType");
        List<GraphQlDocument.Field> fields = GraphQlDocument.fields(query, request.path("variables"), "sensorReadings");
        assertThat(sensor(fields.get(0)).get("params")).isEqualTo(List.of(Map.of("name", "HashType", "value", "MD5")));
        assertThat(sensor(fields.get(1)).get("params")).isEqualTo(List.of(Map.of("name", "HashType", "value", "MD5")));
        assertThat(sensor(fields.get(2)).get("params")).isEqualTo(List.of(
                Map.of("name", "HOSTORIP", "value", "WS-0142"), Map.of("name", "HashType", "value", "MD5")));
        assertThat(sensor(fields.get(3))).doesNotContainKey("params");
    }

    @Test
    void hostOrIpFallsBackToTheAlertIpThenToEmpty() throws IOException {
        assertThat(hostOrIp(queries(List.of("Network Details"), "SHA1"), alert("a", null, "10.9.8.7", null)))
                .isEqualTo("10.9.8.7");
        assertThat(hostOrIp(queries(List.of("Network Details"), "SHA1"), alert("a", null, null, "777")))
                .isEqualTo("");
    }

    @Test
    void hashTypeIsNormalised() {
        GatewayQueries queries = queries(SENSORS, " sha1 ");

        assertThat(queries.sensorReadings(host("h"), ENDPOINT)).contains("value: \\\"SHA1\\\"}");
    }

    @Test
    void unknownHashTypeIsRejectedAtConstruction() {
        assertThatThrownBy(() -> queries(SENSORS, "SHA512"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tanium.enrich.hash-type")
                .hasMessageContaining("SHA512");
        assertThatThrownBy(() -> queries(SENSORS, "")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void templateWithoutTheMarkerIsRejectedAtConstruction() {
        String withoutMarker = readingsDocument.replace(GatewayQueries.SENSOR_READINGS_MARKER, "");
        assertThatThrownBy(() -> new GatewayQueries(MAPPER, lookupDocument, withoutMarker, lookupsDocument, readingsOfManyDocument, SENSORS, "SHA256"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(GatewayQueries.SENSOR_READINGS_MARKER);
    }

    @Test
    void blankSensorNamesAreDroppedAndNamesTrimmed() {
        GatewayQueries queries = queries(List.of(" Network Details ", "", "  ", "Logged In Users"), "SHA256");

        assertThat(queries.sensors()).containsExactly(
                new SensorRequest("Network Details", true, true), new SensorRequest("Logged In Users", false, false));
    }

    @Test
    void aliasNamesTheIndex() {
        assertThat(GatewayQueries.alias(0)).isEqualTo("sensor0");
        assertThat(GatewayQueries.alias(12)).isEqualTo("sensor12");
    }

    @Test
    void sensorNamesAreWrittenAsEscapedLiterals() throws IOException {
        String odd = "Custom \"Sensor\" \\ with\nnewline";
        JsonNode request = json(queries(List.of(odd), "SHA256").sensorReadings(host("h"), ENDPOINT));
        String query = request.path("query").asText();

        GraphQlDocument.validate(query);
        List<GraphQlDocument.Field> fields = GraphQlDocument.fields(query, request.path("variables"), "sensorReadings");
        assertThat(fields).hasSize(1);
        assertThat(sensor(fields.get(0)).get("name")).isEqualTo(odd);
    }

    // ---- sensorReadings: hostile values through HOSTORIP ----------------------------------

    private static final String INJECTION = "\") { __schema { types { name } } } #";
    private static final String HOSTILE_ALL;

    static {
        StringBuilder controls = new StringBuilder();
        for (char c = 0; c < 0x20; c++) {
            controls.append(c);
        }
        HOSTILE_ALL = "WS\"01\\42\n\r\t" + controls + "\u2028\u2029\u007f" + INJECTION + " sensorReadings(x: 1) \\u0041 #SENSOR_READINGS#";
    }

    static Stream<String> hostileValues() {
        Stream.Builder<String> values = Stream.builder();
        values.add(HOSTILE_ALL).add(INJECTION).add("\"").add("\\").add("\\\"").add("a\\nb").add("line1\nline2")
                .add("cr\rlf\r\n").add("\u2028").add("ends with backslash \\").add("\"\"\"block\"\"\"")
                .add("# not a comment").add("}]) { evil }").add("$hashType").add("Müller 日本 \uD83D\uDE00");
        for (char c = 0; c < 0x20; c++) {
            values.add("ctl" + c + "end");
        }
        return values.build();
    }

    @ParameterizedTest
    @MethodSource("hostileValues")
    void hostileHostnameIsReadBackExactlyByAStrictParser(String hostile) throws IOException {
        JsonNode request = json(queries().sensorReadings(host(hostile), ENDPOINT));
        String query = request.path("query").asText();

        GraphQlDocument.validate(query);
        List<GraphQlDocument.Field> fields = GraphQlDocument.fields(query, request.path("variables"), "sensorReadings");
        assertThat(fields).hasSize(4);
        assertThat(fields).extracting(GraphQlDocument.Field::alias)
                .containsExactly("sensor0", "sensor1", "sensor2", "sensor3");
        Map<String, Object> networkDetails = sensor(fields.get(2));
        assertThat(networkDetails.get("name")).isEqualTo("Network Details");
        assertThat(networkDetails.get("params")).isEqualTo(List.of(
                Map.of("name", "HOSTORIP", "value", hostile), Map.of("name", "HashType", "value", "SHA256")));
        assertThat(GraphQlDocument.fields(query, request.path("variables"), "endpoints")).hasSize(1);
        assertThat(GraphQlDocument.fields(query, request.path("variables"), "__schema")).isEmpty();
    }

    static Stream<String> valuesAStrictParserMustRejectUnescaped() {
        Stream.Builder<String> values = Stream.builder();
        values.add(HOSTILE_ALL).add(INJECTION).add("line1\nline2").add("cr\rlf").add("bad \\x escape").add("\"");
        for (char c = 0; c < 0x20; c++) {
            if (c != '\t') { // a raw tab is legal inside a GraphQL string
                values.add("ctl" + c + "end");
            }
        }
        return values.build();
    }

    @ParameterizedTest
    @MethodSource("valuesAStrictParserMustRejectUnescaped")
    void theSameValueUnescapedIsRejected(String hostile) throws IOException {
        String query = json(queries().sensorReadings(host(hostile), ENDPOINT)).path("query").asText();
        String escaped = GraphQlLiteral.quote(hostile);
        assertThat(query).contains(escaped);
        String unescaped = query.replace(escaped, "\"" + hostile + "\"");

        assertThatThrownBy(() -> GraphQlDocument.validate(unescaped)).isInstanceOf(GraphQlDocument.SyntaxError.class);
    }

    @Test
    void noSensorsLeavesAValidDocumentWithoutSensorFields() throws IOException {
        JsonNode request = json(queries(List.of(), "SHA256").sensorReadings(host("h"), ENDPOINT));
        String query = request.path("query").asText();

        GraphQlDocument.validate(query);
        assertThat(GraphQlDocument.fields(query, request.path("variables"), "sensorReadings")).isEmpty();
        assertThat(GraphQlDocument.fields(query, request.path("variables"), "endpoints")).hasSize(1);
    }

    // ---- a batch's requests: many hosts, many endpoints -------------------------------------

    @Test
    void endpointLookupsAskForEveryHostInOneFilterAnyOfThemWithTheValuesAsVariables() throws IOException {
        LookupChunk chunk = new LookupChunk("default", List.of(
                new LookupChunk.Host("k0", EndpointLookup.of(host(INJECTION)), null),
                new LookupChunk.Host("k1", EndpointLookup.of(alert("b", null, "10.0.0.9", null)), null),
                new LookupChunk.Host("k2", EndpointLookup.of(alert("c", "WS-1", null, "1234")), null)));

        JsonNode request = json(queries().endpointLookups(chunk));
        String query = request.path("query").asText();

        GraphQlDocument.validate(query);
        assertThat(query).doesNotContain(INJECTION).doesNotContain("10.0.0.9").doesNotContain("1234")
                .doesNotContain(GatewayQueries.MORE_FILTERS_MARKER).doesNotContain(GatewayQueries.MORE_VARIABLES_MARKER);
        List<GraphQlDocument.Field> endpoints = GraphQlDocument.fields(query, request.path("variables"), "endpoints");
        assertThat(endpoints).singleElement().satisfies(field -> {
            assertThat(field.arguments()).containsEntry("first", "30").containsEntry("after", null)
                    .containsEntry("source", Map.of("tds", Map.of()));
            assertThat(field.arguments().get("filter")).isEqualTo(Map.of("any", true, "filters", List.of(
                    Map.of("path", "name", "op", "EQ", "value", INJECTION),
                    Map.of("path", "ipAddress", "op", "EQ", "value", "10.0.0.9"),
                    Map.of("path", "id", "op", "EQ", "value", "1234"))));
        });
        assertThat(query).contains("pageInfo { hasNextPage endCursor }");
    }

    @Test
    void theNextPageOfALookupAsksAfterTheCursorTheGatewayGave() throws IOException {
        LookupChunk chunk = new LookupChunk("default", List.of(new LookupChunk.Host("k0", EndpointLookup.of(host("WS-1")), null)));
        chunk.add(new GatewayPage<>(List.of(ENDPOINT), true, "opaque-cursor=="));

        JsonNode request = json(queries().endpointLookups(chunk));

        assertThat(request.path("variables").path("after").asText()).isEqualTo("opaque-cursor==");
        assertThat(GraphQlDocument.fields(request.path("query").asText(), request.path("variables"), "endpoints").get(0).arguments())
                .containsEntry("after", "opaque-cursor==");
    }

    @Test
    void sensorReadingsOfManyAskEndpointsThatNeedTheSameReadInOneFieldFilteredOnTheirIds() throws IOException {
        GatewayQueries queries = queries(List.of("Logged In Users", "Running Processes with Hash"), "SHA256");
        List<SensorRequest> sensors = queries.sensors();
        ReadChunk chunk = new ReadChunk("default", List.of(
                read(queries, host("WS-1"), new TaniumEndpoint("101", "WS-1", null, null), sensors),
                read(queries, host("WS-2"), new TaniumEndpoint("102", "WS-2", null, null), sensors),
                read(queries, host("WS-3"), new TaniumEndpoint("103", "WS-3", null, null), List.of(SensorRequest.named("Logged In Users")))));

        JsonNode request = json(queries.sensorReadingsOfMany(chunk));
        String query = request.path("query").asText();

        GraphQlDocument parsed = GraphQlDocument.parse(query, request.path("variables"));
        List<GraphQlDocument.Field> fields = parsed.fields("endpoints");
        assertThat(fields).extracting(GraphQlDocument.Field::alias).containsExactly("read0", "read1");
        assertThat(fields.get(0).arguments()).containsEntry("first", "2").containsEntry("after", null).containsEntry("source", Map.of("ts", Map.of()));
        assertThat(fields.get(0).arguments().get("filter")).isEqualTo(Map.of("any", true, "filters", List.of(
                Map.of("path", "id", "op", "EQ", "value", "101"), Map.of("path", "id", "op", "EQ", "value", "102"))));
        assertThat(fields.get(1).arguments().get("filter")).isEqualTo(Map.of("any", true, "filters", List.of(
                Map.of("path", "id", "op", "EQ", "value", "103"))));
        assertThat(parsed.fieldsWithin(fields.get(0), "sensorReadings")).extracting(f -> sensor(f).get("name"))
                .containsExactly("Logged In Users", "Running Processes with Hash");
        assertThat(parsed.fieldsWithin(fields.get(1), "sensorReadings")).extracting(f -> sensor(f).get("name"))
                .containsExactly("Logged In Users");
        assertThat(query).as("ids travel as variables").doesNotContain("101").doesNotContain("102").doesNotContain("103")
                .doesNotContain("#");
    }

    @ParameterizedTest
    @MethodSource("hostileValues")
    void aHostileHostOrIpInAReadOfManyIsReadBackExactlyAndChangesNothingElse(String hostile) throws IOException {
        GatewayQueries queries = queries();
        String sly = hostile + " read0: $first0 $after0 $id0} #MORE_IDS# #SENSOR_READINGS#";
        ReadChunk chunk = new ReadChunk("default", List.of(
                read(queries, host("WS-1"), new TaniumEndpoint("101", "WS-1", null, null), queries.sensors()),
                read(queries, host(sly), new TaniumEndpoint("102", "WS-2", null, null), queries.sensors())));

        JsonNode request = json(queries.sensorReadingsOfMany(chunk));

        GraphQlDocument parsed = GraphQlDocument.parse(request.path("query").asText(), request.path("variables"));
        List<GraphQlDocument.Field> fields = parsed.fields("endpoints");
        assertThat(fields).extracting(GraphQlDocument.Field::alias).containsExactly("read0", "read1");
        assertThat(sensor(parsed.fieldsWithin(fields.get(0), "sensorReadings").get(2)).get("params")).isEqualTo(List.of(
                Map.of("name", "HOSTORIP", "value", "WS-1"), Map.of("name", "HashType", "value", "SHA256")));
        assertThat(sensor(parsed.fieldsWithin(fields.get(1), "sensorReadings").get(2)).get("params")).isEqualTo(List.of(
                Map.of("name", "HOSTORIP", "value", sly), Map.of("name", "HashType", "value", "SHA256")));
        assertThat(fields.get(1).arguments().get("filter")).isEqualTo(Map.of("any", true, "filters", List.of(
                Map.of("path", "id", "op", "EQ", "value", "102"))));
        assertThat(parsed.fields("__schema")).isEmpty();
    }

    @Test
    void aReadOfManyAsksAgainOnlyTheFieldsWithANextPageFromTheirCursor() throws IOException {
        GatewayQueries queries = queries(List.of("Logged In Users"), "SHA256");
        ReadChunk chunk = new ReadChunk("default", List.of(
                read(queries, host("WS-1"), new TaniumEndpoint("101", "WS-1", null, null), queries.sensors()),
                read(queries, host("WS-2"), new TaniumEndpoint("102", "WS-2", null, null), List.of(SensorRequest.named("Network Details")))));
        chunk.group("read0").add(new GatewayPage<>(List.of(), false, null));
        chunk.group("read1").add(new GatewayPage<>(List.of(), true, "c1"));

        JsonNode request = json(queries.sensorReadingsOfMany(chunk));

        List<GraphQlDocument.Field> fields = GraphQlDocument.fields(request.path("query").asText(), request.path("variables"), "endpoints");
        assertThat(fields).singleElement().satisfies(field -> {
            assertThat(field.alias()).isEqualTo("read1");
            assertThat(field.arguments()).containsEntry("after", "c1").containsEntry("first", "1");
        });
        assertThat(request.path("variables").has("first0")).as("no variable without its field").isFalse();
    }

    private static ReadChunk.Read read(GatewayQueries queries, CanonicalAlert alert, TaniumEndpoint endpoint, List<SensorRequest> sensors) {
        return new ReadChunk.Read("default|" + queries.sensorReadingsFor(alert, endpoint, sensors), endpoint,
                queries.sensorFields(alert, sensors), sensors, null);
    }

    private static String hostOrIp(GatewayQueries queries, CanonicalAlert alert) throws IOException {
        JsonNode request = json(queries.sensorReadings(alert, ENDPOINT));
        List<GraphQlDocument.Field> fields =
                GraphQlDocument.fields(request.path("query").asText(), request.path("variables"), "sensorReadings");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> params = (List<Map<String, Object>>) sensor(fields.get(0)).get("params");
        return (String) params.get(0).get("value");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> sensor(GraphQlDocument.Field field) {
        List<Object> sensors = (List<Object>) field.arguments().get("sensors");
        assertThat(sensors).hasSize(1);
        return (Map<String, Object>) sensors.get(0);
    }
}
