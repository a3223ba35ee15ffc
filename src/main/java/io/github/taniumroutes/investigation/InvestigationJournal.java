package io.github.taniumroutes.investigation;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.support.DefaultMessage;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.taniumroutes.kafka.LatestRecords;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/**
 * The investigation journal: the compacted state topic. Each investigation's latest state is one
 * record keyed by investigation id, written to the same partition number as its request on the
 * investigations topic, so the instance that owns a request partition finds every investigation it
 * must resume in the state partition of the same number. A finished investigation is later replaced
 * by a tombstone.
 */
@Singleton
@Named("investigationJournal")
public class InvestigationJournal {

    private final ObjectMapper mapper;
    private final CamelContext camel;
    private final String requestsTopic;
    private final String stateTopic;

    @Inject
    public InvestigationJournal(ObjectMapper mapper, CamelContext camel,
            @ConfigProperty(name = "investigations.topic") String requestsTopic,
            @ConfigProperty(name = "investigations.state-topic") String stateTopic) {
        this.mapper = mapper;
        this.camel = camel;
        this.requestsTopic = requestsTopic;
        this.stateTopic = stateTopic;
    }

    /** State records for the Kafka producer: one investigation or a list of them. */
    public List<Message> records(Object investigations) {
        List<Message> records = new ArrayList<>();
        for (Investigation investigation : each(investigations)) {
            records.add(record(investigation.getId(), investigation.getPartition(), json(investigation)));
        }
        return records;
    }

    /** Marks what {@link #records} wrote as journaled, once Kafka has acknowledged it. */
    public void journaled(Object investigations) {
        each(investigations).forEach(Investigation::journaled);
    }

    /** The routes hand over one investigation or a list of them. */
    private static List<Investigation> each(Object investigations) {
        return investigations instanceof Collection<?> list ? list.stream().map(Investigation.class::cast).toList()
                : List.of((Investigation) investigations);
    }

    /** Tombstones for finished investigations (id → partition): compaction then drops them. */
    public List<Message> tombstones(Map<String, Integer> finished) {
        List<Message> records = new ArrayList<>(finished.size());
        finished.forEach((id, partition) -> records.add(record(id, partition, null)));
        return records;
    }

    public byte[] json(Investigation investigation) {
        try {
            return mapper.writeValueAsBytes(investigation);
        } catch (Exception e) {
            throw new IllegalStateException("cannot serialise " + investigation, e);
        }
    }

    /** A journal record of this release, or of an earlier one (schema 1: read by {@link JournalUpgrade}). */
    public Investigation read(byte[] value) {
        try {
            com.fasterxml.jackson.databind.JsonNode record = mapper.readTree(value);
            int schema = record.path("schemaVersion").asInt(1);
            if (schema < 2) {
                return JournalUpgrade.fromSchema1(record, mapper);
            }
            return mapper.treeToValue(record, Investigation.class);
        } catch (Exception e) {
            throw new IllegalStateException("unreadable investigation state record: " + e.getMessage(), e);
        }
    }

    /**
     * The latest state of every investigation journaled to the given partitions, read from the start
     * of each partition to its end as of now. Tombstoned investigations are absent.
     */
    public Map<String, Investigation> load(Collection<Integer> partitions) {
        Map<String, Investigation> latest = new LinkedHashMap<>();
        if (partitions.isEmpty()) {
            return latest;
        }
        try (KafkaConsumer<byte[], byte[]> consumer = LatestRecords.reader(camel)) {
            checkPartitionCounts(consumer);
        }
        LatestRecords.read(camel, stateTopic, partitions).forEach((id, value) -> latest.put(id, read(value)));
        return latest;
    }

    private void checkPartitionCounts(KafkaConsumer<byte[], byte[]> consumer) {
        List<PartitionInfo> requests = consumer.partitionsFor(requestsTopic);
        List<PartitionInfo> states = consumer.partitionsFor(stateTopic);
        if (requests == null || states == null || requests.size() != states.size()) {
            throw new IllegalStateException("topic " + stateTopic + " must exist with as many partitions as " + requestsTopic
                    + " (" + (requests == null ? "missing" : requests.size()) + " vs " + (states == null ? "missing" : states.size())
                    + "), because an investigation's state lives in the partition of the same number as its request");
        }
    }

    private Message record(String id, int partition, byte[] value) {
        Message message = new DefaultMessage(camel);
        message.setBody(value);
        message.setHeader(KafkaConstants.KEY, id.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        message.setHeader(KafkaConstants.PARTITION_KEY, partition);
        message.setHeader(KafkaConstants.OVERRIDE_TOPIC, stateTopic);
        return message;
    }
}
