package io.github.taniumroutes.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.taniumroutes.alert.AlertParser;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * No record can stall a partition. A corpus of hostile records (too large for a dead letter, just
 * under and over each size limit, results that outgrow the budget, JSON past each parser limit, ids
 * that forge log lines, empty values, a key too long to carry) among ordinary alerts, through the
 * real broker: the consumer group's committed offsets reach the end of every partition, every record
 * has exactly one outcome, and Tanium sees exactly one live read per valid alert.
 */
@QuarkusTest
@TestProfile(HostileRecordsTest.SmallBudget.class)
@QuarkusTestResource(value = KafkaAndSimulator.class, restrictToAnnotatedClass = false)
class HostileRecordsTest {

    static final int OUTCOME_BUDGET = 98_304;
    static final int VALUE_BUDGET = OUTCOME_BUDGET - 4096;
    static final int PREFIX = 8192;
    static final int ALERT_LIMIT = 65_536;
    private static final String GROUP = "tanium-response-routes";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** A budget small enough for alerts under alerts.max-bytes to outgrow it. */
    public static class SmallBudget implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("outcomes.max-bytes", String.valueOf(OUTCOME_BUDGET), "dlq.original-prefix-bytes", String.valueOf(PREFIX),
                    "alerts.max-bytes", String.valueOf(ALERT_LIMIT));
        }
    }

    /** One record of the corpus and the outcome it must have. */
    record Hostile(String name, byte[] key, byte[] value, String expected) {
    }

    private final String run = UUID.randomUUID().toString().substring(0, 8);

    @Test
    void everyHostileRecordEndsAsExactlyOneOutcomeAndTheConsumerReachesTheEnd() throws Exception {
        allowLargeRecordsOn(KafkaAndSimulator.ALERTS);
        List<Hostile> corpus = new ArrayList<>();
        corpus.add(new Hostile("two-megabytes", key("big"), alertOfSize(id("big"), 2 * 1024 * 1024), "dlq:oversized:truncated"));
        corpus.add(new Hostile("dead-letter-at-budget", key("dlq-at"), alertOfSize(id("dlq-at"), VALUE_BUDGET), "dlq:oversized:whole"));
        corpus.add(new Hostile("dead-letter-over-budget", key("dlq-over"), alertOfSize(id("dlq-over"), VALUE_BUDGET + 1),
                "dlq:oversized:truncated"));
        corpus.add(new Hostile("alert-at-limit", key("at-limit"), alertOfSize(id("at-limit"), ALERT_LIMIT), "result:whole"));
        corpus.add(new Hostile("alert-over-limit", key("over-limit"), alertOfSize(id("over-limit"), ALERT_LIMIT + 1),
                "dlq:oversized:whole"));
        corpus.add(new Hostile("result-over-budget", key("grows"), resultThatOutgrowsTheBudget(id("grows")), "result:truncated"));
        corpus.add(new Hostile("ten-thousand-levels", key("deep"), canonicalWith(id("deep"), "\"deep\":" + "[".repeat(10_000)
                + "]".repeat(10_000)), "dlq:malformed_json:alerts.json.max-nesting-depth"));
        corpus.add(new Hostile("five-thousand-digits", key("digits"), canonicalWith(id("digits"), "\"n\":" + "7".repeat(5000)),
                "dlq:malformed_json:alerts.json.max-number-length"));
        corpus.add(new Hostile("sixty-thousand-character-name", key("name"), canonicalWith(id("name"), "\"" + "k".repeat(60_000)
                + "\":1"), "dlq:malformed_json:alerts.json.max-name-length"));
        corpus.add(new Hostile("id-with-a-line-break", key("forge"), canonical(id("forge") + "\n2026-12-03 INFO [forged] all clear"),
                "result:whole"));
        corpus.add(new Hostile("empty", key("empty"), new byte[0], "dlq:empty"));
        corpus.add(new Hostile("not-json", key("text"), "alert: yes".getBytes(StandardCharsets.UTF_8), "dlq:malformed_json"));
        corpus.add(new Hostile("key-too-long", "k".repeat(5000).getBytes(StandardCharsets.UTF_8), "[]".getBytes(StandardCharsets.UTF_8),
                "dlq:not_an_object:hashed-key"));
        for (int i = 0; i < 60; i++) {
            corpus.add(new Hostile("ordinary-" + i, key("ordinary-" + i), canonical(id("ordinary-" + i)), "result:whole"));
        }
        // Hostile records among the ordinary ones, in every partition.
        java.util.Collections.shuffle(corpus, new java.util.Random(16));
        KafkaAndSimulator.simulator.clearRequests();

        Map<String, Hostile> bySource = produce(corpus);

        awaitCommittedToTheEnd(KafkaAndSimulator.ALERTS);
        List<ConsumerRecord<byte[], byte[]>> results = readToTheEnd(KafkaAndSimulator.RESULTS);
        List<ConsumerRecord<byte[], byte[]>> deadLetters = readToTheEnd(KafkaAndSimulator.DLQ);

        Map<String, List<String>> outcomes = new HashMap<>();
        Map<String, Hostile> byAlertId = new HashMap<>();
        for (Map.Entry<String, Hostile> entry : bySource.entrySet()) {
            byAlertId.put(alertIdOf(entry.getValue()), entry.getValue());
            outcomes.put(entry.getKey(), new ArrayList<>());
        }
        for (ConsumerRecord<byte[], byte[]> result : results) {
            String alertId = KafkaTopics.header(result, "alertId");
            Hostile hostile = byAlertId.get(alertId);
            if (hostile != null) {
                outcomes.get(sourceOf(bySource, hostile)).add(describeResult(result));
            }
        }
        for (ConsumerRecord<byte[], byte[]> deadLetter : deadLetters) {
            String source = KafkaTopics.header(deadLetter, "dlqSourceTopic") + "-" + KafkaTopics.header(deadLetter, "dlqSourcePartition")
                    + "@" + KafkaTopics.header(deadLetter, "dlqSourceOffset");
            if (outcomes.containsKey(source)) {
                outcomes.get(source).add(describeDeadLetter(deadLetter, bySource.get(source)));
            }
        }

        Map<String, List<String>> byName = new LinkedHashMap<>();
        bySource.forEach((source, hostile) -> byName.put(hostile.name(), outcomes.get(source)));
        Map<String, List<String>> expected = new LinkedHashMap<>();
        bySource.values().forEach(hostile -> expected.put(hostile.name(), List.of(hostile.expected())));
        assertThat(byName).as("exactly one outcome per record, the expected one").containsExactlyInAnyOrderEntriesOf(expected);

        long validAlerts = corpus.stream().filter(h -> h.expected().startsWith("result:")).count();
        long sensorReads = KafkaAndSimulator.simulator.requests("/plugin/products/gateway/graphql").stream()
                .filter(request -> request.body().contains("SensorReadings")).count();
        assertThat(sensorReads).as("one live read per valid alert that read (the others shared it), none repeated")
                .isEqualTo(Investigations.unsharedReadings(results, byAlertId.keySet()));
        assertThat(Investigations.readingsOf(results, byAlertId.keySet())).as("every valid alert has its readings").hasSize((int) validAlerts);
    }

    @Test
    void aResultRefusedByItsTopicIsDeadLetteredAndThePartitionMovesOn() throws Exception {
        // A results topic whose max.message.bytes is below outcomes.max-bytes (a misconfiguration):
        // the broker refuses the result the application built within its budget.
        setTopicConfig(KafkaAndSimulator.RESULTS, "max.message.bytes", "50000");
        try {
            Hostile refused = new Hostile("refused", key("refused"), resultThatTheTopicRefuses(id("refused")), "dlq:outcome_too_large");
            Hostile after = new Hostile("after", key("after"), canonical(id("after")), "result:whole");
            produce(List.of(refused, after));

            awaitCommittedToTheEnd(KafkaAndSimulator.ALERTS);
            List<ConsumerRecord<byte[], byte[]>> deadLetters = readToTheEnd(KafkaAndSimulator.DLQ);
            List<ConsumerRecord<byte[], byte[]>> forRefused = deadLetters.stream()
                    .filter(r -> alertIdOf(refused).equals(KafkaTopics.header(r, "alertId"))).toList();
            assertThat(forRefused).hasSize(1);
            ConsumerRecord<byte[], byte[]> deadLetter = forRefused.get(0);
            assertThat(KafkaTopics.header(deadLetter, "dlqReason")).isEqualTo("outcome_too_large");
            assertThat(KafkaTopics.header(deadLetter, "dlqDetail")).contains("Kafka refused").contains("RecordTooLargeException");
            assertThat(deadLetter.value()).hasSize(PREFIX);
            List<ConsumerRecord<byte[], byte[]>> results = readToTheEnd(KafkaAndSimulator.RESULTS);
            assertThat(results.stream().map(r -> KafkaTopics.header(r, "alertId"))).contains(alertIdOf(after))
                    .doesNotContain(alertIdOf(refused));
        } finally {
            setTopicConfig(KafkaAndSimulator.RESULTS, "max.message.bytes", null);
        }
    }

    // ---- what each record became ------------------------------------------------------------

    private static String describeResult(ConsumerRecord<byte[], byte[]> record) {
        try {
            JsonNode result = MAPPER.readTree(record.value());
            assertThat(record.serializedValueSize()).isLessThanOrEqualTo(VALUE_BUDGET);
            assertThat(Schemas.violations("result.schema.json", result)).isEmpty();
            assertThat(result.path("outcome").asText()).isEqualTo("enriched");
            if (result.has("truncated")) {
                assertThat(result.path("truncated").path("dropped")).extracting(JsonNode::asText).contains("alert.raw");
                assertThat(result.path("truncated").path("originalBytes").asInt()).isGreaterThan(VALUE_BUDGET);
                return "result:truncated";
            }
            return "result:whole";
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String describeDeadLetter(ConsumerRecord<byte[], byte[]> record, Hostile original) {
        String reason = KafkaTopics.header(record, "dlqReason");
        assertThat(KafkaTopics.header(record, "dlqOriginalBytes")).isEqualTo(String.valueOf(original.value().length));
        assertThat(KafkaTopics.header(record, "dlqOriginalSha256")).isEqualTo(AlertParser.sha256(original.value()));
        assertThat(record.serializedValueSize() + record.serializedKeySize()).isLessThanOrEqualTo(OUTCOME_BUDGET);
        String detail = KafkaTopics.header(record, "dlqDetail");
        boolean truncated = "true".equals(KafkaTopics.header(record, "dlqTruncated"));
        byte[] value = record.value() == null ? new byte[0] : record.value();
        if (truncated) {
            assertThat(value).isEqualTo(Arrays.copyOf(original.value(), PREFIX));
        } else {
            assertThat(value).isEqualTo(original.value());
        }
        if (original.expected().endsWith("hashed-key")) {
            assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("sha256:" + AlertParser.sha256(original.key()));
            return "dlq:" + reason + ":hashed-key";
        }
        assertThat(record.key()).isEqualTo(original.key());
        if ("oversized".equals(reason)) {
            return "dlq:oversized:" + (truncated ? "truncated" : "whole");
        }
        if ("malformed_json".equals(reason) && detail.contains("alerts.json.")) {
            return "dlq:malformed_json:" + detail.replaceAll(".*\\((alerts\\.json\\.[a-z-]+)\\).*", "$1");
        }
        return "dlq:" + reason;
    }

    // ---- the corpus -------------------------------------------------------------------------

    private String id(String name) {
        return "hostile-" + run + "-" + name;
    }

    private static byte[] key(String name) {
        return name.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] canonical(String id) {
        return canonicalWith(id, null);
    }

    private static byte[] canonicalWith(String id, String extraJson) {
        ObjectNode alert = MAPPER.createObjectNode().put("schemaVersion", 1).put("id", id).put("hostname", "MAC-0007");
        String json = alert.toString();
        if (extraJson != null) {
            json = json.substring(0, json.length() - 1) + "," + extraJson + "}";
        }
        return json.getBytes(StandardCharsets.UTF_8);
    }

    /** A valid canonical alert of exactly {@code size} bytes: the padding is in a field the canonical form does not copy. */
    private static byte[] alertOfSize(String id, int size) {
        int without = canonicalWith(id, "\"description\":\"\"").length;
        return canonicalWith(id, "\"description\":\"" + "d".repeat(size - without) + "\"");
    }

    /** Under alerts.max-bytes, but its long rule is copied into the canonical alert beside the raw one: over the budget. */
    private static byte[] resultThatOutgrowsTheBudget(String id) {
        return canonicalWith(id, "\"rule\":\"" + "r".repeat(40_000) + "\",\"description\":\"" + "d".repeat(20_000) + "\"");
    }

    /** Within the budget once its raw alert is dropped (about 56 KB), above a 50,000-byte topic limit. */
    private static byte[] resultThatTheTopicRefuses(String id) {
        return canonicalWith(id, "\"rule\":\"" + "r".repeat(55_000) + "\"");
    }

    private static String alertIdOf(Hostile hostile) {
        try {
            return MAPPER.readTree(hostile.value()).path("id").asText(null);
        } catch (Exception e) {
            return null;
        }
    }

    private static String sourceOf(Map<String, Hostile> bySource, Hostile hostile) {
        return bySource.entrySet().stream().filter(e -> e.getValue() == hostile).findFirst().orElseThrow().getKey();
    }

    // ---- Kafka ------------------------------------------------------------------------------

    /** Produces the records, returning each by where it landed ("topic-partition@offset", as dead letters name it). */
    private static Map<String, Hostile> produce(List<Hostile> corpus) throws Exception {
        Properties props = new Properties();
        props.putAll(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaAndSimulator.kafka.bootstrapServers(),
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(4 * 1024 * 1024),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()));
        Map<String, Hostile> bySource = new LinkedHashMap<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            for (Hostile hostile : corpus) {
                RecordMetadata landed = producer.send(new ProducerRecord<>(KafkaAndSimulator.ALERTS, hostile.key(), hostile.value())).get();
                bySource.put(landed.topic() + "-" + landed.partition() + "@" + landed.offset(), hostile);
            }
        }
        return bySource;
    }

    private static void allowLargeRecordsOn(String topic) throws Exception {
        setTopicConfig(topic, "max.message.bytes", String.valueOf(4 * 1024 * 1024));
    }

    private static void setTopicConfig(String topic, String name, String value) throws Exception {
        try (Admin admin = KafkaAndSimulator.kafka.admin()) {
            AlterConfigOp op = value == null
                    ? new AlterConfigOp(new ConfigEntry(name, ""), AlterConfigOp.OpType.DELETE)
                    : new AlterConfigOp(new ConfigEntry(name, value), AlterConfigOp.OpType.SET);
            admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, topic), List.of(op)))
                    .all().get(30, TimeUnit.SECONDS);
        }
    }

    /** Polls until the application's consumer group has committed the end offset of every partition of the topic. */
    private static void awaitCommittedToTheEnd(String topic) {
        Awaitility.await().atMost(60, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(250)).until(() -> {
            try (Admin admin = KafkaAndSimulator.kafka.admin()) {
                Map<TopicPartition, OffsetSpec> latest = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic)
                        .partitions().stream().collect(Collectors.toMap(p -> new TopicPartition(topic, p.partition()), p -> OffsetSpec.latest()));
                Map<TopicPartition, Long> ends = new HashMap<>();
                admin.listOffsets(latest).all().get().forEach((tp, info) -> ends.put(tp, info.offset()));
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get();
                return ends.entrySet().stream().allMatch(end -> end.getValue() == 0
                        || (committed.get(end.getKey()) != null && committed.get(end.getKey()).offset() == end.getValue()));
            }
        });
    }

    /** Every record of the topic, from the beginning up to the end offsets as they are now. */
    private static List<ConsumerRecord<byte[], byte[]>> readToTheEnd(String topic) {
        Properties props = new Properties();
        props.putAll(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaAndSimulator.kafka.bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"));
        List<ConsumerRecord<byte[], byte[]>> read = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            Instant deadline = Instant.now().plusSeconds(60);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                assertThat(Instant.now()).as("reading " + topic + " to its end").isBefore(deadline);
                consumer.poll(Duration.ofMillis(200)).forEach(read::add);
            }
        }
        return read;
    }

}
