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

import com.fasterxml.jackson.databind.JsonNode;

import io.github.taniumroutes.tanium.IntakePause;
import io.github.taniumroutes.tanium.TaniumOutages;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * Tanium goes down in the middle of a load, through the real broker and the simulator: the alerts
 * that meet the outage are not failed but wait — intake pauses with nothing committed past what was
 * published — and once the server answers the probe again they are read again and enriched. Every
 * alert gets one enriched result; none ends tanium_error because of the outage.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaAndSimulator.class, restrictToAnnotatedClass = false)
class OutageEndToEndTest {

    static final Duration WITHIN = Duration.ofSeconds(90);

    @Inject
    TaniumOutages outages;
    @Inject
    IntakePause intake;

    @AfterEach
    void serverBack() {
        KafkaAndSimulator.simulator().faults().clear();
    }

    @Test
    void alertsThatMeetAnOutageWaitForTheServerAndAreThenEnriched() throws Exception {
        KafkaAndSimulator.simulator().faults().clear();
        String run = UUID.randomUUID().toString().substring(0, 8);
        assertThat(outcomes(produce(run + "-before", 20)).values()).containsOnly("enriched");

        KafkaAndSimulator.simulator().faults().outage(true);
        List<String> during = produce(run + "-during", 40);
        awaitCondition("the server's circuit is open and intake paused", () -> outages.isOpen("default") && intake.isPaused());
        assertThat(outcomes(read(Duration.ofMillis(500)), during)).as("nothing failed meanwhile").isEmpty();

        KafkaAndSimulator.simulator().faults().outage(false);
        Map<String, String> after = outcomes(during);

        assertThat(after.values()).as("none ends tanium_error because of the outage").containsOnly("enriched");
        awaitCondition("intake resumed", () -> !intake.isPaused() && outages.open().isEmpty());
        Map<String, Integer> resultsPerAlert = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : read(Duration.ofSeconds(1))) {
            String alertId = KafkaTopics.header(record, "alertId");
            if (during.contains(alertId)) {
                resultsPerAlert.merge(alertId, 1, Integer::sum);
            }
        }
        assertThat(resultsPerAlert.values()).as("one result per alert").containsOnly(1);
    }

    private static void awaitCondition(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WITHIN.toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(condition.getAsBoolean()).as(what).isTrue();
    }

    private static List<String> produce(String prefix, int count) throws Exception {
        List<String> ids = new ArrayList<>();
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        String[] endpoints = {"1003", "1004", "1005", "1010"};
        for (int i = 0; i < count; i++) {
            String id = "outage-" + prefix + "-" + i;
            ids.add(id);
            records.add(Investigations.alertFor(id, endpoints[i % endpoints.length]));
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
        for (ConsumerRecord<byte[], byte[]> record : records) {
            String alertId = KafkaTopics.header(record, "alertId");
            if (alertIds.contains(alertId) && KafkaTopics.header(record, "step") == null) {
                JsonNode result = Investigations.json(record.value());
                outcomes.put(alertId, result.path("outcome").asText());
            }
        }
        return outcomes;
    }
}
