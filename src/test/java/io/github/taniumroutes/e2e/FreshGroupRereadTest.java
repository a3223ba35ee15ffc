package io.github.taniumroutes.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import io.github.taniumroutes.kafka.KafkaBatch;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * The intake routes rely on Kafka's consumer, as configured for them (manual commits,
 * breakOnFirstError), to read a failed batch again from the last commit. A held-alert topic's group
 * is often brand new when its first batch fails; this checks that such a group, with nothing
 * committed yet, reads that batch again too instead of moving past it.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaAndSimulator.class, restrictToAnnotatedClass = false)
class FreshGroupRereadTest {

    @Inject
    CamelContext camel;
    @Inject
    KafkaBatch kafkaBatch;

    @Test
    void aFirstBatchThatFailsInAGroupWithNoCommitIsReadAgain() throws Exception {
        String topic = "fresh-" + UUID.randomUUID().toString().substring(0, 8);
        KafkaAndSimulator.kafka().createTopics(1, List.of(topic));
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            records.add(KafkaTopics.record(topic, "k" + i, ("record-" + i).getBytes(StandardCharsets.UTF_8), Map.of()));
        }
        KafkaTopics.produce(topic, records);

        AtomicInteger batches = new AtomicInteger();
        Set<Long> committed = ConcurrentHashMap.newKeySet();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("kafka:" + topic + "?groupId=" + topic + "-group&batching=true&maxPollRecords=500&pollTimeoutMs=100&batchingIntervalMs=200")
                        .routeId(topic)
                        .process(exchange -> {
                            @SuppressWarnings("unchecked")
                            List<Exchange> batch = exchange.getMessage().getBody(List.class);
                            if (batches.incrementAndGet() == 1) {
                                throw new IllegalStateException("injected: the first batch fails before its commit");
                            }
                            batch.forEach(record -> committed.add(record.getMessage().getHeader(KafkaConstants.OFFSET, Long.class)));
                            kafkaBatch.commit(batch);
                        });
            }
        });
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (committed.size() < 10 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(batches.get()).as("the first batch failed, and another was read").isGreaterThanOrEqualTo(2);
            assertThat(committed).as("every record, those of the failed batch included, processed after the failure")
                    .containsExactlyInAnyOrder(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
        } finally {
            camel.getRouteController().stopRoute(topic);
            camel.removeRoute(topic);
        }
    }
}
