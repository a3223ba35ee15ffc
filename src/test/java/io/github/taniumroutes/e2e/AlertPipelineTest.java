package io.github.taniumroutes.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.taniumroutes.simulator.GraphQlDocument;
import io.github.taniumroutes.simulator.RecordedRequest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * Alerts of every supported format, plus malformed ones, through the real embedded Kafka broker and
 * the Tanium simulator over HTTP: each valid alert gets its result, each bad one its dead letter.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaAndSimulator.class, restrictToAnnotatedClass = false)
class AlertPipelineTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final String KIOSK = "QA-LAB\\KIOSK \"7\"";

    @io.quarkus.test.common.http.TestHTTPResource("/q/metrics")
    java.net.URI metrics;

    @Test
    void everyAlertGetsItsResultOrDeadLetter() throws Exception {
        MetricsScrape before = MetricsScrape.of(metrics);
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        records.add(fixture("tanium-threat-response.json", Map.of()));
        records.add(fixture("elastic-ecs-nested.json", Map.of()));
        records.add(KafkaTopics.record(KafkaAndSimulator.ALERTS, "k",
                read("elastic-ecs-flattened.json").replace("\"kibana.alert.uuid\": \"", "\"kibana.alert.uuid\": \"flat-")
                        .getBytes(StandardCharsets.UTF_8), Map.of()));
        records.add(fixture("splunk-webhook-notable.json", Map.of()));
        // A SIEM that forwards its own headers: none of them may reach Tanium.
        records.add(canonical("e2e-db", "db-prod-01.corp.example", Map.of(
                "session", "stolen-token", "Host", "evil.example", "X-Forwarded-For", "203.0.113.9",
                "Content-Type", "text/plain", "Authorization", "Bearer nope")));
        records.add(canonical("e2e-kiosk", KIOSK, Map.of()));
        records.add(canonical("e2e-unknown", "NO-SUCH-HOST", Map.of()));
        records.add(canonical("e2e-dup", "LAPTOP-DUP", Map.of()));
        records.add(raw("{\"id\": \"broken\", ", Map.of()));
        records.add(raw("{\"vendor\": \"acme\", \"msg\": \"hello\"}", Map.of()));
        records.add(raw("{\"schemaVersion\": 1, \"id\": \"e2e-nohost\", \"severity\": \"high\"}", Map.of()));
        records.add(raw("{\"schemaVersion\": 1, \"id\": \"e2e-badpid\", \"hostname\": \"WS-0142\", \"process\": {\"pid\": \"twelve\"}}", Map.of()));
        records.add(raw("[1, 2, 3]", Map.of()));
        records.add(raw("{\"schemaVersion\": 1, \"id\": \"e2e-big\", \"hostname\": \"WS-0142\", \"pad\": \"" + "x".repeat(70_000) + "\"}", Map.of()));
        KafkaTopics.produce(KafkaAndSimulator.ALERTS, records);

        Map<String, JsonNode> results = byAlertId(KafkaTopics.readUntil(KafkaAndSimulator.RESULTS, DEADLINE, r -> r.size() >= 8));
        List<ConsumerRecord<byte[], byte[]>> deadLetters = KafkaTopics.readUntil(KafkaAndSimulator.DLQ, DEADLINE, r -> r.size() >= 6);

        assertThat(results).containsOnlyKeys("tanium-threat-response:2",
                "elastic-security:5b0e7a4c3f9d2e18a6b4c0d7e9f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3",
                "elastic-security:flat-5b0e7a4c3f9d2e18a6b4c0d7e9f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3",
                "splunk-notable:5E6DE97D-B137-47AB-8905-8C4F42998937@@notable@@e4f07602f507975e9f7ba47c4ae0c417",
                "e2e-db", "e2e-kiosk", "e2e-unknown", "e2e-dup");

        for (String windowsAlert : List.of("tanium-threat-response:2",
                "elastic-security:5b0e7a4c3f9d2e18a6b4c0d7e9f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3",
                "splunk-notable:5E6DE97D-B137-47AB-8905-8C4F42998937@@notable@@e4f07602f507975e9f7ba47c4ae0c417")) {
            JsonNode result = results.get(windowsAlert);
            assertThat(result.path("outcome").asText()).as(windowsAlert).isEqualTo("enriched");
            assertThat(result.path("endpoint").path("id").asText()).isEqualTo("1003");
            assertThat(result.path("sensors").path("Network Details").path("rows").get(0).path("Remote Address").asText())
                    .isEqualTo("203.0.113.77");
            // Four alerts name WS-0142: whichever needs a lookup or read first makes it, the others share it
            // (0 calls); which one that is depends on batching (SharedEnrichmentTest and BatchedEnrichmentTest count).
            assertThat(result.path("taniumCalls").asInt()).isBetween(0, 2);
        }

        JsonNode db = results.get("e2e-db");
        assertThat(db.path("schemaVersion").asInt()).isEqualTo(1);
        assertThat(db.path("outcome").asText()).isEqualTo("enriched");
        assertThat(db.path("endpoint").path("name").asText()).isEqualTo("db-prod-01.corp.example");
        List<String> processes = new ArrayList<>();
        db.path("sensors").path("Running Processes with Hash").path("rows").forEach(r -> processes.add(r.path("Path").asText()));
        assertThat(processes).containsExactly("/usr/sbin/sshd", "/usr/bin/python3", "/tmp/.x/kworker");
        assertThat(db.path("sensors").path("Logged In Users").path("rows")).hasSize(2);
        assertThat(db.path("taniumCalls").asInt()).isEqualTo(2);
        // The shipped policy (config/policy.yaml): no type, so not the reverse-shell rule; the default enriches.
        assertThat(db.path("decision").path("policyVersion").asText()).startsWith("sha256:");
        assertThat(db.path("decision").path("rule").asText()).isEqualTo("default");
        assertThat(db.path("decision").path("steps").get(0).path("type").asText()).isEqualTo("enrich");

        assertThat(results.get("e2e-kiosk").path("outcome").asText()).isEqualTo("enriched");
        assertThat(results.get("e2e-kiosk").path("endpoint").path("id").asText()).isEqualTo("1020");
        assertThat(results.get("e2e-unknown").path("outcome").asText()).isEqualTo("endpoint_not_found");
        JsonNode dup = results.get("e2e-dup");
        assertThat(dup.path("outcome").asText()).isEqualTo("endpoint_ambiguous");
        assertThat(dup.path("candidates")).hasSize(2);
        assertThat(dup.has("sensors")).isFalse();

        Map<String, ConsumerRecord<byte[], byte[]>> dlqByReason = deadLetters.stream()
                .collect(Collectors.toMap(r -> KafkaTopics.header(r, "dlqReason"), Function.identity(), (a, b) -> a));
        assertThat(dlqByReason).containsOnlyKeys("malformed_json", "unknown_format", "missing_host_identity",
                "wrong_type", "not_an_object", "oversized");
        assertThat(new String(dlqByReason.get("malformed_json").value(), StandardCharsets.UTF_8)).isEqualTo("{\"id\": \"broken\", ");
        assertThat(KafkaTopics.header(dlqByReason.get("missing_host_identity"), "alertId")).isEqualTo("e2e-nohost");
        assertThat(KafkaTopics.header(dlqByReason.get("wrong_type"), "dlqDetail")).contains("process.pid");
        assertThat(KafkaTopics.header(dlqByReason.get("oversized"), "dlqStep")).isEqualTo("intake");
        assertThat(dlqByReason.get("oversized").value()).hasSizeGreaterThan(70_000);

        for (ConsumerRecord<byte[], byte[]> deadLetter : deadLetters) {
            assertThat(headerNames(deadLetter)).isSubsetOf("dlqReason", "dlqDetail", "dlqStep", "alertId", "dlqSourceTopic",
                    "dlqSourcePartition", "dlqSourceOffset", "dlqOriginalBytes", "dlqOriginalSha256", "dlqTruncated");
            assertThat(KafkaTopics.header(deadLetter, "dlqSourceTopic")).isEqualTo(KafkaAndSimulator.ALERTS);
            assertThat(KafkaTopics.header(deadLetter, "dlqTruncated")).isEqualTo("false");
            var headers = MAPPER.createObjectNode();
            deadLetter.headers().forEach(h -> headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8)));
            assertThat(Schemas.violations("dead-letter.schema.json", headers)).isEmpty();
        }
        assertTaniumSawOnlyWhatItShould();
        assertMetricsCountedItAll(before);
    }

    /** The metrics README.md documents ("Metrics"), with what this test's alerts added to them, and nothing that names an alert. */
    private void assertMetricsCountedItAll(MetricsScrape before) {
        // Counted once Kafka acknowledged the batch, which may be a moment after a consumer saw its records.
        MetricsScrape after = org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> MetricsScrape.of(metrics), now -> now.since(before, "alert_dead_letters_total", Map.of()) >= 6
                        && now.since(before, "alert_results_total", Map.of()) >= 8);
        assertThat(after.since(before, "alerts_consumed_total", Map.of("intake", "alerts"))).isEqualTo(14);
        assertThat(after.since(before, "alert_results_total", Map.of("outcome", "enriched", "step", "enrich"))).isEqualTo(6);
        assertThat(after.since(before, "alert_results_total", Map.of("outcome", "endpoint_not_found", "step", "enrich"))).isEqualTo(1);
        assertThat(after.since(before, "alert_results_total", Map.of("outcome", "endpoint_ambiguous", "step", "enrich"))).isEqualTo(1);
        assertThat(after.since(before, "alert_results_total", Map.of())).isEqualTo(8);
        for (String reason : List.of("malformed_json", "unknown_format", "missing_host_identity", "wrong_type", "not_an_object", "oversized")) {
            assertThat(after.since(before, "alert_dead_letters_total", Map.of("reason", reason))).as(reason).isEqualTo(1);
        }
        assertThat(after.since(before, "alert_dead_letters_total", Map.of())).isEqualTo(6);

        // The batch's lookups and live reads, each timed under the route that made it, answered 200.
        double enrichCalls = 0;
        for (String operation : List.of("EndpointLookups", "SensorReadingsOfMany", "EndpointLookup", "SensorReadings")) {
            enrichCalls += after.since(before, "tanium_calls_seconds_count", Map.of("server", "default", "operation", operation, "status", "200"));
        }
        assertThat(enrichCalls).isGreaterThanOrEqualTo(2);
        assertThat(after.since(before, "tanium_calls_seconds_count", Map.of("operation", "other"))).isZero();
        assertThat(after.has("tanium_calls_seconds_bucket", Map.of("server", "default", "operation", "SensorReadingsOfMany", "status", "200", "le", "0.05")))
                .isTrue();
        assertThat(after.sum("tanium_outage", Map.of("server", "default"))).isZero();
        assertThat(after.sum("tanium_session_rejected", Map.of("server", "default"))).isZero();
        for (String step : List.of("snapshot", "file-evidence", "question", "action", "direct-connect", "alert-state", "other")) {
            assertThat(after.has("investigations_in_flight", Map.of("step", step))).as(step).isTrue();
            assertThat(after.has("investigation_polls_total", Map.of("step", step))).as(step).isTrue();
        }
        // Every alert is committed: the group's lag, read from Kafka every second in tests, comes down to 0.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> MetricsScrape.of(metrics), now -> now.has("kafka_consumer_group_lag", Map.of("group", "tanium-response-routes"))
                        && now.sum("kafka_consumer_group_lag", Map.of("group", "tanium-response-routes")) == 0);

        for (String secretOrIdentity : List.of(KafkaAndSimulator.TOKEN, "e2e-db", "e2e-kiosk", "e2e-nohost", "db-prod-01", "WS-0142",
                "LAPTOP-DUP", "NO-SUCH-HOST", "KIOSK", "tanium-threat-response:2", "5E6DE97D")) {
            assertThat(after.text()).as("the scrape names " + secretOrIdentity).doesNotContain(secretOrIdentity);
        }
    }

    private static List<String> headerNames(ConsumerRecord<byte[], byte[]> record) {
        List<String> names = new ArrayList<>();
        record.headers().forEach(h -> names.add(h.key()));
        return names;
    }

    private void assertTaniumSawOnlyWhatItShould() throws Exception {
        List<RecordedRequest> requests = KafkaAndSimulator.simulator.requests("/plugin/products/gateway/graphql");
        assertThat(requests).isNotEmpty();
        for (RecordedRequest request : requests) {
            assertThat(request.header("session")).isEqualTo(KafkaAndSimulator.TOKEN);
            assertThat(request.header("Content-Type")).startsWith("application/json");
            assertThat(request.header("X-Forwarded-For")).isNull();
            assertThat(request.header("Authorization")).isNull();
            assertThat(request.header("Host")).doesNotContain("evil");
        }
        // The database server: looked up by name with the batch's other hosts (values as variables only), and read
        // live by its id with the batch's other endpoints, its own field asking the four sensors.
        List<JsonNode> bodies = new ArrayList<>();
        for (RecordedRequest request : requests) {
            bodies.add(MAPPER.readTree(request.body()));
        }
        List<JsonNode> dbLookups = bodiesMentioning(requests, "db-prod-01.corp.example").stream()
                .filter(b -> b.path("query").asText().contains("tds: {}")).toList();
        assertThat(dbLookups).as("one lookup").hasSize(1);
        JsonNode lookup = dbLookups.get(0);
        assertThat(lookup.path("query").asText()).doesNotContain("db-prod-01.corp.example");
        @SuppressWarnings("unchecked")
        List<Object> filters = (List<Object>) ((Map<?, ?>) GraphQlDocument.fields(lookup.path("query").asText(), lookup.path("variables"), "endpoints")
                .get(0).arguments().get("filter")).get("filters");
        assertThat(filters).contains(Map.of("path", "name", "op", "EQ", "value", "db-prod-01.corp.example"));
        List<JsonNode> dbReads = bodies.stream().filter(b -> b.path("query").asText().contains("sensorReadings")
                && b.path("query").asText().contains("value: \"db-prod-01.corp.example\"")).toList();
        assertThat(dbReads).as("one live read").hasSize(1);
        JsonNode read = dbReads.get(0);
        GraphQlDocument readDocument = GraphQlDocument.parse(read.path("query").asText(), read.path("variables"));
        GraphQlDocument.Field dbField = readDocument.fields("endpoints").stream()
                .filter(field -> field.arguments().get("filter").toString().contains("value=1004")).findFirst().orElseThrow();
        assertThat(dbField.arguments().get("filter")).isEqualTo(Map.of("any", true, "filters", List.of(Map.of("path", "id", "op", "EQ", "value", "1004"))));
        assertThat(read.path("query").asText()).as("the id travels as a variable").doesNotContain("1004");
        List<GraphQlDocument.Field> sensors = readDocument.fieldsWithin(dbField, "sensorReadings");
        assertThat(sensors).extracting(GraphQlDocument.Field::alias).containsExactly("sensor0", "sensor1", "sensor2", "sensor3");
        assertThat(sensors.get(2).arguments().toString())
                .isEqualTo("{sensors=[{name=Network Details, params=[{name=HOSTORIP, value=db-prod-01.corp.example}, {name=HashType, value=SHA256}]}]}");

        // The kiosk's name is written into the query as a literal: escaped, and read back intact.
        JsonNode kioskRead = bodies.stream().filter(b -> b.path("query").asText().contains("sensorReadings")
                && b.path("query").asText().contains("KIOSK")).findFirst().orElseThrow();
        assertThat(kioskRead.path("query").asText()).contains("{name: \"HOSTORIP\", value: \"QA-LAB\\\\KIOSK \\\"7\\\"\"}");
        GraphQlDocument kioskDocument = GraphQlDocument.parse(kioskRead.path("query").asText(), kioskRead.path("variables"));
        GraphQlDocument.Field kioskField = kioskDocument.fields("endpoints").stream()
                .filter(field -> field.arguments().get("filter").toString().contains("value=1020")).findFirst().orElseThrow();
        Object hostOrIp = ((Map<?, ?>) ((List<?>) ((Map<?, ?>) ((List<?>) kioskDocument.fieldsWithin(kioskField, "sensorReadings")
                .get(2).arguments().get("sensors")).get(0)).get("params")).get(0)).get("value");
        assertThat(hostOrIp).isEqualTo(KIOSK);
    }

    private static List<JsonNode> bodiesMentioning(List<RecordedRequest> requests, String text) throws Exception {
        List<JsonNode> bodies = new ArrayList<>();
        for (RecordedRequest request : requests) {
            JsonNode body = MAPPER.readTree(request.body());
            if (body.path("variables").toString().contains(text.replace("\\", "\\\\").replace("\"", "\\\""))
                    || body.path("variables").toString().contains(text)) {
                bodies.add(body);
            }
        }
        return bodies;
    }

    private static Map<String, JsonNode> byAlertId(List<ConsumerRecord<byte[], byte[]>> records) throws Exception {
        Map<String, JsonNode> results = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            JsonNode result = MAPPER.readTree(record.value());
            assertThat(Schemas.violations("result.schema.json", result)).as("result of %s", result.path("alertId")).isEmpty();
            assertThat(KafkaTopics.header(record, "alertId")).isEqualTo(result.path("alertId").asText());
            assertThat(new String(record.key(), StandardCharsets.UTF_8)).isNotBlank();
            // Only our own headers go out: the SIEM's (and the session token) never do.
            assertThat(headerNames(record)).containsExactlyInAnyOrder("alertId", "outcome");
            assertThat(new String(record.value(), StandardCharsets.UTF_8)).doesNotContain(KafkaAndSimulator.TOKEN);
            results.put(result.path("alertId").asText(), result);
        }
        return results;
    }

    private static ProducerRecord<byte[], byte[]> fixture(String name, Map<String, String> headers) throws Exception {
        return KafkaTopics.record(KafkaAndSimulator.ALERTS, name, read(name).getBytes(StandardCharsets.UTF_8), headers);
    }

    private static String read(String fixture) throws Exception {
        return Files.readString(Path.of("src/test/resources/alerts", fixture));
    }

    private static ProducerRecord<byte[], byte[]> canonical(String id, String hostname, Map<String, String> headers) throws Exception {
        String json = MAPPER.createObjectNode().put("schemaVersion", 1).put("id", id).put("source", "e2e")
                .put("severity", "high").put("hostname", hostname).toString();
        return KafkaTopics.record(KafkaAndSimulator.ALERTS, id, json.getBytes(StandardCharsets.UTF_8), headers);
    }

    private static ProducerRecord<byte[], byte[]> raw(String value, Map<String, String> headers) {
        return KafkaTopics.record(KafkaAndSimulator.ALERTS, null, value.getBytes(StandardCharsets.UTF_8), headers);
    }
}
