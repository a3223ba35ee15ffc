package io.github.taniumroutes.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.taniumroutes.simulator.ThreatResponseControl;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Plans of several long steps, through the real broker and the simulator: each step starts after the
 * previous one ended and publishes its own result; a failure stops the plan unless the step says
 * continueOnFailure. The second flow is 'probe', a test-only flow (one YAML file and one bean under
 * src/test) that the engine runs without a line of it changing.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaAndSimulator.class, restrictToAnnotatedClass = false)
@TestProfile(InvestigationPlansTest.Plans.class)
class InvestigationPlansTest {

    static final Duration WITHIN = Duration.ofSeconds(60);
    static final String SESSION_PATH = "/api/v2/session/current";

    public static class Plans implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("policy.file", "src/test/resources/policies/plans.yaml",
                    "camel.main.routes-include-pattern", "file:routes/*.yaml,file:src/test/resources/flows/*.yaml",
                    "probe.hold", "PT1S",
                    "threat-response.connect-deadline", "PT10S",
                    "threat-response.snapshot-deadline", "PT10S");
        }
    }

    private ThreatResponseControl threatResponse;

    @BeforeEach
    void resetSimulator() {
        KafkaAndSimulator.simulator().faults().clear();
        threatResponse = KafkaAndSimulator.simulator().threatResponse().reset();
        threatResponse.connectDelay(Duration.ofMillis(200)).snapshotDuration(Duration.ofMillis(200));
    }

    @Test
    void aSnapshotThenTheTestFlowRunInOrderEachWithItsOwnResult() throws Exception {
        String alertId = "plan-" + UUID.randomUUID();
        int sessionCallsBefore = sessionCalls();
        KafkaTopics.produce(KafkaAndSimulator.ALERTS, List.of(alert(alertId, "1004", null)));

        List<JsonNode> results = stepResults(alertId, 2);

        JsonNode snapshot = results.get(0);
        JsonNode probe = results.get(1);
        assertThat(results).extracting(r -> r.path("step").asText()).containsExactly("snapshot", "probe");
        assertThat(results).extracting(r -> r.path("stepNumber").asInt()).containsExactly(1, 2);
        assertThat(results).extracting(r -> r.path("planSteps").asInt()).containsOnly(2);
        assertThat(results).extracting(r -> r.path("outcome").asText()).containsOnly("completed");
        assertThat(results).extracting(r -> r.path("investigationId").asText()).as("one investigation per alert")
                .containsOnly(snapshot.path("investigationId").asText());
        assertThat(results).extracting(r -> r.path("resultId").asText()).doesNotHaveDuplicates();
        assertThat(Instant.parse(probe.path("timings").path("startedAt").asText()))
                .as("the probe starts only after the snapshot ended")
                .isAfterOrEqualTo(Instant.parse(snapshot.path("timings").path("finishedAt").asText()));
        assertThat(snapshot.path("snapshot").isObject()).isTrue();
        assertThat(Schemas.violations("snapshot-result.schema.json", snapshot)).isEmpty();
        assertThat(Schemas.violations("investigation-result.schema.json", probe)).isEmpty();
        assertThat(probe.path("held").asText()).isEqualTo("PT1S");
        assertThat(probe.path("sessionReplyType").asText()).as("a declared call with reply bytes keeps the reply as bytes")
                .isEqualTo("byte[]");
        assertThat(probe.path("sessionReplyBytes").asInt()).isPositive();
        assertThat(probe.path("polls").path("hold").asInt()).isPositive();
        assertThat(probe.path("taniumCalls").asInt()).as("start and clean-up").isEqualTo(2);
        assertThat(sessionCalls() - sessionCallsBefore).as("the probe's two calls (the session user is known already, or one more)")
                .isBetween(2, 3);
        assertThat(KafkaAndSimulator.simulator().requests("/plugin/products/threat-response/api/v1/conns"))
                .as("a declared GET sends no body").isNotEmpty().allSatisfy(get -> assertThat(get.body()).isNullOrEmpty());
        assertThat(threatResponse.connectCount(KafkaAndSimulator.simulator().computerIdOf("1004"))).isEqualTo(1);
        assertThat(threatResponse.snapshotCount(KafkaAndSimulator.simulator().computerIdOf("1004"))).isEqualTo(1);
    }

    @Test
    void aPlanWhoseFirstStepFailsReportsTheNextAsSkippedAndNeverRunsIt() throws Exception {
        String alertId = "plan-fail-" + UUID.randomUUID();
        KafkaTopics.produce(KafkaAndSimulator.ALERTS, List.of(alert(alertId, "1005", "probe-fails-first")));

        List<JsonNode> results = stepResults(alertId, 2);

        assertThat(results.get(0).path("step").asText()).isEqualTo("probe");
        assertThat(results.get(0).path("outcome").asText()).isEqualTo("probe_failed");
        assertThat(results.get(0).path("reason").asText()).isEqualTo("the rule asked the probe to fail");
        assertThat(results.get(1).path("step").asText()).isEqualTo("snapshot");
        assertThat(results.get(1).path("outcome").asText()).isEqualTo("skipped");
        assertThat(results.get(1).path("reason").asText()).isEqualTo("step 1 (probe) ended probe_failed, and a plan stops at a failed step");
        assertThat(results.get(1).path("timings").has("startedAt")).as("it never started").isFalse();
        assertThat(Schemas.violations("snapshot-result.schema.json", results.get(1))).isEmpty();
        assertThat(threatResponse.connectCount(KafkaAndSimulator.simulator().computerIdOf("1005"))).as("no connection for a skipped snapshot")
                .isZero();
    }

    @Test
    void continueOnFailureRunsTheNextStepAfterAFailedOne() throws Exception {
        String alertId = "plan-goes-on-" + UUID.randomUUID();
        KafkaTopics.produce(KafkaAndSimulator.ALERTS, List.of(alert(alertId, "1010", "probe-fails-and-goes-on")));

        List<JsonNode> results = stepResults(alertId, 2);

        assertThat(results).extracting(r -> r.path("outcome").asText()).containsExactly("probe_failed", "completed");
    }

    /** The step results of the alert, in step order, once {@code count} are on the results topic; never more than one per step. */
    private static List<JsonNode> stepResults(String alertId, int count) {
        List<ConsumerRecord<byte[], byte[]>> read = KafkaTopics.readUntil(KafkaAndSimulator.RESULTS, WITHIN,
                records -> stepRecords(records, alertId).size() >= count);
        List<ConsumerRecord<byte[], byte[]>> records = stepRecords(read, alertId);
        assertThat(records).as("step results of " + alertId).hasSize(count);
        for (ConsumerRecord<byte[], byte[]> record : records) {
            JsonNode result = Investigations.json(record.value());
            assertThat(KafkaTopics.header(record, "step")).isEqualTo(result.path("step").asText());
            assertThat(KafkaTopics.header(record, "outcome")).isEqualTo(result.path("outcome").asText());
            assertThat(new String(record.key(), StandardCharsets.UTF_8)).as("keyed by endpoint").isEqualTo(result.path("endpoint").path("id").asText());
        }
        return records.stream().map(r -> Investigations.json(r.value())).toList();
    }

    private static List<ConsumerRecord<byte[], byte[]>> stepRecords(List<ConsumerRecord<byte[], byte[]>> records, String alertId) {
        return records.stream().filter(r -> alertId.equals(KafkaTopics.header(r, "alertId")) && KafkaTopics.header(r, "step") != null).toList();
    }

    private static int sessionCalls() {
        return KafkaAndSimulator.simulator().requests(SESSION_PATH).size();
    }

    private static ProducerRecord<byte[], byte[]> alert(String alertId, String endpointId, String rule) {
        var alert = Investigations.MAPPER.createObjectNode().put("schemaVersion", 1).put("id", alertId).put("taniumEndpointId", endpointId);
        if (rule != null) {
            alert.put("rule", rule);
        }
        return KafkaTopics.record(KafkaAndSimulator.ALERTS, endpointId, alert.toString().getBytes(StandardCharsets.UTF_8), Map.of());
    }
}
