package io.github.taniumroutes.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.AdviceWith;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * If sending a batch's outcomes keeps failing (Kafka unreachable), the send is retried with backoff,
 * then the batch is not committed: the consumer re-reads it from the last committed offset, every
 * alert still gets its result, and no alert already answered is sent to Tanium again. Proven with
 * the real broker, a failure injected into the producer route: more failures than one batch's
 * retries, so batches really are read again.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaAndSimulator.class, restrictToAnnotatedClass = false)
class NothingLostTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final AtomicInteger PUBLISH_FAILURES_LEFT = new AtomicInteger();

    @Inject
    CamelContext camel;

    @Test
    void aBatchWhoseOutcomesCannotBePublishedIsReadAgainNotLost() throws Exception {
        AdviceWith.adviceWith(camel, "send-outcomes", route -> route.weaveAddFirst().process(exchange -> {
            if (PUBLISH_FAILURES_LEFT.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new org.apache.kafka.common.errors.TimeoutException("injected: the results topic is unavailable");
            }
        }));
        // kafka.publish.retry.max-redeliveries is 2 in tests: 3 attempts per batch; 7 failures fail two batches.
        PUBLISH_FAILURES_LEFT.set(7);
        KafkaAndSimulator.simulator.clearRequests();

        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        Set<String> ids = new TreeSet<>();
        for (int i = 0; i < 20; i++) {
            String id = "lost-test-" + i;
            ids.add(id);
            String alert = MAPPER.createObjectNode().put("schemaVersion", 1).put("id", id).put("hostname", "MAC-0007").toString();
            records.add(KafkaTopics.record(KafkaAndSimulator.ALERTS, id, alert.getBytes(StandardCharsets.UTF_8), Map.of()));
        }
        KafkaTopics.produce(KafkaAndSimulator.ALERTS, records);

        List<ConsumerRecord<byte[], byte[]>> results = KafkaTopics.readUntil(KafkaAndSimulator.RESULTS, Duration.ofSeconds(60),
                read -> alertIds(read).containsAll(ids));

        assertThat(PUBLISH_FAILURES_LEFT.get()).as("the injected failures happened").isZero();
        assertThat(alertIds(results)).containsAll(ids);
        long sensorReads = KafkaAndSimulator.simulator.requests("/plugin/products/gateway/graphql").stream()
                .filter(request -> request.body().contains("SensorReadings")).count();
        assertThat(sensorReads).as("one live read per alert that read (the others shared it), however often its batch was read")
                .isEqualTo(Investigations.unsharedReadings(results, ids));
        Map<String, Set<String>> publishedPerAlert = new java.util.HashMap<>();
        results.stream().filter(r -> ids.contains(KafkaTopics.header(r, "alertId")))
                .forEach(r -> publishedPerAlert.computeIfAbsent(KafkaTopics.header(r, "alertId"), id -> new TreeSet<>())
                        .add(new String(r.value(), StandardCharsets.UTF_8)));
        assertThat(publishedPerAlert.values()).as("a batch read again replays its outcomes: each alert's results are the same bytes")
                .allSatisfy(published -> assertThat(published).hasSize(1));
    }

    private static Set<String> alertIds(List<ConsumerRecord<byte[], byte[]>> records) {
        Set<String> ids = new TreeSet<>();
        records.forEach(r -> ids.add(KafkaTopics.header(r, "alertId")));
        return ids;
    }
}
