package io.github.taniumroutes.e2e;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.github.taniumroutes.devkit.EmbeddedKafka;
import io.github.taniumroutes.simulator.TaniumSimulator;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The real parts an end-to-end test runs against: an in-JVM Apache Kafka broker (KRaft) and the
 * Tanium simulator over HTTP, wired into the application's configuration.
 */
public class KafkaAndSimulator implements QuarkusTestResourceLifecycleManager {

    public static final String TOKEN = "token-e2e-5ecret-d0-not-leak";
    public static final String ALERTS = "alerts";
    public static final String RESULTS = "alert-results";
    public static final String DLQ = "alerts-dlq";

    static EmbeddedKafka kafka;
    static TaniumSimulator simulator;

    public static TaniumSimulator simulator() {
        return simulator;
    }

    public static EmbeddedKafka kafka() {
        return kafka;
    }

    @Override
    public Map<String, String> start() {
        try {
            kafka = EmbeddedKafka.start();
            kafka.createTopics(3, List.of(ALERTS, RESULTS, DLQ));
            simulator = TaniumSimulator.start(0, Path.of("config/simulator/inventory.json"), TOKEN);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the embedded Kafka broker and the Tanium simulator", e);
        }
        return Map.of(
                "kafka.bootstrap.servers", kafka.bootstrapServers(),
                "tanium.url", simulator.url(),
                "tanium.token", TOKEN,
                "tanium.retry.initial-delay-ms", "50",
                "alerts.max-bytes", "65536");
    }

    @Override
    public void stop() {
        if (simulator != null) {
            simulator.close();
        }
        try {
            if (kafka != null) {
                kafka.close();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
