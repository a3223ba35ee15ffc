package io.github.taniumroutes.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

class AnsweredRecordsTest {

    private final DefaultCamelContext camel = new DefaultCamelContext();
    private final AnsweredRecords answered = new AnsweredRecords(1_000_000, Duration.ofMinutes(5));
    private final RecordSource source = new RecordSource("alerts", 2, 41);

    private Exchange outcome(String body) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setBody(body);
        exchange.getMessage().setHeader("alertId", "a-1");
        return exchange;
    }

    @Test
    void aRecordReadAgainGetsTheOutcomeItHadWithItsHeaders() {
        assertThat(answered.answered(source)).isFalse();
        answered.remember(source, outcome("{\"outcome\":\"enriched\"}"));

        Exchange again = outcome("raw bytes read again");
        again.getMessage().removeHeader("alertId");
        assertThat(answered.answered(source)).isTrue();
        answered.replay(source, again);

        assertThat(again.getMessage().getBody()).isEqualTo("{\"outcome\":\"enriched\"}");
        assertThat(again.getMessage().getHeader("alertId")).isEqualTo("a-1");
        assertThat(answered.answered(new RecordSource("alerts", 2, 42))).isFalse();
        assertThat(answered.answered(new RecordSource("alerts", 1, 41))).isFalse();
    }

    @Test
    void aCommittedBatchIsForgotten() {
        answered.remember(source, outcome("{}"));
        Exchange record = new DefaultExchange(camel);
        record.getMessage().setHeader(KafkaConstants.TOPIC, "alerts");
        record.getMessage().setHeader(KafkaConstants.PARTITION, 2);
        record.getMessage().setHeader(KafkaConstants.OFFSET, 41L);

        answered.committed(List.of(record));

        assertThat(answered.answered(source)).isFalse();
        assertThatThrownBy(() -> answered.replay(source, outcome("x"))).hasMessageContaining("alerts-2@41");
    }

    @Test
    void whatIsRememberedIsBoundedInBytes() {
        AnsweredRecords small = new AnsweredRecords(10_000, Duration.ofMinutes(5));
        for (int offset = 0; offset < 100; offset++) {
            small.remember(new RecordSource("alerts", 0, offset), outcome("x".repeat(1_000)));
        }
        assertThat(small.size()).isLessThanOrEqualTo(10);
    }
}
