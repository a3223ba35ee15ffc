package io.github.taniumroutes.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Alerts that lead to investigations, and their results, for the end-to-end tests. */
final class Investigations {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private Investigations() {
    }

    /** A canonical alert naming the endpoint by its Tanium id. */
    static ProducerRecord<byte[], byte[]> alertFor(String alertId, String taniumEndpointId) {
        return alertFor(alertId, taniumEndpointId, null);
    }

    /** An alert of detection rule {@code rule} (none when null), which a policy may send to a server of its own. */
    static ProducerRecord<byte[], byte[]> alertFor(String alertId, String taniumEndpointId, String rule) {
        var node = MAPPER.createObjectNode().put("schemaVersion", 1).put("id", alertId).put("taniumEndpointId", taniumEndpointId);
        if (rule != null) {
            node.put("rule", rule);
        }
        String alert = node.toString();
        return KafkaTopics.record(KafkaAndSimulator.ALERTS, taniumEndpointId, alert.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    /** The enrichment result of each of the given alerts among {@code records} (alert id → result), the last one read per alert. */
    static Map<String, JsonNode> enrichmentResults(List<ConsumerRecord<byte[], byte[]>> records, Collection<String> alertIds) {
        Map<String, JsonNode> results = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            String alertId = KafkaTopics.header(record, "alertId");
            // An investigation step's result carries header step; an enrichment result does not.
            if (alertIds.contains(alertId) && KafkaTopics.header(record, "step") == null) {
                results.put(alertId, json(record.value()));
            }
        }
        return results;
    }

    /** The readings part of each enrichment result of the given alerts that has one (alert id → readings). */
    static Map<String, JsonNode> readingsOf(List<ConsumerRecord<byte[], byte[]>> records, Collection<String> alertIds) {
        Map<String, JsonNode> readings = new LinkedHashMap<>();
        enrichmentResults(records, alertIds).forEach((alertId, result) -> {
            if (result.has("readings")) {
                readings.put(alertId, result.path("readings"));
            }
        });
        return readings;
    }

    /** How many of the given alerts made their own live read (readings.shared false), the others sharing it. */
    static long unsharedReadings(List<ConsumerRecord<byte[], byte[]>> records, Collection<String> alertIds) {
        return readingsOf(records, alertIds).values().stream().filter(readings -> !readings.path("shared").asBoolean(true)).count();
    }

    /** The snapshot results of the given alerts (alert id → result), once every one is on the results topic. */
    static Map<String, JsonNode> snapshotResults(Collection<String> alertIds, Duration within) {
        List<ConsumerRecord<byte[], byte[]>> read = KafkaTopics.readUntil(KafkaAndSimulator.RESULTS, within,
                records -> snapshotResults(records).keySet().containsAll(alertIds));
        Map<String, JsonNode> results = snapshotResults(read);
        results.keySet().retainAll(alertIds);
        return results;
    }

    /** Every snapshot result read (the last one per alert), and how many were read per alert. */
    static Map<String, JsonNode> snapshotResults(List<ConsumerRecord<byte[], byte[]>> records) {
        Map<String, JsonNode> results = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            JsonNode result = json(record.value());
            if ("snapshot".equals(result.path("step").asText())) {
                results.put(result.path("alertId").asText(), result);
            }
        }
        return results;
    }

    static List<JsonNode> all(List<ConsumerRecord<byte[], byte[]>> records, String step) {
        List<JsonNode> results = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            JsonNode result = json(record.value());
            if (step.equals(result.path("step").asText())) {
                results.add(result);
            }
        }
        return results;
    }

    static JsonNode json(byte[] value) {
        try {
            return MAPPER.readTree(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The alert's result of {@code step} on the results topic, once there is one; never more than one. */
    static JsonNode stepResult(String alertId, String step, Duration within) {
        return stepResults(alertId, step, 1, within).get(0);
    }

    /** The alert's {@code count} results of {@code step} (a plan may hold a step type twice), in plan order; never more. */
    static List<JsonNode> stepResults(String alertId, String step, int count, Duration within) {
        Predicate<ConsumerRecord<byte[], byte[]>> ofStep = r -> alertId.equals(KafkaTopics.header(r, "alertId"))
                && step.equals(KafkaTopics.header(r, "step"));
        List<ConsumerRecord<byte[], byte[]>> read = KafkaTopics.readUntil(KafkaAndSimulator.RESULTS, within,
                records -> records.stream().filter(ofStep).count() >= count);
        List<JsonNode> results = read.stream().filter(ofStep).map(r -> json(r.value()))
                .sorted(java.util.Comparator.comparingInt(r -> r.path("stepNumber").asInt())).toList();
        assertThat(results).as(step + " results of " + alertId).hasSize(count);
        return results;
    }
}
