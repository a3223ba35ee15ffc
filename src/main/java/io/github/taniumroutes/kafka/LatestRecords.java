package io.github.taniumroutes.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import org.apache.camel.CamelContext;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The latest value of every key of some partitions of a compacted topic (a journal), read from the
 * start of each partition to its end as of now with a consumer of its own (no group, nothing
 * committed), configured as the Kafka component is (brokers, TLS, SASL). A key whose latest record is
 * a tombstone is absent.
 */
public final class LatestRecords {

    private LatestRecords() {
    }

    public static Map<String, byte[]> read(CamelContext camel, String topic, Collection<Integer> partitions) {
        Map<String, byte[]> latest = new LinkedHashMap<>();
        if (partitions.isEmpty()) {
            return latest;
        }
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(readerProperties(camel))) {
            List<TopicPartition> assigned = partitions.stream().map(p -> new TopicPartition(topic, p)).toList();
            consumer.assign(assigned);
            consumer.seekToBeginning(assigned);
            Map<TopicPartition, Long> end = consumer.endOffsets(assigned);
            while (assigned.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    String key = record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
                    if (record.value() == null) {
                        latest.remove(key);
                    } else {
                        latest.put(key, record.value());
                    }
                }
            }
        }
        return latest;
    }

    /** A reader configured as the Kafka component's consumers are, for checks such as partition counts. */
    public static KafkaConsumer<byte[], byte[]> reader(CamelContext camel) {
        return new KafkaConsumer<>(readerProperties(camel));
    }

    private static Properties readerProperties(CamelContext camel) {
        var configuration = camel.getComponent("kafka", KafkaComponent.class).getConfiguration();
        Properties props = configuration.copy().createConsumerProperties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, configuration.getBrokers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "latest-records-reader-" + UUID.randomUUID());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        return props;
    }
}
