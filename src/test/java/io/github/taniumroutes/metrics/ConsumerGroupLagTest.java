package io.github.taniumroutes.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class ConsumerGroupLagTest {

    private static final TopicPartition P0 = new TopicPartition("alerts", 0);
    private static final TopicPartition P1 = new TopicPartition("alerts", 1);
    private static final TopicPartition P2 = new TopicPartition("alerts", 2);

    @Test
    void lagIsWhatIsAfterTheCommittedOffsetSummedOverPartitions() {
        assertThat(ConsumerGroupLag.lag(List.of(P0, P1), Map.of(P0, 10L, P1, 5L), Map.of(P0, 0L, P1, 0L), Map.of(P0, 25L, P1, 5L)))
                .isEqualTo(15);
    }

    @Test
    void aPartitionNeverCommittedCountsFromItsEarliestRecord() {
        // auto.offset.reset=earliest: the group starts at the first record still there.
        assertThat(ConsumerGroupLag.lag(List.of(P0, P2), Map.of(P0, 3L), Map.of(P0, 0L, P2, 40L), Map.of(P0, 3L, P2, 100L)))
                .isEqualTo(60);
    }

    @Test
    void aCommittedOffsetPastATruncatedEndIsNoNegativeLag() {
        assertThat(ConsumerGroupLag.lag(List.of(P0), Map.of(P0, 50L), Map.of(P0, 0L), Map.of(P0, 20L))).isZero();
    }
}
