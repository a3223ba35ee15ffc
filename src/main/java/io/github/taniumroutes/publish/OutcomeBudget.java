package io.github.taniumroutes.publish;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.runtime.Startup;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/**
 * The size every outgoing record is built to. A record larger than the producer's
 * {@code max.request.size} (or the topic's {@code max.message.bytes}) is refused by Kafka; if it were
 * an alert's outcome, the alert's batch could never be committed. So results are trimmed to
 * {@link #valueBytes()}, a dead letter carries at most a prefix of what it could not carry whole,
 * and {@link #recordBytes} measures a record as Kafka will (value, key, header names and values).
 * The budget is checked against the producer limit at start-up, so a misconfiguration fails fast.
 */
@Singleton
@Startup
@Named("outcomeBudget")
public class OutcomeBudget {

    /** Room kept for a result's key and headers (alert id ≤ alerts.max-id-length, outcome, topic). */
    static final int HEADROOM = 4096;
    /** Kafka's per-record overhead in a batch is well under this (varints, attributes, header counts). */
    static final int RECORD_OVERHEAD = 128;

    private final int maxBytes;
    private final int deadLetterPrefixBytes;

    @Inject
    public OutcomeBudget(@ConfigProperty(name = "outcomes.max-bytes") int maxBytes,
            @ConfigProperty(name = "dlq.original-prefix-bytes") int deadLetterPrefixBytes,
            @ConfigProperty(name = "kafka.producer.max-request-size") int maxRequestSize) {
        if (maxBytes + RECORD_OVERHEAD >= maxRequestSize) {
            throw new IllegalStateException("outcomes.max-bytes (" + maxBytes + ") must stay below the producer's "
                    + "kafka.producer.max-request-size (" + maxRequestSize + ") by at least " + RECORD_OVERHEAD + " bytes");
        }
        if (maxBytes <= 2 * HEADROOM) {
            throw new IllegalStateException("outcomes.max-bytes (" + maxBytes + ") must be larger than " + 2 * HEADROOM);
        }
        if (deadLetterPrefixBytes < 0 || deadLetterPrefixBytes > maxBytes - HEADROOM) {
            throw new IllegalStateException("dlq.original-prefix-bytes (" + deadLetterPrefixBytes
                    + ") must be between 0 and outcomes.max-bytes - " + HEADROOM);
        }
        this.maxBytes = maxBytes;
        this.deadLetterPrefixBytes = deadLetterPrefixBytes;
    }

    /** The whole budget of one record: value, key and headers. */
    public int maxBytes() {
        return maxBytes;
    }

    /** What a record's value may take, leaving {@link #HEADROOM} for its key and headers. */
    public int valueBytes() {
        return maxBytes - HEADROOM;
    }

    /** How much of a record too large to carry whole a dead letter keeps. */
    public int deadLetterPrefixBytes() {
        return deadLetterPrefixBytes;
    }

    /** The record's size as the producer counts it, near enough: value, key, and every header that would be sent. */
    public int recordBytes(Message message) {
        int size = length(message.getBody()) + length(message.getHeader(KafkaConstants.KEY));
        for (Map.Entry<String, Object> header : message.getHeaders().entrySet()) {
            if (!header.getKey().startsWith("kafka.")) {
                size += header.getKey().length() + length(header.getValue());
            }
        }
        return size;
    }

    public boolean fits(Message message) {
        return recordBytes(message) <= maxBytes;
    }

    private static int length(Object value) {
        if (value == null) {
            return 0;
        }
        if (value instanceof byte[] bytes) {
            return bytes.length;
        }
        return value.toString().getBytes(StandardCharsets.UTF_8).length;
    }
}
