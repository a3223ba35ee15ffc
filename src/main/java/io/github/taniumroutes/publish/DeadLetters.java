package io.github.taniumroutes.publish;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Variable;
import org.apache.camel.component.kafka.KafkaConstants;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.github.taniumroutes.alert.AlertParser;
import io.github.taniumroutes.alert.CanonicalAlert;
import io.github.taniumroutes.alert.InvalidAlertException;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/**
 * What a dead-letter record says and carries. Invalid alerts carry their own reason code; anything
 * else is an internal error named by its type, with a bounded message. The value is the original
 * record's bytes when they fit the outcome budget, else their first {@code dlq.original-prefix-bytes}
 * (header {@code dlqTruncated}); either way its size and SHA-256 go along, with the topic, partition
 * and offset it was read from, so the original can still be found and checked.
 */
@Singleton
@Named("deadLetters")
public class DeadLetters {

    public static final String OUTCOME_TOO_LARGE = "outcome_too_large";
    private static final int MAX_DETAIL = 500;
    /** A key longer than this is replaced by its SHA-256: the dead letter must fit, and a key is no place for content. */
    static final int MAX_KEY_BYTES = 1024;

    private final OutcomeBudget budget;
    private final String deadLetterTopic;

    /** With the default budget, for tests. */
    public DeadLetters() {
        this(new OutcomeBudget(921_600, 65_536, 1_048_576), "alerts-dlq");
    }

    @Inject
    public DeadLetters(OutcomeBudget budget, @ConfigProperty(name = "dlq.topic") String deadLetterTopic) {
        this.budget = budget;
        this.deadLetterTopic = deadLetterTopic;
    }

    public String reason(Throwable failure) {
        return failure instanceof InvalidAlertException invalid ? invalid.reason() : "internal_error";
    }

    /** The alert id when known: from the parsed alert, or from the parser's own exception. */
    public String alertId(Throwable failure, CanonicalAlert alert) {
        if (alert != null) {
            return alert.id();
        }
        return failure instanceof InvalidAlertException invalid ? invalid.alertId() : null;
    }

    public String detail(Throwable failure) {
        if (failure == null) {
            return "unknown failure";
        }
        String message = failure.getMessage();
        String detail = failure instanceof InvalidAlertException
                ? message
                : failure.getClass().getSimpleName() + (message == null ? "" : ": " + message);
        return bounded(detail);
    }

    /** The original bytes if they fit a dead letter whole, else their prefix. */
    public byte[] value(@Variable("rawValue") byte[] original) {
        if (original == null || carriesWhole(original)) {
            return original;
        }
        return Arrays.copyOf(original, budget.deadLetterPrefixBytes());
    }

    /** "true" when the dead letter carries only a prefix of the original (a header value, so text). */
    public String truncated(@Variable("rawValue") byte[] original) {
        return String.valueOf(!carriesWhole(original));
    }

    private boolean carriesWhole(byte[] original) {
        return original == null || original.length <= budget.valueBytes();
    }

    public String originalBytes(@Variable("rawValue") byte[] original) {
        return String.valueOf(original == null ? 0 : original.length);
    }

    public String originalSha256(@Variable("rawValue") byte[] original) {
        return AlertParser.sha256(original == null ? new byte[0] : original);
    }

    /** The original key, unless it is too long to carry: then "sha256:" and its hash. */
    public byte[] key(@Variable("recordKey") byte[] key) {
        if (key == null || key.length <= MAX_KEY_BYTES) {
            return key;
        }
        return ("sha256:" + AlertParser.sha256(key)).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The last guard before Kafka: an outgoing record (result, audit record, investigation request)
     * that would not fit the budget is replaced by a dead letter, reason {@value #OUTCOME_TOO_LARGE},
     * carrying the start of what could not be sent, so the batch can still be committed.
     */
    public List<Message> replaceOversized(List<Message> outgoing) {
        List<Message> fitting = new ArrayList<>(outgoing.size());
        for (Message record : outgoing) {
            fitting.add(budget.fits(record) ? record : deadLetterFor(record, "the record for topic "
                    + record.getHeader(KafkaConstants.OVERRIDE_TOPIC) + " is " + budget.recordBytes(record)
                    + " bytes with key and headers; the limit (outcomes.max-bytes) is " + budget.maxBytes()));
        }
        return fitting;
    }

    /**
     * Replaces the exchange's outgoing record, which Kafka refused as too large (its topic's
     * max.message.bytes is below the budget), by its dead letter.
     */
    public void refused(Exchange exchange) {
        Message record = exchange.getMessage();
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        while (failure != null && failure.getCause() != null && !(failure instanceof org.apache.kafka.common.KafkaException)) {
            failure = failure.getCause();
        }
        // The producer has already taken the topic header off the record it sent.
        Object topic = record.getHeader(KafkaConstants.OVERRIDE_TOPIC);
        exchange.setMessage(deadLetterFor(record, "Kafka refused the record" + (topic == null ? "" : " for topic " + topic)
                + " (" + budget.recordBytes(record) + " bytes): "
                + (failure == null ? "too large" : failure.getClass().getSimpleName() + ": " + failure.getMessage())));
    }

    private Message deadLetterFor(Message record, String detail) {
        Object body = record.getBody();
        byte[] value = body instanceof byte[] bytes ? bytes : body == null ? null : body.toString().getBytes(StandardCharsets.UTF_8);
        Message deadLetter = record.copy();
        deadLetter.getHeaders().clear();
        deadLetter.setHeader("dlqReason", OUTCOME_TOO_LARGE);
        deadLetter.setHeader("dlqDetail", bounded(detail));
        deadLetter.setHeader("dlqStep", "publish");
        String alertId = record.getHeader("alertId", String.class);
        if (alertId != null) {
            deadLetter.setHeader("alertId", bounded(alertId));
        }
        deadLetter.setHeader("dlqOriginalBytes", originalBytes(value));
        deadLetter.setHeader("dlqOriginalSha256", originalSha256(value));
        deadLetter.setHeader("dlqTruncated", "true");
        deadLetter.setHeader(KafkaConstants.KEY, key(record.getHeader(KafkaConstants.KEY, byte[].class)));
        deadLetter.setHeader(KafkaConstants.OVERRIDE_TOPIC, deadLetterTopic);
        deadLetter.setBody(value == null ? null : Arrays.copyOf(value, Math.min(value.length, budget.deadLetterPrefixBytes())));
        return deadLetter;
    }

    private static String bounded(String detail) {
        return detail.length() > MAX_DETAIL ? detail.substring(0, MAX_DETAIL) + "…" : detail;
    }
}
