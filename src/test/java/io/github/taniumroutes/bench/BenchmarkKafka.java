package io.github.taniumroutes.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.taniumroutes.e2e.KafkaAndSimulator;

/** What the benchmarks share: a producer of canonical alerts, and a consumer that watches an output topic from its end. */
final class BenchmarkKafka {

    private BenchmarkKafka() {
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** A producer for the embedded broker (byte[] keys and values, 10 ms linger). */
    static KafkaProducer<byte[], byte[]> producer() {
        Properties props = new Properties();
        props.putAll(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaAndSimulator.kafka().bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
                ProducerConfig.LINGER_MS_CONFIG, "10"));
        return new KafkaProducer<>(props);
    }

    /** A canonical high-severity alert about {@code host}, keyed by the host. */
    static ProducerRecord<byte[], byte[]> alert(String topic, String id, String host) {
        byte[] alert = MAPPER.createObjectNode().put("schemaVersion", 1).put("id", id).put("severity", "high").put("hostname", host)
                .toString().getBytes(StandardCharsets.UTF_8);
        return new ProducerRecord<>(topic, host.getBytes(StandardCharsets.UTF_8), alert);
    }

    /** A consumer of its own group, assigned and positioned at the end of {@code topic} before the run starts. */
    static KafkaConsumer<byte[], byte[]> atEnd(String topic) {
        Properties props = new Properties();
        props.putAll(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaAndSimulator.kafka().bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "bench-counter-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()));
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props);
        consumer.subscribe(List.of(topic));
        while (consumer.assignment().isEmpty()) {
            consumer.poll(Duration.ofMillis(100));
        }
        consumer.seekToEnd(consumer.assignment());
        consumer.assignment().forEach(consumer::position);
        return consumer;
    }
}
