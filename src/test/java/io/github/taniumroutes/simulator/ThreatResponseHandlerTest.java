package io.github.taniumroutes.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.github.taniumroutes.simulator.ThreatResponseControl.ConnectOutcome;
import io.github.taniumroutes.simulator.ThreatResponseControl.TaskOutcome;

/**
 * Threat Response over real HTTP: the real reply shapes, connections that change status and id
 * with time, snapshot tasks, the Java and HTTP controls and the path-specific fault.
 */
class ThreatResponseHandlerTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String TR = ThreatResponseHandler.PREFIX;
    private static final String TOKEN = "sim-token";
    /** Short enough to keep the suite fast, long enough that "before the delay" is observable. */
    private static final Duration DELAY = Duration.ofMillis(300);
    private static final Duration DEADLINE = Duration.ofSeconds(10);

    private final HttpClient http = HttpClient.newHttpClient();
    private TaniumSimulator simulator;
    private ThreatResponseControl control;

    @BeforeEach
    void start() throws Exception {
        simulator = TaniumSimulator.start(0, Path.of("config/simulator/inventory.json"), TOKEN);
        control = simulator.threatResponse();
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    @Test
    void aConnectNamingTheGatewayIdIsListedUnderTheComputerIdWhereTheCallerNeverLooks() throws Exception {
        control.connectDelay(DELAY);

        connect("1005", "MAC-0007");

        JsonNode listed = single(conns());
        assertThat(listed.path("clientId").asText()).as("Threat Response names the host's computer id").isEqualTo("9065205");
        assertThat(control.connectCount("1005")).isZero();
        assertThat(simulator.computerIdOf("1005")).isEqualTo("9065205");
    }

    @Test
    void aHostNameTwoEndpointsShareIsNotResolvedToEitherComputerId() throws Exception {
        // LAPTOP-DUP and laptop-dup: the Gateway's name filter, case-insensitive, matches both.
        connect("1010", "LAPTOP-DUP");

        assertThat(single(conns()).path("clientId").asText()).isEqualTo("1010");
    }

    @Test
    void connectAnswersWithABareJsonStringAndOpensAWaitingConnection() throws Exception {
        control.connectDelay(DELAY);

        HttpResponse<String> reply = connect("9065205", "MAC-0007");

        assertThat(reply.statusCode()).isEqualTo(200);
        JsonNode id = MAPPER.readTree(reply.body());
        assertThat(id.isTextual()).as("a bare JSON string, not an object: %s", reply.body()).isTrue();
        assertThat(id.asText()).matches("remote:undefined:\\d+:");
        JsonNode listed = single(conns());
        assertThat(listed.path("id").asText()).isEqualTo(id.asText());
        assertThat(listed.path("status").asText()).isEqualTo("waiting");
        assertThat(listed.path("clientId").asText()).isEqualTo("9065205");
        assertThat(listed.path("userId").asText()).isEqualTo(String.valueOf(TaniumSimulator.USER_ID));
        assertThat(listed.path("initiatedAt").isIntegralNumber()).isTrue();
        assertThat(listed.path("connectedAt").isNull()).isTrue();
        assertThat(control.connectCount("9065205")).isEqualTo(1);
        assertThat(simulator.requests(TR + "/conns/connect")).singleElement()
                .satisfies(r -> assertThat(r.body()).contains("\"clientId\":\"9065205\""));
    }

    @Test
    void connectWithoutTargetClientIdIsRefused() throws Exception {
        HttpResponse<String> flat = send("POST", TR + "/conns/connect", "{\"client_id\":\"9065205\",\"hostname\":\"MAC-0007\"}", TOKEN);

        assertThat(flat.statusCode()).isEqualTo(400);
        assertThat(MAPPER.readTree(flat.body()).path("text").asText()).contains("clientId");
        assertThat(send("POST", TR + "/conns/connect", "not json", TOKEN).statusCode()).isEqualTo(400);
        assertThat(control.connections()).isEmpty();
    }

    @Test
    void aConnectionTurnsConnectedAfterTheDelayAndItsIdChanges() throws Exception {
        control.connectDelay(DELAY);
        String initial = connectId("9065205", "MAC-0007");
        String expectedFinal = "remote:MAC-0007:9065205:" + control.connections().get(0).eid();
        assertThat(control.connections().get(0).eid()).as("no eid before connected").isNull();
        assertThat(send("GET", TR + "/conns/" + expectedFinal, null, TOKEN).statusCode())
                .as("the final id names nothing before the connection is connected").isEqualTo(404);

        JsonNode connected = awaitStatus(initial, "connected");

        String finalId = connected.path("id").asText();
        assertThat(finalId).isNotEqualTo(initial).matches("remote:MAC-0007:9065205:\\d+");
        assertThat(connected.path("hostname").asText()).isEqualTo("MAC-0007");
        assertThat(connected.path("eid").asText()).isNotEmpty();
        assertThat(connected.path("connectedAt").asLong()).isGreaterThanOrEqualTo(connected.path("initiatedAt").asLong() + DELAY.toMillis());
        assertThat(connected.path("hasTools").asBoolean()).isTrue();
        assertThat(MAPPER.readTree(send("GET", TR + "/conns/" + finalId, null, TOKEN).body()).path("status").asText()).isEqualTo("connected");
        assertThat(MAPPER.readTree(send("GET", TR + "/conns/" + initial, null, TOKEN).body()).path("id").asText())
                .as("the initial id still finds the connection").isEqualTo(finalId);
        assertThat(send("GET", TR + "/conns/" + finalId.replace(":", "%3A"), null, TOKEN).statusCode())
                .as("a percent-encoded id").isEqualTo(200);
    }

    @Test
    void withoutADelayTheFirstLookAfterConnectSeesItConnected() throws Exception {
        String initial = connectId("9065205", "MAC-0007");

        JsonNode listed = single(conns());

        assertThat(listed.path("status").asText()).isEqualTo("connected");
        assertThat(listed.path("id").asText()).isNotEqualTo(initial).startsWith("remote:MAC-0007:9065205:");
    }

    @Test
    void aTimeoutOutcomeEndsInTimeoutAndKeepsTheInitialId() throws Exception {
        control.connectDelay(DELAY).connectOutcome(ConnectOutcome.TIMEOUT);
        String initial = connectId("9065205", "MAC-0007");
        assertThat(single(conns()).path("status").asText()).isEqualTo("waiting");

        JsonNode timedOut = awaitStatus(initial, "timeout");

        assertThat(timedOut.path("id").asText()).isEqualTo(initial);
        assertThat(timedOut.path("message").asText()).containsIgnoringCase("timed out");
        assertThat(timedOut.path("connectedAt").isNull()).isTrue();
        assertThat(control.openConnections()).isZero();
        assertThat(send("POST", TR + "/conns/" + initial + "/snapshot", "", TOKEN).statusCode()).isEqualTo(409);
    }

    @Test
    void aNeverOutcomeStaysWaitingWhileALaterConnectionConnects() throws Exception {
        control.connectOutcome(ConnectOutcome.NEVER);
        String stuck = connectId("9065205", "MAC-0007");
        // Settings are taken when a connection opens: this one connects, the first one must not.
        control.connectOutcome(ConnectOutcome.CONNECTED).connectDelay(DELAY);
        String later = connectId("1006", "WIN-0001");

        awaitStatus(later, "connected");

        JsonNode first = byId(conns(), stuck);
        assertThat(first.path("status").asText()).isEqualTo("waiting");
        assertThat(control.openConnections()).isEqualTo(2);
    }

    @Test
    void foreignConnectionsAreListedWithTheirUserButAreNotOurs() throws Exception {
        String theirs = control.addForeignConnection("9065205", "MAC-0007", 7);
        connectId("9065205", "MAC-0007");

        JsonNode list = conns();

        assertThat(list).hasSize(2);
        JsonNode foreign = byId(list, theirs);
        assertThat(foreign.path("status").asText()).isEqualTo("connected");
        assertThat(foreign.path("userId").asText()).isEqualTo("7");
        assertThat(control.openConnections()).as("only ours count").isEqualTo(1);
        assertThat(control.connectCount("9065205")).isEqualTo(1);
        assertThat(control.connections()).extracting(ThreatResponseControl.Connection::userId)
                .containsExactlyInAnyOrder(7, TaniumSimulator.USER_ID);
    }

    @Test
    void aSnapshotNeedsAConnectedConnection() throws Exception {
        control.connectOutcome(ConnectOutcome.NEVER);
        String waiting = connectId("9065205", "MAC-0007");

        HttpResponse<String> refused = send("POST", TR + "/conns/" + waiting + "/snapshot", "", TOKEN);

        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(MAPPER.readTree(refused.body()).path("text").asText()).contains("waiting");
        assertThat(send("POST", TR + "/conns/remote:nobody:1:2/snapshot", "", TOKEN).statusCode()).isEqualTo(404);
        assertThat(control.snapshotCount("9065205")).isEqualTo(1);
    }

    @Test
    void theInitialIdNoLongerTakesASnapshotOnceTheIdChanged() throws Exception {
        String initial = connectId("9065205", "MAC-0007");
        assertThat(single(conns()).path("status").asText()).isEqualTo("connected");

        assertThat(send("POST", TR + "/conns/" + initial + "/snapshot", "", TOKEN).statusCode()).isEqualTo(404);
    }

    @Test
    void aSnapshotTaskRunsThenCompletesAndTheSnapshotIsListed() throws Exception {
        control.snapshotDuration(DELAY);
        String cid = connectedId("9065205", "MAC-0007");

        HttpResponse<String> accepted = send("POST", TR + "/conns/" + cid + "/snapshot", "", TOKEN);

        assertThat(accepted.statusCode()).isEqualTo(200);
        JsonNode reply = MAPPER.readTree(accepted.body());
        assertThat(reply.path("status").asText()).isEqualTo("ACCEPTED");
        JsonNode info = reply.path("taskInfo");
        assertThat(info.path("status").asText()).isEqualTo("STARTED");
        assertThat(info.path("metadata").path("connection").asText()).isEqualTo(cid);
        assertThat(info.path("startTime").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        int taskId = info.path("id").asInt();
        assertThat(task(taskId).path("status").asText()).isEqualTo("STARTED");
        assertThat(snapshots("").path("totalCount").asInt()).isZero();

        JsonNode done = await().atMost(DEADLINE).pollInterval(Duration.ofMillis(20))
                .until(() -> task(taskId), t -> !t.path("status").asText().equals("STARTED"));

        assertThat(done.path("status").asText()).isEqualTo("COMPLETED");
        assertThat(done.path("type").asText()).isEqualTo("snapshot");
        assertThat(done.path("error").isNull()).isTrue();
        String uuid = done.path("results").path("uuid").asText();
        JsonNode list = snapshots("limit=10&offset=0");
        assertThat(list.path("totalCount").asInt()).isEqualTo(1);
        JsonNode snapshot = list.path("snapshots").get(0);
        assertThat(snapshot.path("uuid").asText()).isEqualTo(uuid);
        assertThat(snapshot.path("hostname").asText()).isEqualTo("MAC-0007");
        assertThat(snapshot.path("evidenceType").asText()).isEqualTo("snapshot");
        assertThat(snapshot.path("name").asText()).isEqualTo(done.path("results").path("name").asText()).endsWith(".db");
        assertThat(snapshot.path("size").asLong()).isPositive();
        assertThat(snapshot.path("completed").asText()).isNotEmpty();
        assertThat(control.snapshotCount("9065205")).isEqualTo(1);
        assertThat(simulator.requests(TR + "/snapshot")).last().satisfies(r -> assertThat(r.query()).isEqualTo("limit=10&offset=0"));

        assertThat(send("DELETE", TR + "/snapshot", "{\"ids\":[\"" + uuid + "\"]}", TOKEN).statusCode()).isEqualTo(200);
        assertThat(snapshots("").path("totalCount").asInt()).isZero();
    }

    @Test
    void snapshotsArePaged() throws Exception {
        String cid = connectedId("9065205", "MAC-0007");
        for (int i = 0; i < 3; i++) {
            assertThat(send("POST", TR + "/conns/" + cid + "/snapshot", "", TOKEN).statusCode()).isEqualTo(200);
        }

        JsonNode page = snapshots("limit=2&offset=1");

        assertThat(page.path("totalCount").asInt()).isEqualTo(3);
        assertThat(page.path("snapshots")).hasSize(2);
        assertThat(send("GET", TR + "/snapshot?limit=x", null, TOKEN).statusCode()).isEqualTo(400);
    }

    @Test
    void aFailedOutcomeFailsTheTaskWithAnErrorAndListsNoSnapshot() throws Exception {
        control.taskOutcome(TaskOutcome.FAILED);
        String cid = connectedId("9065205", "MAC-0007");

        int taskId = MAPPER.readTree(send("POST", TR + "/conns/" + cid + "/snapshot", "", TOKEN).body()).path("taskInfo").path("id").asInt();
        JsonNode failed = task(taskId);

        assertThat(failed.path("status").asText()).isEqualTo("FAILED");
        assertThat(failed.path("error").isTextual()).isTrue();
        assertThat(failed.path("error").asText()).isNotBlank();
        assertThat(snapshots("").path("totalCount").asInt()).isZero();
        assertThat(send("GET", TR + "/tasks/999999", null, TOKEN).statusCode()).isEqualTo(404);
    }

    @Test
    void closingAConnectionDisconnectsItAndFailsItsRunningSnapshot() throws Exception {
        control.snapshotDuration(Duration.ofMinutes(10));
        String initial = connectId("9065205", "MAC-0007");
        String cid = single(conns()).path("id").asText();
        int taskId = MAPPER.readTree(send("POST", TR + "/conns/" + cid + "/snapshot", "", TOKEN).body()).path("taskInfo").path("id").asInt();

        HttpResponse<String> closed = send("DELETE", TR + "/conns/close/" + initial, null, TOKEN);

        assertThat(closed.statusCode()).isEqualTo(200);
        assertThat(closed.body()).isEqualTo("{}");
        JsonNode listed = single(conns());
        assertThat(listed.path("status").asText()).isEqualTo("disconnected");
        assertThat(listed.path("id").asText()).as("it had connected: it keeps its final id").isEqualTo(cid);
        assertThat(task(taskId).path("status").asText()).isEqualTo("FAILED");
        assertThat(control.closeCount("9065205")).isEqualTo(1);
        assertThat(control.openConnections()).isZero();
        assertThat(send("DELETE", TR + "/conns/close/remote:nobody:1:2", null, TOKEN).statusCode()).isEqualTo(404);
    }

    @Test
    void deletingAConnectionRemovesIt() throws Exception {
        String cid = connectedId("9065205", "MAC-0007");

        assertThat(send("DELETE", TR + "/conns/delete/" + cid, null, TOKEN).statusCode()).isEqualTo(200);

        assertThat(conns()).isEmpty();
        assertThat(send("GET", TR + "/conns/" + cid, null, TOKEN).statusCode()).isEqualTo(404);
        assertThat(send("DELETE", TR + "/conns/delete/" + cid, null, TOKEN).statusCode()).isEqualTo(404);
        assertThat(control.closeCount("9065205")).as("a delete is not a close").isZero();
    }

    @Test
    void theHttpControlChangesSettingsShowsCountersAndResets() throws Exception {
        HttpResponse<String> set = control("PUT", "{\"connectDelayMs\":60000,\"connectOutcome\":\"TIMEOUT\","
                + "\"snapshotDurationMs\":20000,\"taskOutcome\":\"FAILED\"}");

        assertThat(set.statusCode()).isEqualTo(200);
        JsonNode settings = MAPPER.readTree(set.body());
        assertThat(settings.path("connectDelayMs").asLong()).isEqualTo(60000);
        assertThat(settings.path("connectOutcome").asText()).isEqualTo("TIMEOUT");
        assertThat(settings.path("snapshotDurationMs").asLong()).isEqualTo(20000);
        assertThat(settings.path("taskOutcome").asText()).isEqualTo("FAILED");
        String cid = connectId("9065205", "MAC-0007");
        assertThat(single(conns()).path("status").asText()).as("the 60 s delay applies").isEqualTo("waiting");
        send("DELETE", TR + "/conns/close/" + cid, null, TOKEN);

        JsonNode counters = MAPPER.readTree(control("GET", null).body());

        assertThat(counters.path("connects").asInt()).isEqualTo(1);
        assertThat(counters.path("closes").asInt()).isEqualTo(1);
        assertThat(counters.path("snapshots").asInt()).isZero();
        assertThat(counters.path("userId").asInt()).isEqualTo(TaniumSimulator.USER_ID);
        assertThat(simulator.requests(TaniumSimulator.THREAT_RESPONSE_PATH)).as("control calls are not recorded").isEmpty();

        JsonNode reset = MAPPER.readTree(control("PUT", "{\"reset\":true}").body());

        assertThat(reset.path("connectDelayMs").asLong()).isZero();
        assertThat(reset.path("connectOutcome").asText()).isEqualTo("CONNECTED");
        assertThat(reset.path("connects").asInt()).isZero();
        assertThat(conns()).isEmpty();
        assertThat(control("PUT", "{\"connectOutcome\":\"MAYBE\",\"connectDelayMs\":5}").statusCode()).isEqualTo(400);
        assertThat(MAPPER.readTree(control("GET", null).body()).path("connectDelayMs").asLong())
                .as("a bad document changes nothing").isZero();
    }

    @Test
    void theHttpControlCanAddAForeignConnection() throws Exception {
        control("PUT", "{\"addForeignConnection\":{\"clientId\":\"9065205\",\"hostname\":\"MAC-0007\",\"userId\":7}}");

        assertThat(single(conns()).path("userId").asText()).isEqualTo("7");
    }

    @Test
    void theJavaResetForgetsEverything() throws Exception {
        control.connectDelay(DELAY).snapshotDuration(DELAY).taskOutcome(TaskOutcome.FAILED);
        connectId("9065205", "MAC-0007");

        control.reset();

        assertThat(control.connections()).isEmpty();
        assertThat(control.connectCount("9065205")).isZero();
        String cid = connectedId("9065205", "MAC-0007");
        int taskId = MAPPER.readTree(send("POST", TR + "/conns/" + cid + "/snapshot", "", TOKEN).body()).path("taskInfo").path("id").asInt();
        assertThat(task(taskId).path("status").asText()).isEqualTo("COMPLETED");
    }

    @Test
    void failNextMatchingFailsOnlyMatchingPaths() throws Exception {
        String cid = connectedId("9065205", "MAC-0007");
        simulator.faults().retryAfter(3).failNextMatching("/conns/[^/]+/snapshot$", 1, 429);

        assertThat(send("GET", TR + "/conns", null, TOKEN).statusCode()).as("not matching: served").isEqualTo(200);
        HttpResponse<String> limited = send("POST", TR + "/conns/" + cid + "/snapshot", "", TOKEN);
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).contains("3");
        assertThat(send("POST", TR + "/conns/" + cid + "/snapshot", "", TOKEN).statusCode()).as("count used up").isEqualTo(200);
        assertThat(control.snapshotCount("9065205")).as("a faulted request never reached Threat Response").isEqualTo(1);
    }

    @Test
    void failNextMatchingCanBeSetOverHttp() throws Exception {
        HttpResponse<String> set = send("PUT", TaniumSimulator.FAULTS_PATH,
                "{\"failNextMatching\":{\"path\":\"/conns/connect$\",\"count\":2,\"status\":503}}", null);
        assertThat(MAPPER.readTree(set.body()).path("failNextMatching").path("count").asInt()).isEqualTo(2);

        assertThat(connect("9065205", "MAC-0007").statusCode()).isEqualTo(503);
        assertThat(send("GET", TR + "/conns", null, TOKEN).statusCode()).isEqualTo(200);
        assertThat(connect("9065205", "MAC-0007").statusCode()).isEqualTo(503);
        assertThat(connect("9065205", "MAC-0007").statusCode()).isEqualTo(200);
        assertThat(MAPPER.readTree(send("GET", TaniumSimulator.FAULTS_PATH, null, null).body()).path("failNextMatching").isNull()).isTrue();
        assertThat(send("PUT", TaniumSimulator.FAULTS_PATH, "{\"failNextMatching\":{\"path\":\"(\"}}", null).statusCode()).isEqualTo(400);
    }

    @Test
    void everyCallNeedsTheSession() throws Exception {
        assertThat(send("GET", TR + "/conns", null, null).statusCode()).isEqualTo(401);
        assertThat(send("POST", TR + "/conns/connect", "{\"target\":{\"clientId\":\"9065205\"}}", "wrong").statusCode()).isEqualTo(401);
        assertThat(send("GET", "/api/v2/session/current", null, "wrong").statusCode()).isEqualTo(401);
        assertThat(control.connectCount("9065205")).isZero();
    }

    @Test
    void sessionCurrentNamesOurUser() throws Exception {
        HttpResponse<String> reply = send("GET", "/api/v2/session/current", null, TOKEN);

        assertThat(reply.statusCode()).isEqualTo(200);
        JsonNode data = MAPPER.readTree(reply.body()).path("data");
        assertThat(data.path("id").asInt()).isEqualTo(TaniumSimulator.USER_ID).isEqualTo(control.userId());
        assertThat(data.path("name").asText()).isEqualTo("tanium-response-routes");
        assertThat(data.path("domain").asText()).isEqualTo("local");
    }

    @Test
    void unknownPathsAreNotFound() throws Exception {
        for (String path : List.of(TR + "/nothing", TR + "x/conns", "/api/v2/sessionx", "/api/v2/session/login", GatewayHandler.PATH + "/x")) {
            HttpResponse<String> reply = send("GET", path, null, TOKEN);
            assertThat(reply.statusCode()).as(path).isEqualTo(404);
            assertThat(MAPPER.readTree(reply.body()).path("text").asText()).as(path).isNotEmpty();
        }
        assertThat(send("PUT", TR + "/conns", "{}", TOKEN).statusCode()).isEqualTo(405);
    }

    @Test
    void tenThousandConnectionsCostNoThreads() throws Exception {
        control.connectDelay(DELAY);
        int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
        List<String> foreign = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            foreign.add(control.addForeignConnection("c" + i, "host-" + i, 7));
        }
        String ours = connectId("9065205", "MAC-0007");

        awaitStatus(ours, "connected");
        JsonNode list = conns();

        assertThat(list).hasSize(10_001);
        assertThat(byId(list, foreign.get(9_999)).path("status").asText()).isEqualTo("connected");
        assertThat(ManagementFactory.getThreadMXBean().getThreadCount()).isLessThan(threadsBefore + 5);
    }

    // ---- helpers ----

    private HttpResponse<String> connect(String clientId, String hostname) throws Exception {
        String body = "{\"target\":{\"clientId\":\"" + clientId + "\",\"hostname\":\"" + hostname + "\",\"ip\":\"10.0.0.7\",\"platform\":\"Mac\"}}";
        return send("POST", TR + "/conns/connect", body, TOKEN);
    }

    private String connectId(String clientId, String hostname) throws Exception {
        HttpResponse<String> reply = connect(clientId, hostname);
        assertThat(reply.statusCode()).isEqualTo(200);
        return MAPPER.readTree(reply.body()).asText();
    }

    /** Connects (default settings: connected at once) and returns the final id from GET /conns. */
    private String connectedId(String clientId, String hostname) throws Exception {
        return awaitStatus(connectId(clientId, hostname), "connected").path("id").asText();
    }

    /** Polls GET /conns/{initialId} (the initial id keeps naming its connection) until it has {@code status}. */
    private JsonNode awaitStatus(String initialId, String status) {
        return await().atMost(DEADLINE).pollInterval(Duration.ofMillis(20)).until(() -> {
            HttpResponse<String> reply = send("GET", TR + "/conns/" + initialId, null, TOKEN);
            assertThat(reply.statusCode()).isEqualTo(200);
            return MAPPER.readTree(reply.body());
        }, connection -> connection.path("status").asText().equals(status));
    }

    private JsonNode conns() throws Exception {
        HttpResponse<String> reply = send("GET", TR + "/conns", null, TOKEN);
        assertThat(reply.statusCode()).isEqualTo(200);
        JsonNode list = MAPPER.readTree(reply.body());
        assertThat(list.isArray()).as("GET /conns is an unpaged array").isTrue();
        return list;
    }

    private static JsonNode single(JsonNode list) {
        assertThat(list).hasSize(1);
        return list.get(0);
    }

    private static JsonNode byId(JsonNode list, String id) {
        for (JsonNode connection : list) {
            if (connection.path("id").asText().equals(id)) {
                return connection;
            }
        }
        throw new AssertionError("no connection " + id + " in " + list);
    }

    private JsonNode task(int id) throws Exception {
        HttpResponse<String> reply = send("GET", TR + "/tasks/" + id, null, TOKEN);
        assertThat(reply.statusCode()).isEqualTo(200);
        return MAPPER.readTree(reply.body()).path("data");
    }

    private JsonNode snapshots(String query) throws Exception {
        HttpResponse<String> reply = send("GET", TR + "/snapshot" + (query.isEmpty() ? "" : "?" + query), null, TOKEN);
        assertThat(reply.statusCode()).isEqualTo(200);
        return MAPPER.readTree(reply.body());
    }

    private HttpResponse<String> control(String method, String body) throws Exception {
        return send(method, TaniumSimulator.THREAT_RESPONSE_PATH, body, null);
    }

    private HttpResponse<String> send(String method, String path, String body, String session) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(simulator.url() + path)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (session != null) {
            request.header("session", session);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
