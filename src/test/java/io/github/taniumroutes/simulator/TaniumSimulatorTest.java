package io.github.taniumroutes.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The simulator over real HTTP: session check, the Gateway's reply shape, recording, faults set at run time. */
class TaniumSimulatorTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String LOOKUP = "{\"query\":\"query ($v: String) { endpoints(source: {tds: {}}, filter: {path: \\\"name\\\", op: EQ, value: $v}) "
            + "{ edges { node { name id ipAddress os { platform } } } } }\",\"variables\":{\"v\":\"mac-0007\"}}";

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
    void servesTheGatewayShapeForAValidSession() throws Exception {
        HttpResponse<String> reply = post(GatewayHandler.PATH, LOOKUP, "sim-token");

        assertThat(reply.statusCode()).isEqualTo(200);
        JsonNode node = MAPPER.readTree(reply.body()).path("data").path("endpoints").path("edges").get(0).path("node");
        assertThat(node.path("id").asText()).isEqualTo("1005");
        assertThat(node.path("name").asText()).isEqualTo("MAC-0007");
        assertThat(node.path("os").path("platform").asText()).isEqualTo("Mac");
        assertThat(simulator.requests(GatewayHandler.PATH)).singleElement()
                .satisfies(r -> assertThat(r.header("session")).isEqualTo("sim-token"));
    }

    @Test
    void refusesAMissingOrWrongSession() throws Exception {
        assertThat(post(GatewayHandler.PATH, LOOKUP, "wrong").statusCode()).isEqualTo(401);
        assertThat(post(GatewayHandler.PATH, LOOKUP, null).statusCode()).isEqualTo(401);
    }

    @Test
    void faultsCanBeChangedOverHttpWhileRunning() throws Exception {
        HttpResponse<String> set = http.send(HttpRequest.newBuilder(URI.create(simulator.url() + TaniumSimulator.FAULTS_PATH))
                .timeout(Duration.ofSeconds(20))
                .PUT(HttpRequest.BodyPublishers.ofString("{\"failNext\": 1, \"failNextStatus\": 429, \"retryAfterSeconds\": 7}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(MAPPER.readTree(set.body()).path("failNext").asInt()).isEqualTo(1);

        HttpResponse<String> limited = post(GatewayHandler.PATH, LOOKUP, "sim-token");
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).contains("7");
        assertThat(post(GatewayHandler.PATH, LOOKUP, "sim-token").statusCode()).isEqualTo(200);
    }

    @Test
    void aPathFaultFailsOnlyMatchingPaths() throws Exception {
        simulator.faults().failNextMatching("^/plugin/products/gateway/", 1, 503);

        HttpResponse<String> unknown = get("/api/v2/nowhere?limit=1");
        assertThat(unknown.statusCode()).as("not matching: served (an unknown path)").isEqualTo(404);
        assertThat(MAPPER.readTree(unknown.body()).path("text").asText()).isEqualTo("Not Found");
        assertThat(post(GatewayHandler.PATH, LOOKUP, "sim-token").statusCode()).isEqualTo(503);
        assertThat(post(GatewayHandler.PATH, LOOKUP, "sim-token").statusCode()).isEqualTo(200);
        assertThat(simulator.requests("/api/v2/nowhere")).singleElement().satisfies(r -> assertThat(r.query()).isEqualTo("limit=1"));
    }

    @Test
    void aSlowPathIsCarriedOutAtOnceAndAnsweredLate() throws Exception {
        simulator.faults().apply(MAPPER.readTree("{\"slowMatching\": {\"path\": \"^/api/v2/nowhere$\", \"ms\": 1500}}"));

        long started = System.nanoTime();
        HttpResponse<String> slow = get("/api/v2/nowhere");
        long slowMillis = (System.nanoTime() - started) / 1_000_000;
        started = System.nanoTime();
        post(GatewayHandler.PATH, LOOKUP, "sim-token");
        long otherMillis = (System.nanoTime() - started) / 1_000_000;

        assertThat(slow.statusCode()).isEqualTo(404);
        assertThat(slowMillis).as("answered after the delay").isGreaterThanOrEqualTo(1_500);
        assertThat(otherMillis).as("other paths as usual").isLessThan(1_500);
        simulator.faults().clear();
        assertThat(simulator.faults().latencyFor("/api/v2/nowhere")).isZero();
    }

    @Test
    void graphqlErrorsComeBackWithHttp200() throws Exception {
        simulator.faults().graphqlErrorNext(1);

        HttpResponse<String> reply = post(GatewayHandler.PATH, LOOKUP, "sim-token");

        assertThat(reply.statusCode()).isEqualTo(200);
        assertThat(MAPPER.readTree(reply.body()).path("errors").get(0).path("message").asText()).isEqualTo("simulated Gateway failure");
    }

    @Test
    void anUnknownSensorIsAGraphqlErrorWithPartialData() throws Exception {
        String read = "{\"query\":\"{ endpoints(filter: {path: \\\"id\\\", op: EQ, value: \\\"1005\\\"}) { edges { node { id "
                + "s0: sensorReadings(sensors: [{name: \\\"No Such Sensor\\\"}]) { columns { name values } } } } } }\"}";

        JsonNode reply = MAPPER.readTree(post(GatewayHandler.PATH, read, "sim-token").body());

        assertThat(reply.path("errors").get(0).path("message").asText()).isEqualTo("Sensor not found: No Such Sensor");
        assertThat(reply.path("data").path("endpoints").path("edges").get(0).path("node").path("id").asText()).isEqualTo("1005");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(simulator.url() + path)).timeout(Duration.ofSeconds(20))
                .header("session", "sim-token").GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void logsInWithCredentialsAndItsSessionsExpireAsTold() throws Exception {
        simulator.sessions().credentials("svc", "pw").expireAfter(2);
        assertThat(post(Sessions.LOGIN_PATH, "{\"username\":\"svc\",\"password\":\"nope\"}", null).statusCode()).isEqualTo(401);
        HttpResponse<String> login = post(Sessions.LOGIN_PATH, "{\"username\":\"svc\",\"password\":\"pw\"}", null);
        assertThat(login.statusCode()).isEqualTo(200);
        String session = MAPPER.readTree(login.body()).path("data").path("session").asText();

        assertThat(post(GatewayHandler.PATH, LOOKUP, session).statusCode()).isEqualTo(200);
        assertThat(post(GatewayHandler.PATH, LOOKUP, session).statusCode()).isEqualTo(200);
        assertThat(post(GatewayHandler.PATH, LOOKUP, session).statusCode()).as("expired after 2 requests").isEqualTo(401);
        assertThat(simulator.sessions().logins()).isEqualTo(1);

        simulator.sessions().reset().untrustedSource(true);
        assertThat(post(GatewayHandler.PATH, LOOKUP, "sim-token").statusCode()).as("an untrusted source").isEqualTo(401);
        simulator.sessions().reset();
        assertThat(post(GatewayHandler.PATH, LOOKUP, "sim-token").statusCode()).isEqualTo(200);
    }

    @Test
    void aSessionExpiresATimeAfterItsFirstUse() throws Exception {
        simulator.sessions().credentials("svc", "pw").expireAfter(java.time.Duration.ofMillis(300));
        HttpResponse<String> login = post(Sessions.LOGIN_PATH, "{\"username\":\"svc\",\"password\":\"pw\"}", null);
        String session = MAPPER.readTree(login.body()).path("data").path("session").asText();
        long firstUse = System.nanoTime();
        assertThat(post(GatewayHandler.PATH, LOOKUP, session).statusCode()).isEqualTo(200);

        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(5).toNanos();
        int status = 200;
        while (status == 200 && System.nanoTime() < deadline) {
            status = post(GatewayHandler.PATH, LOOKUP, session).statusCode();
        }
        assertThat(status).as("expired after its lifetime").isEqualTo(401);
        assertThat(System.nanoTime() - firstUse).as("not before its lifetime").isGreaterThanOrEqualTo(java.time.Duration.ofMillis(300).toNanos());
        assertThat(post(GatewayHandler.PATH, LOOKUP, session).statusCode()).as("and stays expired").isEqualTo(401);
        simulator.sessions().reset();
    }

    @Test
    void anOutageDropsEveryConnectionUntilItIsOver() throws Exception {
        simulator.faults().outage(true);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> post(GatewayHandler.PATH, LOOKUP, "sim-token"))
                .isInstanceOf(java.io.IOException.class);

        simulator.faults().outage(false);
        assertThat(post(GatewayHandler.PATH, LOOKUP, "sim-token").statusCode()).isEqualTo(200);
    }

    private HttpResponse<String> post(String path, String body, String session) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(simulator.url() + path)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (session != null) {
            request.header("session", session);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
