package io.github.taniumroutes.metrics;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.camel.CamelContext;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.component.kafka.KafkaConfiguration;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.github.taniumroutes.tanium.TaniumSettings;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

/**
 * The lag of each of this application's consumer groups ({@code kafka.consumer.group.lag{group}}):
 * the records of the group's topic not yet committed by it, summed over the topic's partitions. A
 * partition the group never committed counts from its earliest record, where the group would start
 * (auto.offset.reset=earliest). Computed by the route consumer-group-lag every
 * {@code metrics.consumer-lag.interval-ms} with Kafka's Admin client: per refresh, one topic description,
 * one committed-offsets request per group and two offset listings, whatever the load. Every replica
 * reports the same group totals (read them with max by group). camel-kafka creates its consumers
 * where the application cannot bind Kafka's own client metrics to them, and those would be per
 * client and partition.
 */
@ApplicationScoped
@Named("consumerGroupLag")
public class ConsumerGroupLag {

    private static final Logger LOG = Logger.getLogger(ConsumerGroupLag.class);
    private static final long TIMEOUT_SECONDS = 10;

    private final MeterRegistry meters;
    private final CamelContext camel;
    /** Group id to the topic it reads. */
    private final Map<String, String> groups = new LinkedHashMap<>();
    private final Map<String, Long> lags = new ConcurrentHashMap<>();
    private final Set<String> failing = ConcurrentHashMap.newKeySet();
    private Admin admin;

    @Inject
    public ConsumerGroupLag(MeterRegistry meters, CamelContext camel, TaniumSettings settings,
            @ConfigProperty(name = "alerts.consumer-group") String alertsGroup, @ConfigProperty(name = "alerts.topic") String alertsTopic,
            @ConfigProperty(name = "alerts.held.consumer-group") String heldGroup,
            @ConfigProperty(name = "alerts.held.topic-prefix") String heldPrefix,
            @ConfigProperty(name = "investigations.consumer-group") String investigationsGroup,
            @ConfigProperty(name = "investigations.topic") String investigationsTopic) {
        this.meters = meters;
        this.camel = camel;
        groups.put(alertsGroup, alertsTopic);
        // The same names HeldAlertIntakes gives each server's held-alert intake.
        settings.servers().keySet().stream().sorted().forEach(server -> groups.put(heldGroup + "-" + server, heldPrefix + server));
        groups.put(investigationsGroup, investigationsTopic);
    }

    /** Refreshes every group's lag; a group whose topic or offsets cannot be read keeps its last value and is logged once. */
    public synchronized void refresh() {
        Admin client;
        try {
            client = admin();
        } catch (RuntimeException e) {
            warnOnce("admin", "cannot create the Kafka Admin client that reads consumer lag: " + e);
            return;
        }
        Map<String, List<TopicPartition>> partitions = partitions(client);
        Map<TopicPartition, OffsetSpec> earliestSpec = new HashMap<>();
        Map<TopicPartition, OffsetSpec> latestSpec = new HashMap<>();
        partitions.values().forEach(tps -> tps.forEach(tp -> {
            earliestSpec.put(tp, OffsetSpec.earliest());
            latestSpec.put(tp, OffsetSpec.latest());
        }));
        if (partitions.isEmpty()) {
            return;
        }
        Map<TopicPartition, Long> earliest;
        Map<TopicPartition, Long> latest;
        try {
            earliest = offsets(client.listOffsets(earliestSpec).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            latest = offsets(client.listOffsets(latestSpec).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        } catch (Exception e) {
            warnOnce("offsets", "cannot list the topics' offsets for consumer lag: " + e);
            return;
        }
        for (Map.Entry<String, String> group : groups.entrySet()) {
            List<TopicPartition> topicPartitions = partitions.get(group.getValue());
            if (topicPartitions == null) {
                continue;
            }
            try {
                Map<TopicPartition, OffsetAndMetadata> committed = client.listConsumerGroupOffsets(group.getKey())
                        .partitionsToOffsetAndMetadata().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                record(group.getKey(), lag(topicPartitions, committed.entrySet().stream().filter(e -> e.getValue() != null)
                        .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset())), earliest, latest));
                failing.remove(group.getKey());
            } catch (Exception e) {
                warnOnce(group.getKey(), "cannot read the committed offsets of consumer group " + group.getKey() + ": " + e);
            }
        }
    }

    /**
     * The records of {@code partitions} after the group's position: committed offset (else the
     * earliest record) to the end, never below zero (a committed offset past a truncated end).
     */
    static long lag(List<TopicPartition> partitions, Map<TopicPartition, Long> committed, Map<TopicPartition, Long> earliest,
            Map<TopicPartition, Long> latest) {
        long lag = 0;
        for (TopicPartition partition : partitions) {
            long end = latest.getOrDefault(partition, 0L);
            long position = committed.getOrDefault(partition, earliest.getOrDefault(partition, end));
            lag += Math.max(0, end - position);
        }
        return lag;
    }

    private void record(String group, long lag) {
        if (lags.put(group, lag) == null) {
            Gauge.builder("kafka.consumer.group.lag", lags, l -> l.getOrDefault(group, 0L))
                    .description("Records of the group's topic not yet committed by it (every replica reports the same)")
                    .tag("group", group).register(meters);
        }
    }

    private Map<String, List<TopicPartition>> partitions(Admin client) {
        Map<String, List<TopicPartition>> partitions = new HashMap<>();
        for (String topic : Set.copyOf(groups.values())) {
            try {
                TopicDescription description = client.describeTopics(List.of(topic)).topicNameValues().get(topic)
                        .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                partitions.put(topic, description.partitions().stream().map(p -> new TopicPartition(topic, p.partition())).toList());
                failing.remove("topic " + topic);
            } catch (Exception e) {
                // A held topic that was never created has no lag to report.
                warnOnce("topic " + topic, "cannot describe topic " + topic + " for consumer lag: " + e);
            }
        }
        return partitions;
    }

    private static Map<TopicPartition, Long> offsets(Map<TopicPartition, ListOffsetsResultInfo> infos) {
        return infos.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    private void warnOnce(String key, String message) {
        if (failing.add(key)) {
            LOG.warn(message);
        } else {
            LOG.debug(message);
        }
    }

    /** An Admin client with the Kafka component's connection settings (brokers, TLS, SASL), so it reaches the brokers the consumers do. */
    private Admin admin() {
        if (admin == null) {
            KafkaConfiguration configuration = camel.getComponent("kafka", KafkaComponent.class).getConfiguration();
            Properties properties = new Properties();
            Set<String> adminKeys = AdminClientConfig.configNames();
            configuration.createConsumerProperties().forEach((key, value) -> {
                if (adminKeys.contains(String.valueOf(key))) {
                    properties.put(key, value);
                }
            });
            properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, configuration.getBrokers());
            properties.put(AdminClientConfig.CLIENT_ID_CONFIG, "tanium-response-routes-lag");
            admin = Admin.create(properties);
        }
        return admin;
    }

    @PreDestroy
    synchronized void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(1));
            admin = null;
        }
    }
}
