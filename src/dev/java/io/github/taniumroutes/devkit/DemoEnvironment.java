package io.github.taniumroutes.devkit;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

import org.apache.camel.impl.event.CamelContextStoppedEvent;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.taniumroutes.simulator.TaniumSimulator;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The demo ({@code ./mvnw -Pdemo package quarkus:run}, config profile {@code demo}): a real Kafka broker in the JVM, the Tanium simulator,
 * the topics, a handful of sample alerts, and a console line for every result, dead letter and audit
 * record (their whole JSON in {@code demo.outcomes-file}, and on the console at DEBUG).
 * The ports are fixed in the %demo profile of config/application.properties; the routes' Kafka
 * clients simply retry until the broker is up. On Ctrl-C the broker and the simulator stop only once
 * Camel has stopped, so no route is left talking to a broker that is gone.
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
    @ConfigProperty(name = "demo.outcomes-file")
    Path outcomesFile;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private EmbeddedKafka kafka;
    private TaniumSimulator simulator;
    private Thread printer;
    private volatile KafkaConsumer<String, String> console;
    private volatile boolean stopping;

    void start(@Observes StartupEvent event) throws Exception {
        if (!enabled) {
            return;
        }
        simulator = TaniumSimulator.start(simulatorPort, Path.of("config/simulator/inventory.json"), token);
        kafka = EmbeddedKafka.start(kafkaPort);
        // The journal before the requests: the routes, already subscribed, check the journal's partitions
        // as soon as they are assigned the requests topic's.
        kafka.createCompactedTopic(3, investigationStateTopic);
        kafka.createCompactedTopic(3, inventoryTopic);
        kafka.createTopics(3, List.of(alertsTopic, resultsTopic, dlqTopic, auditTopic, investigationsTopic, heldTopicPrefix + "default",
                evidenceTopic));
        LOG.infof("Demo: Kafka at %s, Tanium simulator at %s", kafka.bootstrapServers(), simulator.url());
        printer = new Thread(this::printOutcomes, "demo-console");
        printer.setDaemon(true);
        printer.start();
        publishSamples();
    }

    /** The console first: its consumer leaves its group while the broker is still there. */
    void stop(@Observes ShutdownEvent event) throws Exception {
        stopping = true;
        KafkaConsumer<String, String> consumer = console;
        if (consumer != null) {
            consumer.wakeup();
        }
        if (printer != null) {
            printer.join(Duration.ofSeconds(10).toMillis());
        }
    }

    /** Camel stops after the shutdown event: its consumers and producers are closed by now. */
    void stopBrokerAndSimulator(@Observes CamelContextStoppedEvent event) throws Exception {
        if (simulator != null) {
            simulator.close();
            simulator = null;
        }
        if (kafka != null) {
            kafka.close();
            kafka = null;
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
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props);
                BufferedWriter outcomes = outcomesWriter()) {
            console = consumer;
            consumer.subscribe(List.of(resultsTopic, dlqTopic, auditTopic));
            LOG.infof("Demo: one line per result, dead letter and audit record below; their whole JSON is in %s", outcomesFile);
            while (!stopping) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    print(r, outcomes);
                }
            }
        } catch (WakeupException e) {
            // Ctrl-C: stop() woke the poll up.
        } catch (IOException e) {
            LOG.warnf("Demo: cannot write %s: %s", outcomesFile, e.getMessage());
        } finally {
            console = null;
        }
    }

    private BufferedWriter outcomesWriter() throws IOException {
        if (outcomesFile.getParent() != null) {
            Files.createDirectories(outcomesFile.getParent());
        }
        return Files.newBufferedWriter(outcomesFile, StandardCharsets.UTF_8);
    }

    private void print(ConsumerRecord<String, String> r, BufferedWriter outcomes) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header header : r.headers()) {
            headers.put(header.key(), header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8));
        }
        String kind = r.topic().equals(dlqTopic) ? "dead letter" : r.topic().equals(auditTopic) ? "audit" : "result";
        LOG.info(OutcomeLines.line(kind, r.key(), headers, r.value()));
        ObjectNode whole = MAPPER.createObjectNode().put("topic", r.topic()).put("key", r.key());
        whole.set("headers", MAPPER.valueToTree(headers));
        try {
            whole.set("value", MAPPER.readTree(r.value()));
        } catch (Exception notJson) {
            whole.put("value", r.value());
        }
        String json = MAPPER.writeValueAsString(whole);
        outcomes.write(json);
        outcomes.newLine();
        outcomes.flush();
        LOG.debug(json);
    }
}
