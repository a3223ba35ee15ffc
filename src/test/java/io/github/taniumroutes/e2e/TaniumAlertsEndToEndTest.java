package io.github.taniumroutes.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.camel.CamelContext;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.taniumroutes.simulator.ThreatResponseAlerts;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;

/**
 * Tanium's own alerts in and out, through the real broker and the simulator: Tanium Connect posting to
 * the HTTP destination (with and without the secret, an array, JSON lines, a malformed body, a body too
 * large), the Threat Response alert poller taking each new alert once, also across a restart of the
 * poller, and an alert's state written back around a live action, once per state.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaAndSimulator.class, restrictToAnnotatedClass = false)
@TestProfile(TaniumAlertsEndToEndTest.TaniumAlerts.class)
class TaniumAlertsEndToEndTest {

    static final Duration WITHIN = Duration.ofSeconds(60);
    static final String SECRET = "connect-s3cret-do-not-leak";
    static final String HEADER = "X-Tanium-Connect-Secret";

    public static class TaniumAlerts implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.ofEntries(Map.entry("policy.file", "src/test/resources/policies/tanium-alerts.yaml"),
                    Map.entry("policy.mode", "live"),
                    Map.entry("policy.kill-switch-file", "target/tanium-alerts-e2e/KILL_SWITCH"),
                    Map.entry("tanium.servers.default.action-group", "All Computers"),
                    Map.entry("connect.enabled", "true"),
                    Map.entry("connect.shared-secret", SECRET),
                    Map.entry("connect.max-bytes", "20000"),
                    Map.entry("threat-response.alerts.poll", "true"),
                    Map.entry("threat-response.alerts.poll-interval-ms", "200"),
                    Map.entry("threat-response.alerts.state-topic", KafkaAndSimulator.ALERT_POLLER_STATE),
                    Map.entry("threat-response.alerts.start", "earliest"));
        }
    }

    @TestHTTPResource("/connect/alerts")
    URL connect;
    @Inject
    CamelContext camel;

    private final HttpClient http = HttpClient.newHttpClient();
    private ThreatResponseAlerts alerts;

    @BeforeEach
    void resetSimulator() {
        KafkaAndSimulator.simulator().faults().clear();
        KafkaAndSimulator.simulator().platform().reset().actionDuration(Duration.ofMillis(200));
        alerts = KafkaAndSimulator.simulator().threatResponseAlerts();
    }

    @Test
    void connectIsRefusedWithoutTheSecretAndNothingIsProduced() throws Exception {
        String marker = "no-secret-" + UUID.randomUUID();
        String row = "[{\"Computer Name\":\"WS-0142\",\"Marker\":\"" + marker + "\"}]";

        HttpResponse<String> none = post(row, null);
        HttpResponse<String> wrong = post(row, "wrong-" + SECRET);

        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).doesNotContain(SECRET).contains(HEADER);
        String accepted = "after-" + UUID.randomUUID();
        assertThat(post("[{\"Computer Name\":\"WS-0142\",\"Marker\":\"" + accepted + "\"}]", SECRET).statusCode()).isEqualTo(200);
        List<ConsumerRecord<byte[], byte[]>> read = KafkaTopics.readUntil(KafkaAndSimulator.ALERTS, WITHIN, r -> containing(r, accepted).size() == 1);
        assertThat(containing(read, marker)).as("the refused posts produced nothing").isEmpty();
    }

    @Test
    void connectsArrayAndJsonLinesBecomeAlertsThatAreEnrichedWithNoHeaderOfThePost() throws Exception {
        String marker = "connect-" + UUID.randomUUID();
        String array = "[{\"Computer Name\":\"WS-0142\",\"IP Address\":\"10.20.30.41\",\"Marker\":\"" + marker + "-1\"},"
                + "{\"Computer Name\":\"MAC-0007\",\"Marker\":\"" + marker + "-2\"}]";
        String lines = "{\"Computer Name\":\"db-prod-01.corp.example\",\"Marker\":\"" + marker + "-3\"}\n"
                + "{\"Computer Name\":\"WS-0142\",\"Marker\":\"" + marker + "-4\"}\n";

        HttpResponse<String> first = post(array, SECRET);
        HttpResponse<String> second = post(lines, SECRET);

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(Investigations.json(first.body().getBytes(StandardCharsets.UTF_8)).path("accepted").asInt()).isEqualTo(2);
        assertThat(second.statusCode()).isEqualTo(200);
        List<ConsumerRecord<byte[], byte[]>> produced = containing(KafkaTopics.readUntil(KafkaAndSimulator.ALERTS, WITHIN,
                r -> containing(r, marker).size() == 4), marker);
        assertThat(produced).hasSize(4);
        assertThat(produced).extracting(r -> new String(r.key(), StandardCharsets.UTF_8))
                .containsExactlyInAnyOrder("WS-0142", "MAC-0007", "db-prod-01.corp.example", "WS-0142");
        assertThat(produced).allSatisfy(r -> {
            assertThat(r.headers().lastHeader(HEADER)).as("the post's headers stay out of Kafka").isNull();
            assertThat(new String(r.value(), StandardCharsets.UTF_8)).doesNotContain(SECRET);
        });
        List<ConsumerRecord<byte[], byte[]>> results = containing(KafkaTopics.readUntil(KafkaAndSimulator.RESULTS, WITHIN,
                r -> containing(r, marker).size() >= 4), marker);
        assertThat(results).extracting(r -> Investigations.json(r.value()).path("outcome").asText()).containsOnly("enriched");
        assertThat(results).extracting(r -> Investigations.json(r.value()).path("alert").path("format").asText())
                .containsOnly("tanium-connect-row");
    }

    @Test
    void aMalformedOrOversizedPostIsRefusedWholeWithTheReason() throws Exception {
        String marker = "malformed-" + UUID.randomUUID();
        HttpResponse<String> broken = post("[{\"Computer Name\":\"WS-0142\",\"Marker\":\"" + marker + "\"}, {\"Computer Name\": ", SECRET);
        HttpResponse<String> notObjects = post("[{\"Computer Name\":\"WS-0142\",\"Marker\":\"" + marker + "\"}, 42]", SECRET);
        HttpResponse<String> tooLarge = post("[{\"Computer Name\":\"WS-0142\",\"Marker\":\"" + marker + "\",\"Pad\":\"" + "x".repeat(30_000) + "\"}]",
                SECRET);

        assertThat(broken.statusCode()).isEqualTo(400);
        assertThat(broken.body()).contains("not valid JSON");
        assertThat(notObjects.statusCode()).isEqualTo(400);
        assertThat(notObjects.body()).contains("event 2 is not a JSON object");
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(tooLarge.body()).contains("connect.max-bytes");
        String after = "after-" + UUID.randomUUID();
        assertThat(post("[{\"Computer Name\":\"WS-0142\",\"Marker\":\"" + after + "\"}]", SECRET).statusCode()).isEqualTo(200);
        List<ConsumerRecord<byte[], byte[]>> read = KafkaTopics.readUntil(KafkaAndSimulator.ALERTS, WITHIN, r -> containing(r, after).size() == 1);
        assertThat(containing(read, marker)).as("nothing of a refused post").isEmpty();
    }

    @Test
    void thePollerTakesEachNewAlertOnceAcrossARestartAndItsStateIsWrittenBackAroundTheAction() throws Exception {
        long plain = alerts.raise(KafkaAndSimulator.simulator().endpoint("1005"), "Plain detection " + UUID.randomUUID(), "low");
        long handled = alerts.raise(KafkaAndSimulator.simulator().endpoint("1003"), "Write back", "high");

        JsonNode resolvedAction = Investigations.stepResult("tanium-threat-response:" + handled, "action", WITHIN);
        assertThat(resolvedAction.path("outcome").asText()).isEqualTo("completed");
        List<JsonNode> states = Investigations.stepResults("tanium-threat-response:" + handled, "alert-state", 2, WITHIN);
        assertThat(states).extracting(r -> r.path("outcome").asText()).containsExactly("completed", "completed");
        assertThat(states).extracting(r -> r.path("alertState").asText()).containsExactly("inprogress", "resolved");
        assertThat(Schemas.violations("alert-state-result.schema.json", states.get(1))).isEmpty();
        assertThat(alerts.state(handled)).isEqualTo("resolved");
        assertThat(alerts.stateChanges(handled)).as("once per state").isEqualTo(2);
        assertThat(alerts.stateChanges(plain)).as("the default rule writes nothing back").isZero();
        List<ConsumerRecord<byte[], byte[]>> audit = KafkaTopics.readUntil(KafkaAndSimulator.AUDIT, WITHIN,
                r -> r.stream().filter(a -> ("tanium-threat-response:" + handled).equals(KafkaTopics.header(a, "alertId"))).count() >= 4);
        assertThat(audit.stream().filter(a -> ("tanium-threat-response:" + handled).equals(KafkaTopics.header(a, "alertId")))
                .map(a -> Investigations.json(a.value())).filter(a -> "alert-state".equals(a.path("step").asText())))
                .extracting(a -> a.path("state").asText()).contains("inprogress", "resolved");

        // The poller stops (its partition revoked) and starts again (assigned, its marks read back): nothing is taken twice.
        camel.getRouteController().stopRoute("threat-response-alert-poller-lease");
        camel.getRouteController().startRoute("threat-response-alert-poller-lease");
        long later = alerts.raise(KafkaAndSimulator.simulator().endpoint("1004"), "Later detection " + UUID.randomUUID(), "low");
        List<ConsumerRecord<byte[], byte[]>> taken = KafkaTopics.readUntil(KafkaAndSimulator.ALERTS, WITHIN,
                r -> alertsWithId(r, later) == 1);
        assertThat(alertsWithId(taken, later)).isEqualTo(1);
        assertThat(alertsWithId(taken, plain)).as("taken once").isEqualTo(1);
        assertThat(alertsWithId(taken, handled)).as("taken once").isEqualTo(1);
    }

    // ---- helpers ----

    private HttpResponse<String> post(String body, String secret) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(connect.toString())).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (secret != null) {
            request.header(HEADER, secret);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<ConsumerRecord<byte[], byte[]>> containing(List<ConsumerRecord<byte[], byte[]>> records, String marker) {
        return records.stream().filter(r -> r.value() != null && new String(r.value(), StandardCharsets.UTF_8).contains(marker)).toList();
    }

    /** How often Threat Response alert {@code id} is on the alerts topic. */
    private static long alertsWithId(List<ConsumerRecord<byte[], byte[]>> records, long id) {
        return records.stream().filter(r -> r.value() != null).map(r -> Investigations.json(r.value()))
                .filter(a -> a.path("intelDocId").isNumber() && a.path("id").asLong() == id && a.has("computerName")).count();
    }

}
