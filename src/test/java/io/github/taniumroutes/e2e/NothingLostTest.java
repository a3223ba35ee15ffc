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
 * If publishing a batch's outcomes fails (Kafka unreachable, a rejected record), the batch is not
 * committed: the consumer re-reads it from the last committed offset and every alert still gets
 * its result. Proven with the real broker, a failure injected into the publish route.
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
        AdviceWith.adviceWith(camel, "publish-outcomes", route -> route.weaveAddFirst().process(exchange -> {
            if (PUBLISH_FAILURES_LEFT.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new IllegalStateException("injected: the results topic is unavailable");
            }
        }));
        PUBLISH_FAILURES_LEFT.set(2);

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
    }

    private static Set<String> alertIds(List<ConsumerRecord<byte[], byte[]>> records) {
        Set<String> ids = new TreeSet<>();
        records.forEach(r -> ids.add(KafkaTopics.header(r, "alertId")));
        return ids;
    }
}
