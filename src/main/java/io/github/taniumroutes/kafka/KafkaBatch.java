package io.github.taniumroutes.kafka;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;

import jakarta.inject.Named;
import jakarta.inject.Singleton;

/**
 * The two things the batching Kafka consumer leaves to the route: handing each record to the
 * splitter as a message, and committing the batch once every outcome is on Kafka. Kafka commits a
 * position per partition, so the batch commits the last offset of each partition it holds.
 */
@Singleton
@Named("kafkaBatch")
public class KafkaBatch {

    /** Copies, so that what the routes do to a record's headers cannot touch the commit handle kept in the batch. */
    public List<Message> records(List<Exchange> batch) {
        return batch.stream().map(record -> record.getMessage().copy()).toList();
    }

    /** The topic, partition and offset of the record in hand (before the route drops the record's headers). */
    public RecordSource source(@Header(KafkaConstants.TOPIC) String topic, @Header(KafkaConstants.PARTITION) Integer partition,
            @Header(KafkaConstants.OFFSET) Long offset) {
        if (topic == null || partition == null || offset == null) {
            throw new IllegalStateException("a record from the Kafka consumer must name its topic, partition and offset");
        }
        return new RecordSource(topic, partition, offset);
    }

    public int commit(List<Exchange> batch) {
        Map<String, KafkaManualCommit> lastPerPartition = new LinkedHashMap<>();
        for (Exchange record : batch) {
            Message message = record.getMessage();
            KafkaManualCommit commit = message.getHeader(KafkaConstants.MANUAL_COMMIT, KafkaManualCommit.class);
            if (commit == null) {
                throw new IllegalStateException("the Kafka consumer must run with allowManualCommit=true");
            }
            lastPerPartition.put(message.getHeader(KafkaConstants.TOPIC) + "-" + message.getHeader(KafkaConstants.PARTITION), commit);
        }
        lastPerPartition.values().forEach(KafkaManualCommit::commit);
        return lastPerPartition.size();
    }
}
