package io.github.taniumroutes.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.taniumroutes.simulator.DirectConnectControl.Generation;

/**
 * Direct Connect over real HTTP, asked the way seed 004 and Tanium's current reference write the
 * requests (not the way our client does): sessions connecting then ready, closed after the inactivity
 * limit unless used, both API generations, the endpoint's reads from the inventory, a kill that removes
 * the process, and a pid reused by another process. The sessions' clock is stepped by hand.
 */
class DirectConnectSimulatorTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String TOKEN = "dc-token";

    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicLong clock = new AtomicLong(1_714_640_000_000L);
    private TaniumSimulator simulator;
    private DirectConnectControl directConnect;

    @BeforeEach
    void start() throws Exception {
        simulator = TaniumSimulator.start(0, Path.of("config/simulator/inventory.json"), TOKEN);
        directConnect = simulator.directConnect().clock(clock::get);
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    @Test
    void theSeedsLegacyCallsOpenReadKillAndClose() throws Exception {
        JsonNode opened = graphql("mutation ($id: ID!) { openDirectConnection(input: {endpointID: $id}) { connectionID } }", vars("id", "1003"));
        String connectionId = opened.path("data").path("openDirectConnection").path("connectionID").asText();
        assertThat(connectionId).isNotBlank();
        assertThat(opened.path("data").path("openDirectConnection").has("status")).as("the seed's open names only the id").isFalse();

        assertThat(graphql("mutation ($connectionID: ID!) { pingDirectConnection(input: {connectionID: $connectionID}) { result } }",
                vars("connectionID", connectionId)).path("data").path("pingDirectConnection").path("result").asBoolean()).isTrue();
        JsonNode cpu = graphql("{directEndpoint (input : {endpointID: \"1003\"}) { performance { cpuUsagePercent } } }", null);
        assertThat(cpu.path("data").path("directEndpoint").path("performance").path("cpuUsagePercent").asDouble()).isEqualTo(28.751501243887798);
        assertThat(cpu.path("data").path("directEndpoint").has("processes")).as("only what was selected").isFalse();
        JsonNode processes = graphql("{ directEndpoint (input : {endpointID: \"1003\"}) { processes { all { pid ppid name commandLine userName "
                + "groupName memoryResidentBytes } } } }", null).path("data").path("directEndpoint").path("processes").path("all");
        assertThat(processes).extracting(p -> p.path("name").asText()).contains("TaniumClient.exe", "evil.exe");
        JsonNode evil = pid(processes, 4242);
        assertThat(evil.path("commandLine").asText()).contains("--beacon");
        assertThat(evil.path("userName").asText()).isEqualTo("jdoe");
        JsonNode alerts = graphql("{ directEndpoint (input : {endpointID: \"1003\"}) { alerts { all { schema key type ref topProcessesExpr labels "
                + "pendingAt start resolvedAt leadup value } } } }", null).path("data").path("directEndpoint").path("alerts").path("all");
        assertThat(alerts.get(0).path("type").asText()).isEqualTo("available-mem");

        JsonNode killed = graphql("mutation { killProcess( input: {connectionID: \"" + connectionId + "\", name: \"evil.exe\", pid: 4242, signal: SIGKILL} )"
                + " { result } }", null);
        assertThat(killed.path("data").path("killProcess").path("result").asBoolean()).isTrue();
        assertThat(directConnect.runs("1003", 4242)).as("the kill removes the process").isFalse();
        assertThat(directConnect.kills()).singleElement().satisfies(k -> {
            assertThat(k.signal()).isEqualTo("SIGKILL");
            assertThat(k.killed()).isTrue();
        });

        assertThat(graphql("mutation ($connectionID: ID!) { closeDirectConnection(input: {connectionID: $connectionID}) { result } }",
                vars("connectionID", connectionId)).path("data").path("closeDirectConnection").path("result").asBoolean()).isTrue();
        assertThat(directConnect.openCount("1003")).isEqualTo(1);
        assertThat(directConnect.closeCount("1003")).isEqualTo(1);
        assertThat(directConnect.openSessions()).isZero();
    }

    @Test
    void theCurrentGenerationReportsConnectingThenReady() throws Exception {
        directConnect.connectDelay(Duration.ofSeconds(3));
        JsonNode opened = graphql("mutation openEndpointConnection ($id: ID!){ directConnectOpen(input: {endpointID: $id}) { connectionID status } }",
                vars("id", "1004")).path("data").path("directConnectOpen");
        assertThat(opened.path("status").asText()).isEqualTo("CONNECTING");
        String id = opened.path("connectionID").asText();
        assertThat(status(id)).isEqualTo("CONNECTING");
        assertThat(graphql("{ directConnectEndpoint(input: {endpointID: \"1004\"}) { processes { all { pid name } } } }", null)
                .path("errors").get(0).path("message").asText()).as("no reads before it is ready")
                .isEqualTo("no open Direct Connect connection to endpoint 1004");

        clock.addAndGet(3_001);
        assertThat(status(id)).isEqualTo("READY");
        JsonNode endpoint = graphql("{ directConnectEndpoint(input: {endpointID: \"1004\"}) { processes { all { pid name commandLine } } } }", null)
                .path("data").path("directConnectEndpoint");
        assertThat(pid(endpoint.path("processes").path("all"), 31338).path("commandLine").asText()).contains("nc -e /bin/bash");
        assertThat(graphql("mutation ($c: ID!) { directConnectPing(input: {connectionID: $c}) { result } }", vars("c", id))
                .path("data").path("directConnectPing").path("result").asBoolean()).isTrue();
        assertThat(graphql("mutation ($c: ID!) { directConnectClose(input: {connectionID: $c}) { result } }", vars("c", id))
                .path("data").path("directConnectClose").path("result").asBoolean()).isTrue();
        JsonNode afterClose = graphql("mutation ($c: ID!) { directConnectConnectionStatus(input: {connectionID: $c}) { status } }", vars("c", id));
        assertThat(afterClose.path("errors").get(0).path("message").asText()).isEqualTo("Direct Connect connection " + id + " is not open");
        assertThat(afterClose.path("errors").get(0).path("path").get(0).asText()).isEqualTo("directConnectConnectionStatus");
    }

    @Test
    void aSessionNobodyUsesClosesAfterTheInactivityLimitAndPingsKeepItOpen() throws Exception {
        directConnect.inactivityLimit(Duration.ofSeconds(2));
        String kept = open("1003");
        String idle = open("1005");

        for (int i = 0; i < 5; i++) {
            clock.addAndGet(1_500);
            assertThat(graphql("mutation ($c: ID!) { directConnectPing(input: {connectionID: $c}) { result } }", vars("c", kept))
                    .path("data").path("directConnectPing").path("result").asBoolean()).as("pinged every 1.5 s").isTrue();
        }

        assertThat(status(kept)).isEqualTo("READY");
        assertThat(graphql("mutation ($c: ID!) { directConnectPing(input: {connectionID: $c}) { result } }", vars("c", idle))
                .path("errors").get(0).path("message").asText()).isEqualTo("Direct Connect connection " + idle + " is not open");
        assertThat(directConnect.inactivityClosures()).isEqualTo(1);
        assertThat(directConnect.sessions()).filteredOn(s -> s.connectionId().equals(idle)).singleElement()
                .satisfies(s -> assertThat(s.closedBy()).isEqualTo("inactivity"));
        assertThat(directConnect.pingCount("1003")).isEqualTo(5);
    }

    @Test
    void aServerOfOneGenerationRefusesTheOthersNames() throws Exception {
        directConnect.generations(Generation.LEGACY);
        JsonNode refused = graphql("mutation ($id: ID!) { directConnectOpen(input: {endpointID: $id}) { connectionID status } }", vars("id", "1003"));
        assertThat(refused.path("data").isNull()).isTrue();
        assertThat(refused.path("errors").get(0).path("message").asText()).isEqualTo("Cannot query field \"directConnectOpen\" on type \"Mutation\".");
        assertThat(directConnect.openCount("1003")).isZero();

        directConnect.generations(Generation.CURRENT);
        assertThat(graphql("mutation ($id: ID!) { openDirectConnection(input: {endpointID: $id}) { connectionID } }", vars("id", "1003"))
                .path("errors")).isNotEmpty();
    }

    @Test
    void aKilledPidReusedByAnotherProcessIsNotKilledUnderTheOldName() throws Exception {
        String id = open("1005");
        directConnect.endProcess("1005", 4242).startProcess("1005", 4242, "backupd", "/usr/libexec/backupd --nightly", "root");

        JsonNode refused = graphql("mutation ($c: ID!, $n: String!, $p: Int!) { directConnectProcessTerminate(input: {connectionID: $c, name: $n, "
                + "pid: $p, signal: SIGKILL}) { result } }", vars("c", id).put("n", "evil").put("p", 4242));
        assertThat(refused.path("data").path("directConnectProcessTerminate").path("result").asBoolean()).isFalse();
        assertThat(directConnect.runs("1005", 4242)).isTrue();
        assertThat(directConnect.killCount("1005")).as("the mutation reached Tanium").isEqualTo(1);
    }

    @Test
    void aNameWithQuotesArrivesIntactAsAVariable() throws Exception {
        String id = open("1020");
        JsonNode killed = graphql("mutation ($c: ID!, $n: String!, $p: Int!) { directConnectProcessTerminate(input: {connectionID: $c, name: $n, "
                + "pid: $p, signal: SIGKILL}) { result } }", vars("c", id).put("n", "evil \"7\".exe").put("p", 6666));
        assertThat(killed.path("data").path("directConnectProcessTerminate").path("result").asBoolean()).isTrue();
        assertThat(directConnect.kills()).singleElement().satisfies(k -> assertThat(k.name()).isEqualTo("evil \"7\".exe"));
    }

    @Test
    void theControlDocumentSteersItOverHttp() throws Exception {
        HttpResponse<String> set = http.send(HttpRequest.newBuilder(URI.create(simulator.url() + TaniumSimulator.DIRECT_CONNECT_PATH))
                .PUT(HttpRequest.BodyPublishers.ofString("{\"reset\":true,\"connectDelayMs\":1000,\"inactivityLimitMs\":5000,"
                        + "\"generations\":[\"current\"],\"startProcess\":{\"endpointId\":\"1003\",\"pid\":4243,\"name\":\"calc.exe\"}}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        JsonNode described = MAPPER.readTree(set.body());
        assertThat(described.path("connectDelayMs").asLong()).isEqualTo(1000);
        assertThat(described.path("inactivityLimitMs").asLong()).isEqualTo(5000);
        assertThat(described.path("generations")).extracting(JsonNode::asText).containsExactly("CURRENT");
        assertThat(directConnect.runs("1003", 4243)).isTrue();
        HttpResponse<String> bad = http.send(HttpRequest.newBuilder(URI.create(simulator.url() + TaniumSimulator.DIRECT_CONNECT_PATH))
                .PUT(HttpRequest.BodyPublishers.ofString("{\"inactivityLimitMs\":0}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(bad.statusCode()).isEqualTo(400);
    }

    @Test
    void aSlowAnswerCanBeLimitedToOneOperationByItsBody() {
        simulator.faults().slowMatching("^/plugin/products/gateway/graphql$", "directConnectProcessTerminate", 5_000);
        assertThat(simulator.faults().latencyFor(GatewayHandler.PATH, "{\"query\":\"mutation { directConnectProcessTerminate(...) }\"}"))
                .isEqualTo(5_000);
        assertThat(simulator.faults().latencyFor(GatewayHandler.PATH, "{\"query\":\"mutation { directConnectPing(...) }\"}")).isZero();
    }

    // ---- helpers ----

    private String open(String endpointId) throws Exception {
        return graphql("mutation ($id: ID!) { directConnectOpen(input: {endpointID: $id}) { connectionID status } }", vars("id", endpointId))
                .path("data").path("directConnectOpen").path("connectionID").asText();
    }

    private String status(String connectionId) throws Exception {
        return graphql("mutation ($c: ID!) { directConnectConnectionStatus(input: {connectionID: $c}) { status } }", vars("c", connectionId))
                .path("data").path("directConnectConnectionStatus").path("status").asText();
    }

    private static JsonNode pid(JsonNode processes, long pid) {
        for (JsonNode process : processes) {
            if (process.path("pid").asLong() == pid) {
                return process;
            }
        }
        throw new AssertionError("no pid " + pid + " in " + processes);
    }

    private static ObjectNode vars(String name, String value) {
        return MAPPER.createObjectNode().put(name, value);
    }

    private JsonNode graphql(String query, ObjectNode variables) throws Exception {
        ObjectNode body = MAPPER.createObjectNode().put("query", query);
        if (variables != null) {
            body.set("variables", variables);
        }
        HttpResponse<String> reply = http.send(HttpRequest.newBuilder(URI.create(simulator.url() + GatewayHandler.PATH))
                .header("session", TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
        return MAPPER.readTree(reply.body());
    }
}
