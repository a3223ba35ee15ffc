package io.github.taniumroutes.tanium;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

class GatewayResponsesTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final List<SensorRequest> SENSORS =
            List.of(SensorRequest.named("Logged In Users"), SensorRequest.named("Network Details"));

    private final GatewayResponses responses = new GatewayResponses(MAPPER, 3);

    private static String q(String json) {
        return json.replace('\'', '"');
    }

    // ---- endpoints -------------------------------------------------------------------------

    @Test
    void endpointsAreReadFromTheEdges() {
        String body = q("{'data': {'endpoints': {'edges': ["
                + "{'node': {'id': '1', 'name': 'WS-1', 'ipAddress': '10.0.0.1', 'os': {'platform': 'Windows'}}},"
                + "{'node': {'id': '2', 'name': 'WS-2', 'ipAddress': null}}]}}}");

        assertThat(responses.endpoints(body)).containsExactly(
                new TaniumEndpoint("1", "WS-1", "10.0.0.1", "Windows"),
                new TaniumEndpoint("2", "WS-2", null, null));
    }

    @Test
    void theComputerIdIsKeptBesideTheGatewayIdAsTheGatewaySendsIt() {
        String body = q("{'data': {'endpoints': {'edges': ["
                + "{'node': {'id': '1003', 'computerID': '9065203', 'name': 'WS-0142'}},"
                + "{'node': {'id': '1004', 'computerID': 9065204, 'name': 'WS-2'}}]}}}");

        assertThat(responses.endpoints(body)).containsExactly(
                new TaniumEndpoint("1003", "WS-0142", null, null, "9065203"),
                new TaniumEndpoint("1004", "WS-2", null, null, "9065204"));
    }

    @Test
    void noEdgesIsNoEndpoint() {
        assertThat(responses.endpoints(q("{'data': {'endpoints': {'edges': []}}}"))).isEmpty();
    }

    @Test
    void graphQlErrorsWithHttp200AreAFailureEvenWithData() {
        String body = q("{'errors': [{'message': 'Sensor not found: X'}, {'message': 'second problem'}],"
                + " 'data': {'endpoints': {'edges': [{'node': {'id': '1', 'name': 'WS-1'}}]}}}");

        assertThatThrownBy(() -> responses.endpoints(body))
                .isInstanceOf(TaniumException.class)
                .hasMessage("GraphQL error: Sensor not found: X; second problem");
        assertThatThrownBy(() -> responses.sensorReadings(body, SENSORS))
                .isInstanceOf(TaniumException.class)
                .hasMessage("GraphQL error: Sensor not found: X; second problem");
    }

    @Test
    void anErrorWithoutAMessageIsStillAFailure() {
        assertThatThrownBy(() -> responses.endpoints(q("{'errors': [{'path': ['x']}], 'data': null}")))
                .isInstanceOf(TaniumException.class)
                .hasMessage("GraphQL error: (no message)");
    }

    @Test
    void longErrorTextIsCut() {
        String body = q("{'errors': [{'message': '" + "x".repeat(400) + "'}]}");

        assertThatThrownBy(() -> responses.endpoints(body))
                .isInstanceOf(TaniumException.class)
                .hasMessage("GraphQL error: " + "x".repeat(300) + "…");
    }

    @Test
    void anEmptyErrorsArrayIsNotAFailure() {
        assertThat(responses.endpoints(q("{'errors': [], 'data': {'endpoints': {'edges': [{'node': {'id': '9'}}]}}}")))
                .containsExactly(new TaniumEndpoint("9", null, null, null));
    }

    @Test
    void aReplyWithoutEdgesIsAFailure() {
        assertThatThrownBy(() -> responses.endpoints(q("{'data': null}")))
                .isInstanceOf(TaniumException.class)
                .hasMessage("the Gateway reply has no data.endpoints.edges");
        assertThatThrownBy(() -> responses.endpoints(q("{'data': {'endpoints': {'edges': {}}}}")))
                .isInstanceOf(TaniumException.class)
                .hasMessage("the Gateway reply has no data.endpoints.edges");
    }

    @Test
    void aReplyThatIsNotAJsonObjectIsAFailure() {
        assertThatThrownBy(() -> responses.endpoints("<html>502</html>"))
                .isInstanceOf(TaniumException.class)
                .hasMessageStartingWith("the Gateway reply is not JSON");
        assertThatThrownBy(() -> responses.endpoints("[1, 2]"))
                .isInstanceOf(TaniumException.class)
                .hasMessage("the Gateway reply is not a JSON object");
        assertThatThrownBy(() -> responses.endpoints(null))
                .isInstanceOf(TaniumException.class)
                .hasMessage("the Gateway reply is not a JSON object");
        assertThatThrownBy(() -> responses.endpoints(""))
                .isInstanceOf(TaniumException.class)
                .hasMessage("the Gateway reply is not a JSON object");
    }

    // ---- sensorReadings --------------------------------------------------------------------

    @Test
    void columnsBecomeRowsPerSensorInRequestOrder() {
        String body = q("{'data': {'endpoints': {'edges': [{'node': {'name': 'WS-1', 'id': '1',"
                + " 'sensor0': {'columns': [{'name': 'User', 'values': ['alice', 'bob']},"
                + "                         {'name': 'Domain', 'values': ['CORP', null]}]},"
                + " 'sensor1': {'columns': [{'name': 'Local Address', 'values': ['10.0.0.1', '10.0.0.1']},"
                + "                         {'name': 'Remote Port', 'values': ['443']}]}}}]}}}");

        Map<String, SensorRows> readings = responses.sensorReadings(body, SENSORS);

        assertThat(readings.keySet()).containsExactly("Logged In Users", "Network Details");
        assertThat(readings.get("Logged In Users")).isEqualTo(new SensorRows(List.of(
                row("User", "alice", "Domain", "CORP"),
                row("User", "bob", "Domain", null)), null));
        // Ragged columns: a missing value is null, the row count is the longest column's.
        assertThat(readings.get("Network Details")).isEqualTo(new SensorRows(List.of(
                row("Local Address", "10.0.0.1", "Remote Port", "443"),
                row("Local Address", "10.0.0.1", "Remote Port", null)), null));
        assertThat(readings.get("Logged In Users").rows().get(0).keySet()).containsExactly("User", "Domain");
    }

    @Test
    void rowsAreCutToTheMaximumAndTheTotalIsReported() {
        String body = q("{'data': {'endpoints': {'edges': [{'node': {"
                + " 'sensor0': {'columns': [{'name': 'User', 'values': ['a', 'b', 'c', 'd', 'e']}]},"
                + " 'sensor1': {'columns': [{'name': 'Port', 'values': ['1', '2', '3']}]}}}]}}}");

        Map<String, SensorRows> readings = responses.sensorReadings(body, SENSORS);

        assertThat(readings.get("Logged In Users").rows()).extracting(r -> r.get("User")).containsExactly("a", "b", "c");
        assertThat(readings.get("Logged In Users").totalRows()).isEqualTo(5);
        // Exactly at the maximum: nothing was cut, so no total.
        assertThat(readings.get("Network Details").rows()).hasSize(3);
        assertThat(readings.get("Network Details").totalRows()).isNull();
    }

    @Test
    void aSensorWithoutColumnsHasNoRows() {
        String body = q("{'data': {'endpoints': {'edges': [{'node': {'sensor0': {'columns': []}}}]}}}");

        Map<String, SensorRows> readings = responses.sensorReadings(body, SENSORS);

        assertThat(readings.get("Logged In Users")).isEqualTo(new SensorRows(List.of(), null));
        assertThat(readings.get("Network Details")).isEqualTo(new SensorRows(List.of(), null));
    }

    @Test
    void aLiveReadWithoutEndpointIsAFailure() {
        assertThatThrownBy(() -> responses.sensorReadings(q("{'data': {'endpoints': {'edges': []}}}"), SENSORS))
                .isInstanceOf(TaniumException.class)
                .hasMessageContaining("returned no endpoint");
    }

    // ---- pages of a batch's requests ------------------------------------------------------

    @Test
    void aLookupPageAddsItsEndpointsAndItsCursorToTheChunk() {
        LookupChunk chunk = new LookupChunk("default", List.of(new LookupChunk.Host("k", new EndpointLookup("name", "WS-1"), null)));

        responses.endpointLookupPage(q("{'data': {'endpoints': {'edges': ["
                + "{'cursor': 'c1', 'node': {'id': '1', 'name': 'WS-1', 'ipAddress': '10.0.0.1', 'computerID': '77'}}],"
                + "'pageInfo': {'hasNextPage': true, 'endCursor': 'c1'}}}}"), chunk);
        assertThat(chunk.isMorePages()).isTrue();
        assertThat(chunk.after()).isEqualTo("c1");

        responses.endpointLookupPage(q("{'data': {'endpoints': {'edges': [{'node': {'id': '2', 'name': 'ws-1'}}],"
                + "'pageInfo': {'hasNextPage': false, 'endCursor': 'c2'}}}}"), chunk);
        assertThat(chunk.isMorePages()).isFalse();
        assertThat(chunk.found()).containsExactly(new TaniumEndpoint("1", "WS-1", "10.0.0.1", null, "77"), new TaniumEndpoint("2", "ws-1", null, null));
    }

    @Test
    void aPageThatSaysMoreFollowWithoutANewCursorIsAFailureNotALoop() {
        LookupChunk chunk = new LookupChunk("default", List.of(new LookupChunk.Host("k", new EndpointLookup("name", "WS-1"), null)));

        assertThatThrownBy(() -> responses.endpointLookupPage(q("{'data': {'endpoints': {'edges': [],"
                + "'pageInfo': {'hasNextPage': true, 'endCursor': null}}}}"), chunk))
                .isInstanceOf(TaniumException.class).hasMessageContaining("no new cursor");
    }

    @Test
    void aLookupPageWithGraphqlErrorsIsAFailureEvenWithData() {
        LookupChunk chunk = new LookupChunk("default", List.of(new LookupChunk.Host("k", new EndpointLookup("name", "WS-1"), null)));

        assertThatThrownBy(() -> responses.endpointLookupPage(q("{'errors': [{'message': 'filter must refer to an existing sensor'}],"
                + "'data': {'endpoints': {'edges': [{'node': {'id': '1'}}]}}}"), chunk))
                .isInstanceOf(TaniumException.class).hasMessage("GraphQL error: filter must refer to an existing sensor");
    }

    @Test
    void aReadPageGivesEachFieldsNodesTheirReadingsById() {
        ReadChunk chunk = new ReadChunk("default", List.of(
                new ReadChunk.Read("k1", new TaniumEndpoint("101", "WS-1", null, null), "fields-a", SENSORS, null),
                new ReadChunk.Read("k2", new TaniumEndpoint("102", "WS-2", null, null), "fields-a", SENSORS, null),
                new ReadChunk.Read("k3", new TaniumEndpoint("103", "WS-3", null, null), "fields-b", SENSORS.subList(0, 1), null)));

        responses.sensorReadingsPage(q("{'data': {"
                + "'read0': {'edges': [{'node': {'id': '102', 'sensor0': {'columns': [{'name': 'User', 'values': ['bob']}]},"
                + "                                       'sensor1': {'columns': [{'name': 'Port', 'values': ['22', '443']}]}}},"
                + "                   {'node': {'id': '101', 'sensor0': {'columns': [{'name': 'User', 'values': ['alice']}]},"
                + "                                       'sensor1': {'columns': []}}}],"
                + "          'pageInfo': {'hasNextPage': false}},"
                + "'read1': {'edges': [], 'pageInfo': {'hasNextPage': false}}}}"), chunk);

        ReadChunk.Group both = chunk.group("read0");
        assertThat(both.readingsOf("101").get("Logged In Users").rows()).containsExactly(Map.of("User", "alice"));
        assertThat(both.readingsOf("101").get("Network Details").rows()).isEmpty();
        assertThat(both.readingsOf("102").get("Logged In Users").rows()).containsExactly(Map.of("User", "bob"));
        assertThat(both.readingsOf("102").get("Network Details").rows()).containsExactly(Map.of("Port", "22"), Map.of("Port", "443"));
        assertThat(chunk.group("read1").readingsOf("103")).as("did not answer").isNull();
        assertThat(chunk.isMorePages()).isFalse();
    }

    @Test
    void aReadPageWithoutOneOfItsFieldsIsAFailure() {
        ReadChunk chunk = new ReadChunk("default", List.of(
                new ReadChunk.Read("k1", new TaniumEndpoint("101", "WS-1", null, null), "fields-a", SENSORS, null),
                new ReadChunk.Read("k3", new TaniumEndpoint("103", "WS-3", null, null), "fields-b", SENSORS, null)));

        assertThatThrownBy(() -> responses.sensorReadingsPage(q("{'data': {'read0': {'edges': []}}}"), chunk))
                .isInstanceOf(TaniumException.class).hasMessageContaining("data.read1.edges");
    }

    private static Map<String, String> row(String k1, String v1, String k2, String v2) {
        Map<String, String> row = new LinkedHashMap<>();
        row.put(k1, v1);
        row.put(k2, v2);
        return row;
    }
}
