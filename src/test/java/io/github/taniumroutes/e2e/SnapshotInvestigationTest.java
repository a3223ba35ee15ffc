package io.github.taniumroutes.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.taniumroutes.investigation.InvestigationCapacity;
import io.github.taniumroutes.investigation.InvestigationRegistry;
import io.github.taniumroutes.simulator.ThreatResponseControl;
import io.github.taniumroutes.simulator.ThreatResponseControl.ConnectOutcome;
import io.github.taniumroutes.simulator.ThreatResponseControl.TaskOutcome;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;

/**
 * The first durable flow end to end, through the real broker and the simulator over HTTP: an alert
 * whose policy plans a snapshot gets a live connection, a Recorder snapshot and its result; every
 * way it can fail ends with a clear outcome, and the connection is always given back.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaAndSimulator.class, restrictToAnnotatedClass = false)
@TestProfile(SnapshotInvestigationTest.SnapshotEveryAlert.class)
class SnapshotInvestigationTest {

    static final Duration WITHIN = Duration.ofSeconds(60);

    /** Every alert gets a snapshot; deadlines of seconds, so expiry can be seen. */
    public static class SnapshotEveryAlert implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.ofEntries(Map.entry("policy.file", "src/test/resources/policies/snapshot-all.yaml"),
                    Map.entry("threat-response.connect-deadline", "PT3S"),
                    Map.entry("threat-response.snapshot-deadline", "PT3S"),
                    // A small bound, one request per batch: back-pressure can be seen exactly.
                    Map.entry("investigations.max-in-flight", "4"),
                    Map.entry("investigations.resume-below", "2"),
                    Map.entry("investigations.batch.max-records", "1"),
                    // Finished investigations are tombstoned at once, so the test can see it.
                    Map.entry("investigations.tombstone-after", "PT0S"),
                    Map.entry("investigations.tombstone-interval-ms", "300"));
        }
    }

    private ThreatResponseControl threatResponse;

    @Inject
    InvestigationRegistry investigations;
    @Inject
    InvestigationCapacity capacity;
    @Inject
    org.apache.camel.ProducerTemplate producer;

    @BeforeEach
    void resetSimulator() {
        KafkaAndSimulator.simulator().faults().clear();
        threatResponse = KafkaAndSimulator.simulator().threatResponse().reset();
    }

    @Test
    void anAlertGetsALiveConnectionASnapshotAndItsResultAndTheConnectionIsClosed() throws Exception {
        threatResponse.connectDelay(Duration.ofMillis(300)).snapshotDuration(Duration.ofMillis(300));
        // An analyst's live connection to the same endpoint: not ours to use or close.
        String analysts = threatResponse.addForeignConnection(cid("1003"), "WS-0142", 7);
        String alertId = "snap-" + UUID.randomUUID();

        JsonNode result;
        List<CapturedLog.Line> logged;
        try (CapturedLog log = CapturedLog.open()) {
            KafkaTopics.produce(KafkaAndSimulator.ALERTS, List.of(Investigations.alertFor(alertId, "1003")));
            result = Investigations.snapshotResults(Set.of(alertId), WITHIN).get(alertId);
            logged = log.lines();
        }

        assertThat(result).as("snapshot result").isNotNull();
        assertThat(result.path("outcome").asText()).isEqualTo("completed");
        assertThat(result.path("endpoint").path("id").asText()).as("the Gateway id keys the result").isEqualTo("1003");
        assertThat(result.path("endpoint").path("computerId").asText()).as("Threat Response's clientId").isEqualTo(cid("1003"))
                .isNotEqualTo("1003");
        ThreatResponseControl.Connection connection = threatResponse.connections().stream()
                .filter(c -> c.clientId().equals(cid("1003")) && c.userId() == threatResponse.userId()).findFirst().orElseThrow();
        assertThat(threatResponse.connections()).filteredOn(c -> c.id().equals(analysts)).singleElement()
                .satisfies(c -> assertThat(c.status()).as("the analyst's connection is left alone").isEqualTo("connected"));
        assertThat(result.path("connectionId").asText()).as("the final id, not the one connect returned")
                .isEqualTo(connection.id()).isNotEqualTo(connection.initialId());
        assertThat(result.path("snapshotTaskId").asText()).isNotBlank();
        assertThat(result.path("snapshot").isObject()).as("what the task reported").isTrue();
        assertThat(result.path("polls").path("connection").asInt()).isPositive();
        assertThat(result.path("polls").path("task").asInt()).isPositive();
        assertThat(result.path("taniumCalls").asInt()).isGreaterThanOrEqualTo(4);
        assertThat(result.path("resultId").asText()).isNotBlank();
        assertThat(Schemas.violations("snapshot-result.schema.json", result)).isEmpty();
        assertThat(threatResponse.connectCount(cid("1003"))).isEqualTo(1);
        assertThat(KafkaAndSimulator.simulator().requests("/plugin/products/threat-response/api/v1/conns/connect")).last()
                .satisfies(connect -> assertThat(Investigations.json(connect.body().getBytes(java.nio.charset.StandardCharsets.UTF_8))
                        .path("target").path("clientId").asText()).as("connect names the computer id").isEqualTo(cid("1003")));
        assertThat(threatResponse.snapshotCount(cid("1003"))).isEqualTo(1);
        assertThat(closed(cid("1003"), 1)).as("the connection is closed").isTrue();

        // Its log lines name the alert, the investigation, the step and the route in their MDC (JSON logs show them).
        String ownId = result.path("investigationId").asText();
        assertThat(logged).filteredOn(line -> line.message() != null && line.message().contains(ownId)).as("lines naming the investigation")
                .isNotEmpty().allSatisfy(line -> assertThat(line.mdc()).as(line.toString()).containsEntry("investigationId", ownId));
        assertThat(logged).filteredOn(line -> line.message() != null && line.message().contains("result out"))
                .filteredOn(line -> line.message().contains(ownId)).singleElement()
                .satisfies(line -> assertThat(line.mdc()).containsEntry("alertId", alertId).containsEntry("investigationId", ownId)
                        .containsEntry("step", "snapshot").containsEntry("camel.routeId", "investigation-result"));

        JsonNode journal = lastJournalRecord(result.path("investigationId").asText());
        assertThat(journal.path("phase").asText()).isEqualTo("done");
        JsonNode step = journal.path("steps").path(0);
        assertThat(step.path("state").path("connectionId").asText()).isEqualTo(connection.id());
        assertThat(step.path("state").path("snapshotTaskId").asText()).isEqualTo(result.path("snapshotTaskId").asText());
        assertThat(step.has("snapshot") || step.path("state").has("snapshot")).as("the snapshot itself is not journaled").isFalse();
        assertThat(journal.path("sessions").isEmpty()).as("the connection was given back").isTrue();
        String investigationId = result.path("investigationId").asText();
        List<ConsumerRecord<byte[], byte[]>> state = KafkaTopics.readUntil(KafkaAndSimulator.INVESTIGATION_STATE, WITHIN,
                read -> tombstoned(read, investigationId));
        assertThat(tombstoned(state, investigationId)).as("a tombstone follows the finished investigation's record").isTrue();
    }

    private static boolean tombstoned(List<ConsumerRecord<byte[], byte[]>> records, String investigationId) {
        return records.stream().anyMatch(r -> r.key() != null && new String(r.key()).equals(investigationId) && r.value() == null);
    }

    @Test
    void investigationsOnOneEndpointShareOneConnectionClosedByTheLast() throws Exception {
        threatResponse.connectDelay(Duration.ofMillis(800)).snapshotDuration(Duration.ofMillis(200));
        String first = "share-" + UUID.randomUUID();
        String second = "share-" + UUID.randomUUID();

        KafkaTopics.produce(KafkaAndSimulator.ALERTS, List.of(Investigations.alertFor(first, "1005"),
                Investigations.alertFor(second, "1005")));
        Map<String, JsonNode> results = Investigations.snapshotResults(Set.of(first, second), WITHIN);

        assertThat(results.values()).extracting(r -> r.path("outcome").asText()).containsOnly("completed");
        assertThat(results.get(first).path("connectionId").asText()).isEqualTo(results.get(second).path("connectionId").asText());
        assertThat(threatResponse.connectCount(cid("1005"))).as("one connection for the endpoint").isEqualTo(1);
        assertThat(threatResponse.snapshotCount(cid("1005"))).as("one snapshot per alert").isEqualTo(2);
        assertThat(closed(cid("1005"), 1)).isTrue();
        assertThat(threatResponse.closeCount(cid("1005"))).as("closed once, by the last user").isEqualTo(1);
    }

    @Test
    void aConnectionThatNeverComesUpExpiresAndIsClosed() throws Exception {
        threatResponse.connectOutcome(ConnectOutcome.NEVER);
        JsonNode result = resultFor("1004");

        assertThat(result.path("outcome").asText()).isEqualTo("expired");
        assertThat(result.path("reason").asText()).contains("no live connection");
        assertThat(threatResponse.snapshotCount(cid("1004"))).isZero();
        assertThat(closed(cid("1004"), 1)).isTrue();
    }

    @Test
    void taniumsConnectionTimeoutEndsTheInvestigation() throws Exception {
        threatResponse.connectDelay(Duration.ofMillis(200)).connectOutcome(ConnectOutcome.TIMEOUT);
        JsonNode result = resultFor("1020");

        assertThat(result.path("outcome").asText()).isEqualTo("connection_timeout");
        assertThat(closed(cid("1020"), 1)).isTrue();
    }

    @Test
    void aFailedSnapshotTaskEndsTheInvestigationAndTheConnectionIsClosed() throws Exception {
        threatResponse.snapshotDuration(Duration.ofMillis(200)).taskOutcome(TaskOutcome.FAILED);
        JsonNode result = resultFor("1010");

        assertThat(result.path("outcome").asText()).isEqualTo("snapshot_failed");
        assertThat(result.path("snapshotTaskId").asText()).isNotBlank();
        assertThat(closed(cid("1010"), 1)).isTrue();
    }

    @Test
    void aSnapshotThatOutlivesItsDeadlineExpires() throws Exception {
        threatResponse.snapshotDuration(Duration.ofSeconds(30));
        JsonNode result = resultFor("1011");

        assertThat(result.path("outcome").asText()).isEqualTo("expired");
        assertThat(result.path("reason").asText()).contains("snapshot task");
        assertThat(closed(cid("1011"), 1)).isTrue();
    }

    @Test
    void taniumFailingMidFlowIsWaitedOutUntilTheDeadlineAndTheConnectionIsClosed() throws Exception {
        KafkaAndSimulator.simulator().faults().failNextMatching("/snapshot$", 1000, 503);
        JsonNode result = resultFor("1003");

        assertThat(result.path("outcome").asText()).as("waited, not failed at once").isEqualTo("expired");
        assertThat(result.path("reason").asText()).isEqualTo("Tanium did not answer before the deadline: HTTP 503 from Tanium");
        assertThat(result.path("reason").asText()).doesNotContain(KafkaAndSimulator.TOKEN);
        assertThat(threatResponse.connectCount(cid("1003"))).isEqualTo(1);
        assertThat(closed(cid("1003"), 1)).isTrue();
    }

    @Test
    void aTaniumThatFailsForAWhileMidFlowIsWaitedOutAndTheSnapshotIsTakenOnce() throws Exception {
        // Four attempts of the first try fail (the first and three retries), and one of the next.
        KafkaAndSimulator.simulator().faults().failNextMatching("/snapshot$", 5, 503);
        JsonNode result = resultFor("1004");

        assertThat(result.path("outcome").asText()).isEqualTo("completed");
        assertThat(threatResponse.snapshotCount(cid("1004"))).as("one snapshot").isEqualTo(1);
        assertThat(threatResponse.connectCount(cid("1004"))).isEqualTo(1);
        assertThat(closed(cid("1004"), 1)).isTrue();
    }

    @Test
    void atTheBoundNewRequestsWaitUntilBelowTheLowWaterMarkAndAllComplete() throws Exception {
        threatResponse.connectDelay(Duration.ofMillis(1500)).snapshotDuration(Duration.ofMillis(100));
        List<String> endpoints = List.of("1003", "1004", "1005", "1010", "1011", "1020");
        Set<String> alertIds = new java.util.TreeSet<>();
        List<org.apache.kafka.clients.producer.ProducerRecord<byte[], byte[]>> alerts = new java.util.ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String id = "pressure-" + i + "-" + UUID.randomUUID();
            alertIds.add(id);
            alerts.add(Investigations.alertFor(id, endpoints.get(i % endpoints.size())));
        }
        KafkaTopics.produce(KafkaAndSimulator.ALERTS, alerts);

        int maxInFlight = 0;
        boolean suspended = false;
        java.time.Instant deadline = java.time.Instant.now().plus(WITHIN);
        while (java.time.Instant.now().isBefore(deadline) && !(suspended && investigations.inFlight() == 0 && !capacity.isSuspended())) {
            maxInFlight = Math.max(maxInFlight, investigations.inFlight());
            suspended |= capacity.isSuspended();
            Thread.sleep(20);
        }
        Map<String, JsonNode> results = Investigations.snapshotResults(alertIds, WITHIN);

        assertThat(suspended).as("the request consumer was suspended at the bound").isTrue();
        assertThat(capacity.isSuspended()).as("and resumed below the low-water mark").isFalse();
        assertThat(maxInFlight).as("in flight, at most the bound plus one batch of one").isLessThanOrEqualTo(5);
        assertThat(results.keySet()).containsAll(alertIds);
        assertThat(results.values()).extracting(r -> r.path("outcome").asText()).containsOnly("completed");
    }

    @Test
    void anEndpointTheGatewayGaveNoComputerIdForIsNotConnectedToAndTheDecisionSaysWhy() {
        var snapshot = new io.github.taniumroutes.policy.Decision.PlannedStep("snapshot", Map.of(), false, null, "planned", null);
        var decision = new io.github.taniumroutes.policy.Decision("v1", "snapshot-all", "default", false, List.of(snapshot));
        var exchange = producer.getCamelContext().getEndpoint("direct:dispatch-steps").createExchange();
        exchange.setVariable("outcome", "enriched");
        exchange.setVariable("endpoint", new io.github.taniumroutes.tanium.TaniumEndpoint("1003", "WS-0142", "10.20.30.41", "Windows"));
        exchange.setVariable("decision", decision);
        exchange.setVariable("taniumServer", "default");
        exchange.setVariable("alert", new io.github.taniumroutes.alert.CanonicalAlert("no-cid-1", "canonical", "canonical", null,
                "high", null, null, "WS-0142", null, null, null, null, null, null));

        var done = producer.send("direct:dispatch-steps", exchange);

        assertThat(done.getException()).isNull();
        assertThat(done.getVariable("investigationRequest")).as("no request without a computer id").isNull();
        var planned = done.getVariable("decision", io.github.taniumroutes.policy.Decision.class).steps().get(0);
        assertThat(planned.status()).isEqualTo("skipped");
        assertThat(planned.why()).contains("computerID");
    }

    /** The computer id (Threat Response's clientId) of a Gateway endpoint id: the simulator's inventory gives them different values. */
    private static String cid(String endpointId) {
        return KafkaAndSimulator.simulator().computerIdOf(endpointId);
    }

    private static JsonNode resultFor(String endpointId) throws Exception {
        String alertId = "inv-" + endpointId + "-" + UUID.randomUUID();
        KafkaTopics.produce(KafkaAndSimulator.ALERTS, List.of(Investigations.alertFor(alertId, endpointId)));
        JsonNode result = Investigations.snapshotResults(Set.of(alertId), WITHIN).get(alertId);
        assertThat(result).as("snapshot result for " + alertId).isNotNull();
        assertThat(Schemas.violations("snapshot-result.schema.json", result)).isEmpty();
        return result;
    }

    /** The connection is released before the result is published, so by now ours must be closed. */
    private boolean closed(String clientId, int closes) {
        return threatResponse.closeCount(clientId) == closes && threatResponse.connections().stream()
                .filter(c -> c.clientId().equals(clientId) && c.userId() == threatResponse.userId())
                .noneMatch(c -> "connected".equals(c.status()) || "waiting".equals(c.status()));
    }

    private static JsonNode lastJournalRecord(String investigationId) {
        List<ConsumerRecord<byte[], byte[]>> read = KafkaTopics.readUntil(KafkaAndSimulator.INVESTIGATION_STATE, WITHIN,
                records -> records.stream().anyMatch(r -> r.key() != null && new String(r.key()).equals(investigationId)
                        && r.value() != null && Investigations.json(r.value()).path("phase").asText().equals("done")));
        return read.stream().filter(r -> r.key() != null && new String(r.key()).equals(investigationId) && r.value() != null)
                .map(r -> Investigations.json(r.value())).reduce((a, b) -> b).orElseThrow();
    }
}
