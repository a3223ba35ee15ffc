package io.github.taniumroutes.devkit;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

import io.github.taniumroutes.simulator.TaniumSimulator;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The demo ({@code ./mvnw -Pdemo package quarkus:run}, config profile {@code demo}): a real Kafka broker in the JVM, the Tanium simulator,
 * the topics, a handful of sample alerts, and a console printout of every result and dead letter.
 * The ports are fixed in the %demo profile of config/application.properties; the routes' Kafka
 * clients simply retry until the broker is up.
 */
@Singleton
public class DemoEnvironment {

    private static final Logger LOG = Logger.getLogger(DemoEnvironment.class);

    @ConfigProperty(name = "demo.enabled", defaultValue = "false")
    boolean enabled;
    @ConfigProperty(name = "demo.kafka-port")
    int kafkaPort;
    @ConfigProperty(name = "demo.simulator-port")
    int simulatorPort;
    @ConfigProperty(name = "tanium.token")
    String token;
    @ConfigProperty(name = "alerts.topic")
    String alertsTopic;
    @ConfigProperty(name = "results.topic")
    String resultsTopic;
    @ConfigProperty(name = "dlq.topic")
    String dlqTopic;
    @ConfigProperty(name = "audit.topic")
    String auditTopic;
    @ConfigProperty(name = "investigations.topic")
    String investigationsTopic;
    @ConfigProperty(name = "investigations.state-topic")
    String investigationStateTopic;
    @ConfigProperty(name = "alerts.held.topic-prefix")
    String heldTopicPrefix;
    @ConfigProperty(name = "evidence.topic")
    String evidenceTopic;
    @ConfigProperty(name = "crypto-inventory.topic")
    String inventoryTopic;
    @ConfigProperty(name = "demo.samples-dir")
    String samplesDir;

    private EmbeddedKafka kafka;
    private TaniumSimulator simulator;
    private Thread printer;

    void start(@Observes StartupEvent event) throws Exception {
        if (!enabled) {
            return;
        }
        simulator = TaniumSimulator.start(simulatorPort, Path.of("config/simulator/inventory.json"), token);
        kafka = EmbeddedKafka.start(kafkaPort);
        kafka.createTopics(3, List.of(alertsTopic, resultsTopic, dlqTopic, auditTopic, investigationsTopic, heldTopicPrefix + "default",
                evidenceTopic));
        kafka.createCompactedTopic(3, investigationStateTopic);
        kafka.createCompactedTopic(3, inventoryTopic);
        LOG.infof("Demo: Kafka at %s, Tanium simulator at %s", kafka.bootstrapServers(), simulator.url());
        printer = new Thread(this::printOutcomes, "demo-console");
        printer.setDaemon(true);
        printer.start();
        publishSamples();
    }

    void stop(@Observes ShutdownEvent event) throws Exception {
        if (printer != null) {
            printer.interrupt();
        }
        if (simulator != null) {
            simulator.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    private void publishSamples() throws Exception {
        Properties props = new Properties();
        props.putAll(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()));
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props);
                Stream<Path> samples = Files.list(Path.of(samplesDir))) {
            for (Path sample : samples.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                producer.send(new ProducerRecord<>(alertsTopic, sample.getFileName().toString(),
                        Files.readString(sample, StandardCharsets.UTF_8))).get();
                LOG.infof("Demo: published sample alert %s to %s", sample.getFileName(), alertsTopic);
            }
        }
    }

    private void printOutcomes() {
        Properties props = new Properties();
        props.putAll(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "demo-console",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()));
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of(resultsTopic, dlqTopic, auditTopic));
            while (!Thread.currentThread().isInterrupted()) {
                consumer.poll(Duration.ofMillis(500)).forEach(r -> {
                    String reason = r.headers().lastHeader("dlqReason") == null ? ""
                            : " reason=" + new String(r.headers().lastHeader("dlqReason").value(), StandardCharsets.UTF_8);
                    LOG.infof("Demo: %s key=%s%s%n%s", r.topic(), r.key(), reason, r.value());
                });
            }
        } catch (org.apache.kafka.common.errors.InterruptException e) {
            Thread.currentThread().interrupt();
        }
    }
}
