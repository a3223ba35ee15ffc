package io.github.taniumroutes.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The whole application at a verbose log level, the Tanium simulator answering over HTTP: the log
 * file must never hold the session token, and an alert id carrying a line break must not start a
 * line of its own. Run at DEBUG (the HTTP client's header loggers left as configured) and at TRACE
 * (those loggers switched on by hand, as someone debugging HTTP would), see the two subclasses.
 */
abstract class LogSafety {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    static final String FORGED_LINE = "2026-12-03 08:00:00,000 INFO  [io.git.tan.pub] (forged) all alerts processed";

    abstract Path logFile();

    /** The log's messages, one a line, as the application wrote them (the file's own lines unless its format is not text). */
    String messages(String log) {
        return log;
    }

    /** What else the format of the file must show of the two alerts' processing. */
    void assertTheFormat(String log, String forgedId, String okId) {
    }

    /** What the log must show for the level to have really been on (so the test can fail). */
    abstract void assertTheLevelWasReallyOn(String log);

    @Test
    void theLogHoldsNoTokenAndNoForgedLine() throws Exception {
        String okId = "log-safety-ok-" + getClass().getSimpleName();
        String forgedId = "log-safety-forged-" + getClass().getSimpleName() + "\n" + FORGED_LINE;
        // A spelling of MAC-0007 of this test's own keeps the lookup out of the cache, so it reaches
        // Tanium and fails; the second alert goes only once the first has its result.
        KafkaAndSimulator.simulator.faults().failNextMatching("/plugin/products/gateway/graphql", 1, 400);
        KafkaTopics.produce(KafkaAndSimulator.ALERTS, List.of(
                KafkaTopics.record(KafkaAndSimulator.ALERTS, "k1", alert(forgedId, "mac-0007"), Map.of())));
        awaitResult(forgedId);
        KafkaTopics.produce(KafkaAndSimulator.ALERTS, List.of(
                KafkaTopics.record(KafkaAndSimulator.ALERTS, "k2", alert(okId, "Mac-0007"), Map.of())));
        awaitResult(okId);

        Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> log().contains("enrichment failed"));
        String log = log();
        assertTheLevelWasReallyOn(log);
        // Booleans, not the log itself, in the assertions: a failure names the file rather than printing megabytes.
        assertThat(log.contains(KafkaAndSimulator.TOKEN)).as("the session token is in " + logFile()).isFalse();
        assertThat(log.contains(TestCertificates.PASSWORD)).as("the trust store password is in " + logFile()).isFalse();
        String messages = messages(log);
        assertThat(messages.lines().filter(line -> line.startsWith(FORGED_LINE)).count())
                .as("lines forged by an alert id in " + logFile()).isZero();
        assertThat(messages.contains("log-safety-forged-" + getClass().getSimpleName() + "\\n" + FORGED_LINE))
                .as("the forged id, escaped, in " + logFile()).isTrue();
        assertTheFormat(log, forgedId, okId);
    }

    private static void awaitResult(String alertId) {
        List<ConsumerRecord<byte[], byte[]>> results = KafkaTopics.readUntil(KafkaAndSimulator.RESULTS, Duration.ofSeconds(60),
                read -> read.stream().anyMatch(r -> alertId.equals(KafkaTopics.header(r, "alertId"))));
        assertThat(results.stream().map(r -> KafkaTopics.header(r, "alertId"))).contains(alertId);
    }

    private static byte[] alert(String id, String hostname) {
        return MAPPER.createObjectNode().put("schemaVersion", 1).put("id", id).put("hostname", hostname).toString()
                .getBytes(StandardCharsets.UTF_8);
    }

    private String log() throws IOException {
        return Files.exists(logFile()) ? Files.readString(logFile(), StandardCharsets.UTF_8) : "";
    }

    static Map<String, String> verboseFileLog(String level, Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return Map.of(
                "quarkus.log.level", level,
                "quarkus.log.min-level", level,
                // The console stays readable; the file gets everything.
                "quarkus.log.console.level", "INFO",
                "quarkus.log.file.enabled", "true",
                "quarkus.log.file.level", "ALL",
                "quarkus.log.file.path", file.toString(),
                "quarkus.log.file.rotation.max-file-size", "1G");
    }
}
