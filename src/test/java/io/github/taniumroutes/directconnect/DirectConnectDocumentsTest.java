package io.github.taniumroutes.directconnect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.taniumroutes.investigation.Investigation;
import io.github.taniumroutes.investigation.InvestigationRequest;
import io.github.taniumroutes.investigation.PlanStep;
import io.github.taniumroutes.investigation.Target;
import io.github.taniumroutes.simulator.GraphQlDocument;
import io.github.taniumroutes.tanium.ServerSettings;
import io.github.taniumroutes.tanium.TaniumSettings;

/**
 * The Direct Connect requests of both API generations, built from the documents in config/graphql: each
 * operation's name per generation, every value a variable (a hostile process name arrives intact and the
 * document text holds none of it), and the documents well formed as the simulator's strict lexer reads them.
 */
class DirectConnectDocumentsTest {

    static final ObjectMapper MAPPER = new ObjectMapper();
    static final TaniumSettings SERVERS = () -> Map.of("default", ServerSettings.of("https://t", "t"),
            "old", ServerSettings.of("https://o", "t").withDirectConnect("legacy", Duration.ofMinutes(2)));
    static final DirectConnectDocuments DOCUMENTS = new DirectConnectDocuments(MAPPER, SERVERS, "config/graphql");
    static final String HOSTILE = "evil \"7\".exe\\\" } }) { killProcess(input: {pid: 1}) { result } #";

    static Investigation on(String server) {
        return Investigation.accepted(InvestigationRequest.of("inv-a", "a", server, new Target("9065203", "WS-0142", "10.0.0.1", "Windows", "1003"),
                "rule", "v1", "t", List.of(new PlanStep("direct-connect", Map.of(), false))), 0, 0);
    }

    @ParameterizedTest
    @CsvSource({
        "default, current, directConnectOpen, directConnectConnectionStatus, directConnectPing, directConnectClose, directConnectEndpoint, directConnectProcessTerminate",
        "old,     legacy,  openDirectConnection, pingDirectConnection, pingDirectConnection, closeDirectConnection, directEndpoint, killProcess"})
    void eachServerSpeaksItsGeneration(String server, String generation, String open, String status, String ping, String close, String read,
            String kill) throws Exception {
        Investigation investigation = on(server);
        assertThat(DOCUMENTS.generation(server)).isEqualTo(generation);
        assertOperation(DOCUMENTS.open(investigation), open, "endpointID", "1003");
        assertOperation(DOCUMENTS.status(investigation, "c-1"), status, "connectionID", "c-1");
        assertOperation(DOCUMENTS.ping(server, "c-1"), ping, "connectionID", "c-1");
        assertOperation(DOCUMENTS.close(investigation, "c-1"), close, "connectionID", "c-1");
        for (String item : DirectConnectFlow.TRIAGE) {
            JsonNode request = assertOperation(DOCUMENTS.read(investigation, item), read, "endpointID", "1003");
            assertThat(GraphQlDocument.parse(request.path("query").asText(), request.path("variables")).mentions(item)).as(item).isTrue();
        }
        JsonNode killing = assertOperation(DOCUMENTS.kill(investigation, "c-1", new ProcessGuard.KillTarget(HOSTILE, 4242, null, null)), kill,
                "connectionID", "c-1");
        assertThat(killing.path("variables").path("pid").isIntegralNumber()).as("pid is an Int").isTrue();
        Map<String, Object> input = input(killing, kill);
        assertThat(input).containsEntry("name", HOSTILE).containsEntry("pid", "4242").containsEntry("signal", "SIGKILL");
        assertThat(killing.path("query").asText()).doesNotContain("evil").doesNotContain("4242");
    }

    @Test
    void aDocumentThatDoesNotUseItsVariablesIsRefusedAtStartUp() {
        Map<String, Map<String, String>> documents = new HashMap<>();
        Map<String, String> current = new HashMap<>();
        DirectConnectDocuments.OPERATIONS.keySet().forEach(op -> current.put(op, "mutation ($connectionID: ID!, $endpointID: ID!, $name: String!, "
                + "$pid: Int!) { x }"));
        current.put("kill", "mutation ($connectionID: ID!) { directConnectProcessTerminate(input: {connectionID: $connectionID, name: \"x\"}) "
                + "{ result } }");
        documents.put("current", current);
        assertThatThrownBy(() -> new DirectConnectDocuments(MAPPER, SERVERS, documents)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("direct-connect-current-kill.graphql must use the variable $name");
        documents.put("current", Map.of());
        assertThatThrownBy(() -> new DirectConnectDocuments(MAPPER, SERVERS, documents)).hasMessageContaining("no Direct Connect document");
    }

    @Test
    void anUnknownGenerationIsRefused() {
        TaniumSettings odd = () -> Map.of("default", ServerSettings.of("https://t", "t").withDirectConnect("v3", Duration.ofMinutes(2)));
        assertThatThrownBy(() -> new DirectConnectDocuments(MAPPER, odd, "config/graphql"))
                .hasMessage("tanium.servers.default.direct-connect-api must be one of [current, legacy], was v3");
    }

    private static JsonNode assertOperation(String body, String field, String variable, String value) throws Exception {
        JsonNode request = MAPPER.readTree(body);
        String query = request.path("query").asText();
        GraphQlDocument.validate(query);
        assertThat(GraphQlDocument.fields(query, request.path("variables"), field)).as(field + " in " + query).hasSize(1);
        assertThat(input(request, field)).containsEntry(variable, value);
        assertThat(query).doesNotContain(value);
        return request;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> input(JsonNode request, String field) {
        return (Map<String, Object>) GraphQlDocument.fields(request.path("query").asText(), request.path("variables"), field).get(0).arguments()
                .get("input");
    }
}
