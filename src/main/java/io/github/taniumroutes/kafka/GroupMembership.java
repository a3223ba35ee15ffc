package io.github.taniumroutes.kafka;

import java.time.Duration;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

import org.apache.camel.component.kafka.DefaultKafkaClientFactory;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.CloseOptions.GroupMembershipOperation;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/**
 * How this instance's Kafka consumers are members of their groups (the Kafka component's client factory,
 * {@code camel.component.kafka.kafka-client-factory}).
 * <p>
 * With {@code kafka.consumer.instance-id} set (the pod name), every consumer is a <em>static</em> member:
 * a restarted pod comes back under the same {@code group.instance.id}s and takes its partitions back at
 * once, instead of waiting for the dead member's session to time out. camel-kafka gives every one of a
 * route's {@code consumersCount} consumers the same properties, and two members with one instance id fence
 * each other, so the id is made here, per consumer: {@code <instance-id>-<n>}, n the lowest number its
 * group does not use in this instance. A consumer gives its number back when it is closed, so a consumer
 * that is restarted (a failed batch, a paused intake) or a restarted pod uses the same ids again. Without
 * the setting every consumer is a dynamic member, as Kafka's default.
 * <p>
 * A static member does not leave its group when it is closed; on a graceful shutdown ({@link #leaveGroups})
 * every consumer leaves explicitly (Kafka's {@code CloseOptions} LEAVE_GROUP), so its partitions move to
 * the other replicas at once: a replacement pod of a Deployment has another name. Closing waits at most
 * {@code kafka.consumer.close-timeout}, so a shutdown stays within Kubernetes' grace period even when the
 * broker does not answer.
 */
@Singleton
@Named("groupMembership")
public class GroupMembership extends DefaultKafkaClientFactory {

    private static final Logger LOG = Logger.getLogger(GroupMembership.class);
    /** Kafka's rule for a group.instance.id (JoinGroupRequest.validateGroupInstanceId), less room for the suffix. */
    private static final Pattern LEGAL = Pattern.compile("[a-zA-Z0-9._-]{1,240}");

    private final String instanceId;
    private final Duration closeTimeout;
    private final Map<String, BitSet> inUse = new HashMap<>();
    private final AtomicBoolean leaving = new AtomicBoolean();

    @Inject
    public GroupMembership(@ConfigProperty(name = "kafka.consumer.instance-id") Optional<String> instanceId,
            @ConfigProperty(name = "kafka.consumer.close-timeout") Duration closeTimeout) {
        this.instanceId = instanceId.map(String::strip).filter(id -> !id.isEmpty()).orElse(null);
        if (this.instanceId != null && !LEGAL.matcher(this.instanceId).matches()) {
            throw new IllegalArgumentException("kafka.consumer.instance-id (POD_NAME) must be 1 to 240 of a-z, A-Z, 0-9, '.', '_' and '-'");
        }
        this.closeTimeout = closeTimeout;
    }

    /** Whether the consumers are static members. */
    public boolean isStatic() {
        return instanceId != null;
    }

    /** From now on, a consumer that is closed leaves its group, static or not: the instance is going away. */
    public void leaveGroups() {
        if (leaving.compareAndSet(false, true) && isStatic()) {
            LOG.infof("static members %s-* leave their consumer groups as they close", instanceId);
        }
    }

    boolean isLeaving() {
        return leaving.get();
    }

    @Override
    public Consumer getConsumer(Properties kafkaProps) {
        if (!isStatic()) {
            return new MemberConsumer(kafkaProps, this, null, -1);
        }
        // camel-kafka hands the same properties again when the consumer reconnects: the id is set on a copy.
        Properties props = new Properties();
        props.putAll(kafkaProps);
        String group = props.getProperty(ConsumerConfig.GROUP_ID_CONFIG);
        int number = take(group);
        props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId + "-" + number);
        try {
            return new MemberConsumer(props, this, group, number);
        } catch (RuntimeException e) {
            give(group, number);
            throw e;
        }
    }

    /** The lowest consumer number of the group not in use here. */
    synchronized int take(String group) {
        BitSet numbers = inUse.computeIfAbsent(group, g -> new BitSet());
        int number = numbers.nextClearBit(0);
        numbers.set(number);
        return number;
    }

    synchronized void give(String group, int number) {
        BitSet numbers = inUse.get(group);
        if (numbers != null) {
            numbers.clear(number);
        }
    }

    /** A consumer that closes within the timeout, leaves its group on shutdown, and gives its number back. */
    static final class MemberConsumer extends KafkaConsumer<Object, Object> {

        private final GroupMembership membership;
        private final String group;
        private final int number;
        private final AtomicBoolean closed = new AtomicBoolean();

        MemberConsumer(Properties props, GroupMembership membership, String group, int number) {
            super(props);
            this.membership = membership;
            this.group = group;
            this.number = number;
        }

        /**
         * camel-kafka unsubscribes before it closes; for a static member that resets its membership without
         * leaving, and the close could then not leave either. On shutdown the close does both.
         */
        @Override
        public void unsubscribe() {
            if (!membership.isLeaving()) {
                super.unsubscribe();
            }
        }

        @Override
        public void close() {
            close(CloseOptions.timeout(membership.closeTimeout));
        }

        @Override
        public void close(Duration timeout) {
            close(CloseOptions.timeout(timeout));
        }

        @Override
        public void close(CloseOptions options) {
            try {
                super.close(membership.isLeaving() ? options.withGroupMembershipOperation(GroupMembershipOperation.LEAVE_GROUP) : options);
            } finally {
                if (number >= 0 && closed.compareAndSet(false, true)) {
                    membership.give(group, number);
                }
            }
        }
    }
}
