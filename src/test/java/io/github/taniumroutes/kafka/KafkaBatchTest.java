package io.github.taniumroutes.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class KafkaBatchTest {

    private final CamelContext context = new DefaultCamelContext();
    private final KafkaBatch batch = new KafkaBatch();
    private final List<String> committed = new ArrayList<>();

    @AfterEach
    void closeContext() throws Exception {
        context.close();
    }

    /** Records which offset was committed; Camel's real one commits the record's partition up to its offset. */
    private record FakeCommit(String name, List<String> log) implements KafkaManualCommit {
        @Override
        public void commit() {
            log.add(name);
        }
    }

    private Exchange record(String topic, int partition, long offset, String body) {
        Exchange exchange = new DefaultExchange(context);
        exchange.getMessage().setBody(body);
        exchange.getMessage().setHeader(KafkaConstants.TOPIC, topic);
        exchange.getMessage().setHeader(KafkaConstants.PARTITION, partition);
        exchange.getMessage().setHeader(KafkaConstants.OFFSET, offset);
        exchange.getMessage().setHeader(KafkaConstants.MANUAL_COMMIT, new FakeCommit(topic + "/" + partition + "@" + offset, committed));
        return exchange;
    }

    @Test
    void recordsAreTheBatchMessagesInOrder() {
        List<Exchange> exchanges = List.of(record("alerts", 0, 10, "a"), record("alerts", 1, 3, "b"), record("alerts", 0, 11, "c"));

        List<Message> messages = batch.records(exchanges);

        assertThat(messages).extracting(Message::getBody).containsExactly("a", "b", "c");
        assertThat(messages).extracting(m -> m.getHeader(KafkaConstants.OFFSET)).containsExactly(10L, 3L, 11L);
    }

    @Test
    void recordsAreCopiesSoRoutesCannotTouchTheCommitHandle() {
        Exchange original = record("alerts", 0, 10, "a");

        Message copy = batch.records(List.of(original)).get(0);
        assertThat(copy).isNotSameAs(original.getMessage());
        copy.removeHeaders("*");
        copy.setBody("changed");

        assertThat(original.getMessage().getHeader(KafkaConstants.MANUAL_COMMIT)).isInstanceOf(FakeCommit.class);
        assertThat(original.getMessage().getHeader(KafkaConstants.TOPIC)).isEqualTo("alerts");
        assertThat(original.getMessage().getBody()).isEqualTo("a");
        assertThat(batch.commit(List.of(original))).isEqualTo(1);
        assertThat(committed).containsExactly("alerts/0@10");
    }

    @Test
    void commitCommitsTheLastRecordOfEachPartition() {
        List<Exchange> exchanges = List.of(
                record("alerts", 0, 10, "a"), record("alerts", 1, 3, "b"), record("alerts", 0, 11, "c"),
                record("alerts", 2, 7, "d"), record("alerts", 1, 4, "e"), record("alerts", 0, 12, "f"));

        int partitions = batch.commit(exchanges);

        assertThat(partitions).isEqualTo(3);
        assertThat(committed).containsExactly("alerts/0@12", "alerts/1@4", "alerts/2@7");
    }

    @Test
    void samePartitionNumberOnAnotherTopicIsAnotherPartition() {
        List<Exchange> exchanges = List.of(record("alerts", 0, 5, "a"), record("alerts-eu", 0, 9, "b"), record("alerts", 0, 6, "c"));

        assertThat(batch.commit(exchanges)).isEqualTo(2);
        assertThat(committed).containsExactlyInAnyOrder("alerts/0@6", "alerts-eu/0@9");
    }

    @Test
    void topicAndPartitionThatLookAlikeWhenJoinedStayApart() {
        List<Exchange> exchanges = List.of(record("a-1", 2, 1, "x"), record("a", 12, 1, "y"), record("a-12", 0, 1, "z"));

        assertThat(batch.commit(exchanges)).isEqualTo(3);
        assertThat(committed).containsExactly("a-1/2@1", "a/12@1", "a-12/0@1");
    }

    @Test
    void emptyBatchCommitsNothing() {
        assertThat(batch.commit(List.of())).isEqualTo(0);
        assertThat(committed).isEmpty();
    }

    @Test
    void aRecordWithoutCommitHandleFailsTheWholeCommitBeforeAnythingIsCommitted() {
        Exchange withoutHandle = record("alerts", 1, 3, "b");
        withoutHandle.getMessage().removeHeader(KafkaConstants.MANUAL_COMMIT);

        assertThatThrownBy(() -> batch.commit(List.of(record("alerts", 0, 10, "a"), withoutHandle)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("allowManualCommit=true");
        assertThat(committed).isEmpty();
    }
}
