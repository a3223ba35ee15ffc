package io.github.taniumroutes.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;


import io.github.taniumroutes.tanium.IntakePause;
import io.github.taniumroutes.tanium.TaniumOutages;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;

/**
 * One of two Tanium servers goes down in the middle of a load, through the real broker and the
 * simulators: the alerts for it are not failed but wait — parked on its held topic, whose intake is
 * paused with nothing committed past what was published — while the alerts for the other server are
 * still enriched; once the server answers the probe again its alerts are read again and enriched.
 * Every alert gets one enriched result; none ends tanium_error because of the outage.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaAndSimulator.class, restrictToAnnotatedClass = false)
@TestProfile(OutageEndToEndTest.TwoServers.class)
class OutageEndToEndTest {

    static final Duration WITHIN = Duration.ofSeconds(90);

    /** Alerts of rule "second-site" go to server "selfsigned" (its own simulator), the others to "default". */
    public static class TwoServers implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("policy.file", "src/test/resources/policies/two-servers.yaml");
        }
    }

    @Inject
    TaniumOutages outages;
    @Inject
    IntakePause intake;

    @AfterEach
    void serverBack() {
        KafkaAndSimulator.simulator().faults().clear();
    }

    @Test
    void alertsThatMeetAnOutageWaitForTheirServerWhileTheOtherServersAlertsFlow() throws Exception {
        KafkaAndSimulator.simulator().faults().clear();
        String run = UUID.randomUUID().toString().substring(0, 8);
        assertThat(outcomes(produce(run + "-before", 20, null)).values()).containsOnly("enriched");

        KafkaAndSimulator.simulator().faults().outage(true);
        List<String> during = produce(run + "-during", 40, null);
        awaitCondition("the server's circuit is open and its held alerts' intake paused",
                () -> outages.isOpen("default") && intake.isPaused("default"));
        List<String> otherServer = produce(run + "-other", 20, "second-site");
        assertThat(outcomes(otherServer).values()).as("the other server's alerts are enriched meanwhile").containsOnly("enriched");
        assertThat(outages.isOpen("default")).as("still down while they were").isTrue();
        assertThat(outcomes(read(Duration.ofMillis(500)), during)).as("nothing for the server that is down failed meanwhile").isEmpty();
        assertThat(outages.isOpen("selfsigned")).isFalse();
        assertThat(intake.isPaused("selfsigned")).isFalse();

        KafkaAndSimulator.simulator().faults().outage(false);
        Map<String, String> after = outcomes(during);

        assertThat(after.values()).as("none ends tanium_error because of the outage").containsOnly("enriched");
        awaitCondition("its held alerts' intake resumed", () -> !intake.isPaused("default") && outages.open().isEmpty());
        Map<String, Integer> resultsPerAlert = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : read(Duration.ofSeconds(1))) {
            String alertId = KafkaTopics.header(record, "alertId");
            if ((during.contains(alertId) || otherServer.contains(alertId)) && KafkaTopics.header(record, "step") == null) {
                resultsPerAlert.merge(alertId, 1, Integer::sum);
            }
        }
        assertThat(resultsPerAlert).as("one result per alert").hasSize(during.size() + otherServer.size());
        assertThat(resultsPerAlert.values()).as("one result per alert").containsOnly(1);
        List<ConsumerRecord<byte[], byte[]>> parked = KafkaTopics.readUntil("alerts.held.default", Duration.ofSeconds(1), records -> false);
        assertThat(parked).as("the alerts that waited were parked on the server's held topic")
                .anySatisfy(record -> assertThat(during).contains(KafkaTopics.header(record, "alertId")));
        assertThat(parked).allSatisfy(record -> {
            assertThat(otherServer).doesNotContain(KafkaTopics.header(record, "alertId"));
            assertThat(KafkaTopics.header(record, "taniumServer")).isEqualTo("default");
            assertThat(KafkaTopics.header(record, "heldFrom")).as("where it was read from").matches("alerts(\\.held\\.default)?-\\d+@\\d+");
        });
    }

    private static void awaitCondition(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WITHIN.toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(condition.getAsBoolean()).as(what).isTrue();
    }

    private static List<String> produce(String prefix, int count, String rule) throws Exception {
        List<String> ids = new ArrayList<>();
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        String[] endpoints = {"1003", "1004", "1005", "1010"};
        for (int i = 0; i < count; i++) {
            String id = "outage-" + prefix + "-" + i;
            ids.add(id);
            records.add(rule == null ? Investigations.alertFor(id, endpoints[i % endpoints.length])
                    : Investigations.alertFor(id, endpoints[i % endpoints.length], rule));
        }
        KafkaTopics.produce(KafkaAndSimulator.ALERTS, records);
        return ids;
    }

    private static List<ConsumerRecord<byte[], byte[]>> read(Duration within) {
        return KafkaTopics.readUntil(KafkaAndSimulator.RESULTS, within, records -> false);
    }

    private static Map<String, String> outcomes(List<String> alertIds) {
        List<ConsumerRecord<byte[], byte[]>> read = KafkaTopics.readUntil(KafkaAndSimulator.RESULTS, WITHIN,
                records -> outcomes(records, alertIds).size() == alertIds.size());
        Map<String, String> outcomes = outcomes(read, alertIds);
        assertThat(outcomes.keySet()).as("every alert has its result").containsExactlyInAnyOrderElementsOf(alertIds);
        return outcomes;
    }

    private static Map<String, String> outcomes(List<ConsumerRecord<byte[], byte[]>> records, List<String> alertIds) {
        Map<String, String> outcomes = new LinkedHashMap<>();
        Investigations.enrichmentResults(records, alertIds).forEach((alertId, result) -> outcomes.put(alertId, result.path("outcome").asText()));
        return outcomes;
    }
}
