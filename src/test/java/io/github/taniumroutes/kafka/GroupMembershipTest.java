package io.github.taniumroutes.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import java.util.Properties;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

/** Which group.instance.id each consumer gets (no broker is needed to make and close a consumer). */
class GroupMembershipTest {

    private static Properties props(String group) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1");
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return props;
    }

    private static String instanceId(Consumer<?, ?> consumer) {
        return consumer.groupMetadata().groupInstanceId().orElse(null);
    }

    @Test
    void eachConsumerOfAGroupIsADistinctStaticMemberAndAClosedOnesIdIsUsedAgain() {
        GroupMembership membership = new GroupMembership(Optional.of("routes-7f9c-abcde"), Duration.ofSeconds(1));
        Properties alerts = props("alerts");
        Consumer<?, ?> first = membership.getConsumer(alerts);
        Consumer<?, ?> second = membership.getConsumer(alerts);
        Consumer<?, ?> third = membership.getConsumer(alerts);
        Consumer<?, ?> otherGroup = membership.getConsumer(props("investigations"));
        try {
            assertThat(first).isInstanceOf(KafkaConsumer.class);
            assertThat(instanceId(first)).isEqualTo("routes-7f9c-abcde-0");
            assertThat(instanceId(second)).isEqualTo("routes-7f9c-abcde-1");
            assertThat(instanceId(third)).isEqualTo("routes-7f9c-abcde-2");
            assertThat(instanceId(otherGroup)).as("numbered per group").isEqualTo("routes-7f9c-abcde-0");
            assertThat(alerts).as("camel-kafka's properties, handed again on a reconnect, are left as they were")
                    .doesNotContainKey(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);

            second.close();
            second.close();
            Consumer<?, ?> restarted = membership.getConsumer(alerts);
            assertThat(instanceId(restarted)).as("a restarted consumer takes the number given back").isEqualTo("routes-7f9c-abcde-1");
            Consumer<?, ?> fourth = membership.getConsumer(alerts);
            assertThat(instanceId(fourth)).as("closing twice gave the number back once").isEqualTo("routes-7f9c-abcde-3");
            restarted.close();
            fourth.close();
        } finally {
            first.close();
            third.close();
            otherGroup.close();
        }
    }

    @Test
    void withoutAnInstanceIdEveryConsumerIsADynamicMember() {
        GroupMembership membership = new GroupMembership(Optional.of("  "), Duration.ofSeconds(1));
        assertThat(membership.isStatic()).isFalse();
        try (Consumer<?, ?> consumer = membership.getConsumer(props("alerts"))) {
            assertThat(instanceId(consumer)).isNull();
        }
        assertThat(new GroupMembership(Optional.empty(), Duration.ofSeconds(1)).isStatic()).isFalse();
    }

    @Test
    void anInstanceIdKafkaWouldRefuseStopsTheStart() {
        assertThatThrownBy(() -> new GroupMembership(Optional.of("pod name/with spaces"), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("POD_NAME");
    }
}
