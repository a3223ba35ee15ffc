package io.github.taniumroutes.kafka;

import java.util.Collection;
import java.util.List;

import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.support.subcription.DefaultSubscribeAdapter;
import org.apache.camel.component.kafka.consumer.support.subcription.SubscribeAdapter;
import org.apache.camel.component.kafka.consumer.support.subcription.TopicInfo;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.common.TopicPartition;

import io.quarkus.arc.All;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/**
 * camel-kafka's hook for subscribing ({@value KafkaConstants#KAFKA_SUBSCRIBE_ADAPTER} in the registry):
 * for a topic that has a {@link PartitionOwner} it adds the owner to Camel's own rebalance listener, so
 * the owner knows which of the topic's partitions this instance has. Other topics subscribe exactly as
 * Camel's default adapter does.
 */
@Singleton
@Named(KafkaConstants.KAFKA_SUBSCRIBE_ADAPTER)
public class PartitionOwners implements SubscribeAdapter {

    private final List<PartitionOwner> owners;

    @Inject
    public PartitionOwners(@All List<PartitionOwner> owners) {
        this.owners = List.copyOf(owners);
    }

    @Override
    public void subscribe(Consumer<?, ?> consumer, ConsumerRebalanceListener camelListener, TopicInfo topicInfo) {
        PartitionOwner owner = topicInfo.isPattern() ? null
                : owners.stream().filter(o -> topicInfo.getTopics().contains(o.topic())).findFirst().orElse(null);
        new DefaultSubscribeAdapter().subscribe(consumer, owner == null ? camelListener : new Listener(owner, camelListener), topicInfo);
    }

    private static final class Listener implements ConsumerRebalanceListener {
        private final PartitionOwner owner;
        private final ConsumerRebalanceListener camel;

        Listener(PartitionOwner owner, ConsumerRebalanceListener camel) {
            this.owner = owner;
            this.camel = camel;
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            owner.revoked(ours(partitions));
            camel.onPartitionsRevoked(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            camel.onPartitionsAssigned(partitions);
            owner.assigned(ours(partitions));
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            owner.revoked(ours(partitions));
            camel.onPartitionsLost(partitions);
        }

        private List<Integer> ours(Collection<TopicPartition> partitions) {
            return partitions.stream().filter(tp -> tp.topic().equals(owner.topic())).map(TopicPartition::partition).toList();
        }
    }
}
