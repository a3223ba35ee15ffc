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
    public static final String AUDIT = "alerts-audit";
    public static final String INVESTIGATIONS = "investigations";
    public static final String INVESTIGATION_STATE = "investigation-state";
    public static final String ALERT_POLLER_STATE = "alerts.tr-poller";
    public static final String EVIDENCE = "alert-evidence";
    public static final String CRYPTO_INVENTORY = "crypto-inventory";

    /** The Tanium servers configured below (and "scale", "storm" and "wide", of InvestigationScaleTest, AlertStormBenchmark and EnrichmentEstate). */
    static final List<String> SERVERS = List.of("default", "selfsigned", "untrusted", "paced", "owntrust", "scale", "storm", "wide");

    static EmbeddedKafka kafka;
    static TaniumSimulator simulator;
    /** Tanium server "selfsigned": HTTPS with a certificate the configured trust store holds. */
    static TaniumSimulator trustedTls;
    /** Tanium server "untrusted": HTTPS with a certificate nothing trusts. */
    static TaniumSimulator untrustedTls;
    /** Tanium server "owntrust": HTTPS with a certificate only its own trust store holds (tanium.servers.owntrust.tls.*). */
    static TaniumSimulator ownTrustTls;

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
            kafka.createTopics(3, List.of(ALERTS, RESULTS, DLQ, AUDIT, INVESTIGATIONS));
            // One held-alert topic per configured Tanium server (alerts.held.topic-prefix + name).
            kafka.createTopics(3, SERVERS.stream().map(server -> ALERTS + ".held." + server).toList());
            kafka.createCompactedTopic(3, INVESTIGATION_STATE);
            // The Threat Response alert poller's election and marks: one partition.
            kafka.createCompactedTopic(1, ALERT_POLLER_STATE);
            kafka.createTopics(3, List.of(EVIDENCE));
            kafka.createCompactedTopic(3, CRYPTO_INVENTORY);
            Path inventory = Path.of("config/simulator/inventory.json");
            simulator = TaniumSimulator.start(0, inventory, TOKEN);
            Path certificates = Path.of("target", "test-certificates");
            Path trusted = TestCertificates.serverKeyStore(certificates, "selfsigned");
            trustStore = TestCertificates.trustStoreFor(trusted, "selfsigned");
            trustedTls = TaniumSimulator.startTls(0, inventory, TOKEN, trusted, TestCertificates.PASSWORD);
            untrustedTls = TaniumSimulator.startTls(0, inventory, TOKEN,
                    TestCertificates.serverKeyStore(certificates, "untrusted"), TestCertificates.PASSWORD);
            Path ownKeys = TestCertificates.serverKeyStore(certificates, "owntrust");
            ownTrustStore = TestCertificates.trustStoreFor(ownKeys, "owntrust");
            ownTrustTls = TaniumSimulator.startTls(0, inventory, TOKEN, ownKeys, TestCertificates.PASSWORD);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the embedded Kafka broker and the Tanium simulators", e);
        }
        return Map.ofEntries(
                Map.entry("kafka.bootstrap.servers", kafka.bootstrapServers()),
                Map.entry("tanium.url", simulator.url()),
                Map.entry("tanium.token", TOKEN),
                Map.entry("tanium.servers.selfsigned.url", trustedTls.url()),
                Map.entry("tanium.servers.selfsigned.token", TOKEN),
                Map.entry("tanium.servers.untrusted.url", untrustedTls.url()),
                Map.entry("tanium.servers.untrusted.token", TOKEN),
                // Tanium server "paced": the main simulator, at most 4 requests a second from this instance.
                Map.entry("tanium.servers.paced.url", simulator.url()),
                Map.entry("tanium.servers.paced.token", TOKEN),
                Map.entry("tanium.servers.paced.max-requests-per-second", "4"),
                Map.entry("tanium.servers.owntrust.url", ownTrustTls.url()),
                Map.entry("tanium.servers.owntrust.token", TOKEN),
                Map.entry("tanium.servers.owntrust.tls.truststore-path", ownTrustStore.toAbsolutePath().toString()),
                Map.entry("tanium.servers.owntrust.tls.truststore-password", TestCertificates.PASSWORD),
                Map.entry("tanium.tls.truststore.path", trustStore.toAbsolutePath().toString()),
                Map.entry("tanium.tls.truststore.password", TestCertificates.PASSWORD),
                Map.entry("tanium.retry.initial-delay-ms", "50"),
                Map.entry("kafka.publish.retry.max-redeliveries", "2"),
                Map.entry("kafka.publish.retry.initial-delay-ms", "50"),
                Map.entry("alerts.max-bytes", "65536"),
                // Investigations poll fast in tests: the simulator's connections come up in milliseconds.
                Map.entry("investigations.poll.initial-ms", "50"),
                Map.entry("investigations.poll.max-ms", "500"),
                Map.entry("tanium.outage.probe-interval-ms", "200"),
                // Consumer lag is read every second, so a test sees it settle.
                Map.entry("metrics.consumer-lag.interval-ms", "1000"),
                // Reads are shared only by alerts that need them at once: a test that breaks Tanium must not be
                // answered by readings a test before it took (SharedEnrichmentTest runs with the window).
                Map.entry("tanium.enrich.shared-read-window", "PT0S"),
                Map.entry("threat-response.connections-refresh-ms", "50"));
    }

    static Path trustStore;
    static Path ownTrustStore;

    @Override
    public void stop() {
        for (TaniumSimulator running : new TaniumSimulator[] {simulator, trustedTls, untrustedTls, ownTrustTls}) {
            if (running != null) {
                running.close();
            }
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
