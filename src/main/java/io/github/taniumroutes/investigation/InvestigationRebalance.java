package io.github.taniumroutes.investigation;

import java.util.Collection;
import java.util.List;

import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.support.subcription.DefaultSubscribeAdapter;
import org.apache.camel.component.kafka.consumer.support.subcription.SubscribeAdapter;
import org.apache.camel.component.kafka.consumer.support.subcription.TopicInfo;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/**
 * camel-kafka's hook for subscribing ({@value KafkaConstants#KAFKA_SUBSCRIBE_ADAPTER} in the registry):
 * for the investigations topic it adds our rebalance listener to Camel's own, so that this instance
 * resumes the investigations of every request partition it is assigned and lets go of those it loses.
 * Other topics subscribe exactly as Camel's default adapter does.
 */
@Singleton
@Named(KafkaConstants.KAFKA_SUBSCRIBE_ADAPTER)
public class InvestigationRebalance implements SubscribeAdapter {

    private final String requestsTopic;
    private final InvestigationRegistry registry;

    @Inject
    public InvestigationRebalance(@ConfigProperty(name = "investigations.topic") String requestsTopic,
            InvestigationRegistry registry) {
        this.requestsTopic = requestsTopic;
        this.registry = registry;
    }

    @Override
    public void subscribe(Consumer<?, ?> consumer, ConsumerRebalanceListener camelListener, TopicInfo topicInfo) {
        boolean investigations = !topicInfo.isPattern() && topicInfo.getTopics().contains(requestsTopic);
        new DefaultSubscribeAdapter().subscribe(consumer, investigations ? new Listener(camelListener) : camelListener, topicInfo);
    }

    private final class Listener implements ConsumerRebalanceListener {
        private final ConsumerRebalanceListener camel;

        Listener(ConsumerRebalanceListener camel) {
            this.camel = camel;
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            registry.revoked(ours(partitions));
            camel.onPartitionsRevoked(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            camel.onPartitionsAssigned(partitions);
            registry.assigned(ours(partitions));
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            registry.revoked(ours(partitions));
            camel.onPartitionsLost(partitions);
        }

        private List<Integer> ours(Collection<TopicPartition> partitions) {
            return partitions.stream().filter(tp -> tp.topic().equals(requestsTopic)).map(TopicPartition::partition).toList();
        }
    }
}
