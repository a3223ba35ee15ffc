package io.github.taniumroutes.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Gateway as a client that asks about many endpoints at once meets it: several filters with
 * {@code any: true} (or all of them), several aliased {@code endpoints} fields each with its own
 * arguments and sensor readings, pages ({@code first}, {@code after}, edge cursors, {@code pageInfo}),
 * a server that answers fewer records than asked, offline endpoints in live reads, and a GraphQL error
 * for the one request whose body matches.
 */
class GatewayManyEndpointsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String BY_IDS = """
            query ($first: Int, $after: Cursor, $a: String, $b: String, $c: String) {
              endpoints(first: $first, after: $after, source: {tds: {}},
                        filter: {any: true, filters: [{path: "id", op: EQ, value: $a}, {path: "id", op: EQ, value: $b},
                                                      {path: "id", op: EQ, value: $c}]}) {
                edges { cursor node { id name } }
                pageInfo { hasNextPage endCursor }
              }
            }""";

    private final HttpClient http = HttpClient.newHttpClient();
    private TaniumSimulator simulator;

    @BeforeEach
    void start() throws Exception {
        simulator = TaniumSimulator.start(0, Path.of("config/simulator/inventory.json"), "sim-token");
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    @Test
    void anyTrueMatchesEveryListedIdAndAnyFalseOnlyEndpointsMatchingAll() throws Exception {
        JsonNode any = gateway(BY_IDS, variables(null, null, "1003", "1005", "9999"));
        assertThat(ids(any.path("data").path("endpoints"))).containsExactly("1003", "1005");

        JsonNode all = gateway("""
                query ($n: String, $i: String) {
                  endpoints(source: {tds: {}}, filter: {any: false, filters: [{path: "name", op: EQ, value: $n}, {path: "id", op: EQ, value: $i}]}) {
                    edges { node { id } }
                  }
                }""", MAPPER.createObjectNode().put("n", "mac-0007").put("i", "1003"));
        assertThat(ids(all.path("data").path("endpoints"))).as("name of one, id of another").isEmpty();
    }

    @Test
    void pagesFollowTheirCursorsUntilHasNextPageIsFalse() throws Exception {
        List<String> seen = new ArrayList<>();
        String after = null;
        int pages = 0;
        boolean more = true;
        while (more) {
            JsonNode connection = gateway(BY_IDS, variables(2, after, "1003", "1010", "1011")).path("data").path("endpoints");
            seen.addAll(ids(connection));
            for (JsonNode edge : connection.path("edges")) {
                assertThat(edge.path("cursor").asText()).isNotBlank();
            }
            more = connection.path("pageInfo").path("hasNextPage").asBoolean();
            after = connection.path("pageInfo").path("endCursor").asText(null);
            assertThat(after).as("the last edge's cursor").isEqualTo(connection.path("edges").get(connection.path("edges").size() - 1).path("cursor").asText());
            pages++;
        }
        assertThat(pages).isEqualTo(2);
        assertThat(seen).containsExactly("1003", "1010", "1011");
    }

    @Test
    void aServerThatCapsItsPagesSaysSoInPageInfo() throws Exception {
        simulator.faults().gatewayPageLimit(1);

        JsonNode connection = gateway(BY_IDS, variables(100, null, "1003", "1010", "1011")).path("data").path("endpoints");

        assertThat(ids(connection)).containsExactly("1003");
        assertThat(connection.path("pageInfo").path("hasNextPage").asBoolean()).isTrue();
    }

    @Test
    void anInvalidCursorIsAGraphqlErrorOfItsField() throws Exception {
        JsonNode reply = gateway(BY_IDS, variables(2, "not-a-cursor", "1003", "1010", "1011"));

        assertThat(reply.path("errors").get(0).path("message").asText()).contains("invalid cursor");
        assertThat(reply.path("data").path("endpoints").isNull()).isTrue();
    }

    @Test
    void everyAliasedEndpointsFieldIsAnsweredWithItsOwnArgumentsAndSensors() throws Exception {
        JsonNode reply = gateway("""
                query ($x: String, $y: String) {
                  one: endpoints(source: {ts: {}}, filter: {any: true, filters: [{path: "id", op: EQ, value: $x}]}) {
                    edges { node { id s0: sensorReadings(sensors: [{name: "Logged In Users"}]) { columns { name values } } } }
                  }
                  two: endpoints(source: {ts: {}}, filter: {any: true, filters: [{path: "id", op: EQ, value: $y}]}) {
                    edges { node { id s0: sensorReadings(sensors: [{name: "Network Details", params: [{name: "HOSTORIP", value: "MAC-0007"}]}])
                      { columns { name values } } } }
                  }
                }""", MAPPER.createObjectNode().put("x", "1003").put("y", "1005"));

        assertThat(reply.has("errors")).isFalse();
        JsonNode one = reply.path("data").path("one").path("edges").get(0).path("node");
        JsonNode two = reply.path("data").path("two").path("edges").get(0).path("node");
        assertThat(one.path("id").asText()).isEqualTo("1003");
        assertThat(two.path("id").asText()).isEqualTo("1005");
        assertThat(one.path("s0").path("columns").get(0).path("name").asText()).as("Logged In Users' own column").isEqualTo("Logged In Users");
        assertThat(two.path("s0").path("columns").findValuesAsText("name")).as("Network Details', not Logged In Users'").contains("Remote Address").doesNotContain("Logged In Users");
    }

    @Test
    void anOfflineEndpointIsKnownToTheDataServiceButMissingFromALiveRead() throws Exception {
        simulator.faults().offline(Set.of("1005"));
        String live = BY_IDS.replace("{tds: {}}", "{ts: {}}");

        assertThat(ids(gateway(BY_IDS, variables(null, null, "1003", "1005", "1010")).path("data").path("endpoints")))
                .containsExactly("1003", "1005", "1010");
        JsonNode read = gateway(live, variables(null, null, "1003", "1005", "1010"));
        assertThat(read.has("errors")).as("not an error: it did not answer").isFalse();
        assertThat(ids(read.path("data").path("endpoints"))).containsExactly("1003", "1010");
    }

    @Test
    void aGraphqlErrorForTheRequestsWhoseBodyMatchesOnly() throws Exception {
        simulator.faults().graphqlErrorMatching("\"1010\"", 1);

        JsonNode other = gateway(BY_IDS, variables(null, null, "1003", "1005", "1004"));
        JsonNode failed = gateway(BY_IDS, variables(null, null, "1003", "1010", "1004"));
        JsonNode again = gateway(BY_IDS, variables(null, null, "1003", "1010", "1004"));

        assertThat(other.has("errors")).isFalse();
        assertThat(failed.path("errors").get(0).path("message").asText()).isEqualTo("simulated Gateway failure");
        assertThat(again.has("errors")).as("the count is used up").isFalse();
    }

    private static ObjectNode variables(Integer first, String after, String a, String b, String c) {
        ObjectNode variables = MAPPER.createObjectNode();
        if (first == null) {
            variables.putNull("first");
        } else {
            variables.put("first", first);
        }
        variables.put("after", after).put("a", a).put("b", b).put("c", c);
        return variables;
    }

    private static List<String> ids(JsonNode connection) {
        List<String> ids = new ArrayList<>();
        connection.path("edges").forEach(edge -> ids.add(edge.path("node").path("id").asText()));
        return ids;
    }

    private JsonNode gateway(String query, ObjectNode variables) throws Exception {
        ObjectNode body = MAPPER.createObjectNode().put("query", query);
        body.set("variables", variables);
        HttpResponse<String> reply = http.send(HttpRequest.newBuilder(URI.create(simulator.url() + GatewayHandler.PATH))
                .header("session", "sim-token").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(reply.statusCode()).isEqualTo(200);
        return MAPPER.readTree(reply.body());
    }
}
