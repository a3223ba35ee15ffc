package io.github.taniumroutes.devkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real Apache Kafka broker inside the JVM (KRaft, one combined broker+controller node), for
 * tests and the demo. Not part of the production artifact.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private final KafkaClusterTestKit cluster;
    private final int fixedPort;
    private final Path directory;

    private EmbeddedKafka(KafkaClusterTestKit cluster, int fixedPort, Path directory) {
        this.cluster = cluster;
        this.fixedPort = fixedPort;
        this.directory = directory;
    }

    /** A broker on free ports, reachable at {@link #bootstrapServers()}. */
    public static EmbeddedKafka start() throws Exception {
        return start(0);
    }

    /**
     * A broker that, when {@code fixedPort} is not 0, also listens on localhost:fixedPort, so that a
     * configuration written before it starts (the demo's) and outside tools can reach it.
     */
    public static EmbeddedKafka start(int fixedPort) throws Exception {
        // A directory of our own, deleted by close(): the test kit's default one is deleted by a JVM
        // shutdown hook that runs alongside the application's shutdown (Ctrl-C), under the running
        // broker, which then finds its log directory gone and halts the JVM.
        Path directory = Files.createTempDirectory("embedded-kafka-");
        TestKitNodes nodes = new TestKitNodes.Builder()
                .setBaseDirectory(directory)
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1)
                .build();
        KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes)
                .setConfigProp("auto.create.topics.enable", "false")
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("offsets.topic.num.partitions", "4")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0");
        if (fixedPort != 0) {
            // The test kit binds its own listeners to ports it picks; a third, named listener gets the fixed port.
            String broker = nodes.brokerListenerName().value();
            String controller = nodes.controllerListenerName().value();
            builder.setConfigProp("listeners", broker + "://localhost:0," + controller + "://localhost:0,FIXED://localhost:" + fixedPort)
                    .setConfigProp("listener.security.protocol.map", broker + ":PLAINTEXT," + controller + ":PLAINTEXT,FIXED:PLAINTEXT");
        }
        KafkaClusterTestKit cluster = builder.build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
        return new EmbeddedKafka(cluster, fixedPort, directory);
    }

    public String bootstrapServers() {
        return fixedPort != 0 ? "localhost:" + fixedPort : cluster.bootstrapServers();
    }

    public void createTopics(int partitions, List<String> names) throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(names.stream().map(n -> new NewTopic(n, partitions, (short) 1)).toList())
                    .all().get(30, TimeUnit.SECONDS);
        }
    }

    /** A compacted topic (one record per key survives), like the investigation journal needs. */
    public void createCompactedTopic(int partitions, String name) throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(Map.of("cleanup.policy", "compact"))))
                    .all().get(30, TimeUnit.SECONDS);
        }
    }

    public Admin admin() {
        Properties props = new Properties();
        props.putAll(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
        return Admin.create(props);
    }

    @Override
    public void close() throws Exception {
        try {
            cluster.close();
        } finally {
            delete(directory);
        }
    }

    private static void delete(Path directory) throws IOException {
        if (Files.exists(directory)) {
            try (var paths = Files.walk(directory)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }
}
