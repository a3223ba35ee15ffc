package io.github.taniumroutes.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultMessage;
import org.junit.jupiter.api.Test;

import io.github.taniumroutes.alert.AlertParser;

/** Every outgoing record fits: dead letters carry a bounded prefix, and a record over budget becomes one. */
class OutcomeBudgetTest {

    private static final int MAX = 10_000;
    private final OutcomeBudget budget = new OutcomeBudget(MAX, 2_000, 1_048_576);
    private final DeadLetters deadLetters = new DeadLetters(budget, "alerts-dlq");
    private final DefaultCamelContext camel = new DefaultCamelContext();

    private Message record(String topic, String key, String body) {
        Message message = new DefaultMessage(camel);
        message.setBody(body);
        message.setHeader(KafkaConstants.KEY, key.getBytes(StandardCharsets.UTF_8));
        message.setHeader(KafkaConstants.OVERRIDE_TOPIC, topic);
        message.setHeader("alertId", "alert-7");
        message.setHeader("outcome", "enriched");
        return message;
    }

    @Test
    void theBudgetMustStayBelowTheProducersRequestSize() {
        assertThatThrownBy(() -> new OutcomeBudget(1_048_576, 65_536, 1_048_576)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("outcomes.max-bytes").hasMessageContaining("kafka.producer.max-request-size");
        assertThatThrownBy(() -> new OutcomeBudget(100_000, 99_000, 1_048_576)).hasMessageContaining("dlq.original-prefix-bytes");
    }

    @Test
    void aRecordIsMeasuredWithItsKeyAndHeaders() {
        Message message = record("alert-results", "1001", "x".repeat(100));
        assertThat(budget.recordBytes(message)).isEqualTo(100 + 4 + "alertId".length() + 7 + "outcome".length() + 8);
    }

    @Test
    void anOriginalThatFitsIsCarriedWholeAndOneByteMoreOnlyAsAPrefix() {
        byte[] fits = new byte[budget.valueBytes()];
        byte[] tooLarge = new byte[budget.valueBytes() + 1];
        tooLarge[0] = 'a';

        assertThat(deadLetters.value(fits)).isSameAs(fits);
        assertThat(deadLetters.truncated(fits)).isEqualTo("false");
        assertThat(deadLetters.value(tooLarge)).hasSize(2_000).startsWith((byte) 'a');
        assertThat(deadLetters.truncated(tooLarge)).isEqualTo("true");
        assertThat(deadLetters.originalBytes(tooLarge)).isEqualTo(String.valueOf(budget.valueBytes() + 1));
        assertThat(deadLetters.originalSha256(tooLarge)).isEqualTo(AlertParser.sha256(tooLarge));
    }

    @Test
    void aKeyTooLongForADeadLetterIsReplacedByItsHash() {
        byte[] longKey = "k".repeat(DeadLetters.MAX_KEY_BYTES + 1).getBytes(StandardCharsets.UTF_8);
        byte[] shortKey = "k".repeat(DeadLetters.MAX_KEY_BYTES).getBytes(StandardCharsets.UTF_8);

        assertThat(deadLetters.key(shortKey)).isSameAs(shortKey);
        assertThat(new String(deadLetters.key(longKey), StandardCharsets.UTF_8)).isEqualTo("sha256:" + AlertParser.sha256(longKey));
    }

    @Test
    void anOutgoingRecordOverTheBudgetBecomesABoundedDeadLetterAndTheOthersAreUntouched() {
        Message small = record("alert-results", "1001", "{}");
        String hugeBody = "y".repeat(MAX);
        Message huge = record("alert-results", "1002", hugeBody);

        List<Message> out = deadLetters.replaceOversized(List.of(small, huge));

        assertThat(out.get(0)).isSameAs(small);
        Message deadLetter = out.get(1);
        assertThat(deadLetter.getHeader(KafkaConstants.OVERRIDE_TOPIC)).isEqualTo("alerts-dlq");
        assertThat(deadLetter.getHeader("dlqReason")).isEqualTo("outcome_too_large");
        assertThat(deadLetter.getHeader("dlqStep")).isEqualTo("publish");
        assertThat(deadLetter.getHeader("alertId")).isEqualTo("alert-7");
        assertThat(deadLetter.getHeader("outcome")).isNull();
        assertThat((String) deadLetter.getHeader("dlqDetail")).contains("alert-results").contains("outcomes.max-bytes");
        assertThat(deadLetter.getHeader("dlqOriginalSha256")).isEqualTo(AlertParser.sha256(hugeBody));
        assertThat((byte[]) deadLetter.getBody()).hasSize(2_000);
        assertThat(budget.fits(deadLetter)).isTrue();
    }

    @Test
    void aRecordExactlyAtTheBudgetIsSentAndOneByteMoreIsNot() {
        Message probe = record("alert-results", "1001", "");
        int overhead = budget.recordBytes(probe);
        Message atBudget = record("alert-results", "1001", "z".repeat(MAX - overhead));
        Message overByOne = record("alert-results", "1001", "z".repeat(MAX - overhead + 1));

        assertThat(deadLetters.replaceOversized(List.of(atBudget)).get(0)).isSameAs(atBudget);
        assertThat(deadLetters.replaceOversized(List.of(overByOne)).get(0).getHeader("dlqReason")).isEqualTo("outcome_too_large");
    }
}
