package io.github.taniumroutes.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Variable;
import org.apache.camel.component.kafka.KafkaConstants;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/**
 * The outcomes of records read but not yet committed, by topic, partition and offset. When a batch
 * cannot be committed (Kafka unreachable while publishing, a lost commit) the consumer reads it
 * again; a record answered before is then published with the outcome it already has instead of
 * calling Tanium a second time. Entries go when their batch commits, or after a while in any case.
 */
@Singleton
@Named("answeredRecords")
public class AnsweredRecords {

    private final Cache<RecordSource, Message> outcomes;

    @Inject
    public AnsweredRecords(@ConfigProperty(name = "alerts.answered.max-bytes") long maxBytes,
            @ConfigProperty(name = "alerts.answered.keep-for") Duration keepFor) {
        this.outcomes = Caffeine.newBuilder().maximumWeight(maxBytes).weigher(AnsweredRecords::weight)
                .expireAfterWrite(keepFor).build();
    }

    /** About what a remembered outcome takes: its body, and the follow-up records its headers carry. */
    private static int weight(RecordSource source, Message outcome) {
        int weight = 256;
        for (Object part : new Object[] {outcome.getBody(), outcome.getHeader("auditRecord"), outcome.getHeader("investigationRequest")}) {
            if (part instanceof byte[] bytes) {
                weight += bytes.length;
            } else if (part != null) {
                weight += part.toString().length();
            }
        }
        return weight;
    }

    public boolean answered(@Variable("source") RecordSource source) {
        return outcomes.getIfPresent(source) != null;
    }

    /** Keeps a copy of the outgoing message of this record (body and headers). */
    public void remember(@Variable("source") RecordSource source, Exchange exchange) {
        outcomes.put(source, exchange.getMessage().copy());
    }

    /** Makes the exchange's message the one remembered for this record. */
    public void replay(@Variable("source") RecordSource source, Exchange exchange) {
        Message answer = outcomes.getIfPresent(source);
        if (answer == null) {
            throw new IllegalStateException("no outcome is remembered for " + source);
        }
        Message message = exchange.getMessage();
        message.setHeaders(new HashMap<>(answer.getHeaders()));
        message.setBody(answer.getBody());
    }

    /** Forgets the records of a committed batch. */
    public void committed(List<Exchange> batch) {
        for (Exchange record : batch) {
            Message message = record.getMessage();
            String topic = message.getHeader(KafkaConstants.TOPIC, String.class);
            Integer partition = message.getHeader(KafkaConstants.PARTITION, Integer.class);
            Long offset = message.getHeader(KafkaConstants.OFFSET, Long.class);
            if (topic != null && partition != null && offset != null) {
                outcomes.invalidate(new RecordSource(topic, partition, offset));
            }
        }
    }

    public long size() {
        outcomes.cleanUp();
        return outcomes.estimatedSize();
    }
}
