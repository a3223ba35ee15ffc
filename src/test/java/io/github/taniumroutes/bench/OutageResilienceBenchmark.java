package io.github.taniumroutes.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.taniumroutes.e2e.KafkaAndSimulator;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * A Tanium outage in the middle of a stream of alerts, through the real broker and the simulator:
 * {@code outage.alerts} alerts are produced at an even rate over {@code outage.produce-seconds}, and
 * the simulator drops every connection from {@code outage.start-seconds} for {@code outage.seconds}.
 * Reports, per simulator latency ({@code outage.latencies-ms}): how many alerts got a result, how
 * many results each, their outcomes, the requests that reached the dead server, and how long the
 * whole stream and the drain after the outage took. The retry and probe settings are the product's
 * defaults. It fails unless every alert has exactly one result and every result is enriched. Not
 * part of the normal test run (it takes minutes); see BENCHMARKS.md for the command.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaAndSimulator.class, restrictToAnnotatedClass = false)
@TestProfile(OutageResilienceBenchmark.ProductRetries.class)
@EnabledIfSystemProperty(named = "benchmark.outage", matches = "true")
class OutageResilienceBenchmark {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final List<String> HOSTS = List.of("WS-0142", "db-prod-01.corp.example", "MAC-0007");

    /** The product's retry and probe timing, not the test suite's fast one. */
    public static class ProductRetries implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tanium.retry.initial-delay-ms", "200", "tanium.outage.probe-interval-ms", "2000");
        }
    }

    @Test
    void aOneMinuteOutageInTheMiddleOfTheStream() throws Exception {
        int alerts = Integer.getInteger("outage.alerts", 3000);
        long produceSeconds = Long.getLong("outage.produce-seconds", 120);
        long startSeconds = Long.getLong("outage.start-seconds", 30);
        long outageSeconds = Long.getLong("outage.seconds", 60);
        List<Long> latencies = Arrays.stream(System.getProperty("outage.latencies-ms", "0,1000").split(",")).map(String::strip)
                .map(Long::parseLong).toList();

        StringBuilder report = new StringBuilder();
        report.append(String.format(Locale.ROOT, "%d alerts at an even rate over %d s; every connection to Tanium dropped from t=%d s for %d s%n%n",
                alerts, produceSeconds, startSeconds, outageSeconds));
        report.append("| simulator latency | alerts with a result | results per alert | outcomes | requests that reached the dead server"
                + " | every alert sent before the outage ended has its result, after its end | last result, after the first alert |\n"
                + "|---|---|---|---|---|---|---|\n");
        List<Run> runs = new java.util.ArrayList<>();
        for (long latency : latencies) {
            Run run = run(alerts, produceSeconds, startSeconds, outageSeconds, latency);
            runs.add(run);
            report.append(run.row());
        }
        System.out.println(report);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/benchmark-outage.md"), report.toString());
        for (Run run : runs) {
            assertThat(run.resultsPerAlert()).as("every alert has its result (%d ms)", run.latency()).hasSize(alerts);
            assertThat(run.resultsPerAlert().values()).as("one result per alert").containsOnly(1);
            assertThat(run.outcomes()).as("none failed because of the outage").containsOnlyKeys("enriched");
        }
    }

    private record Run(long latency, Map<String, Integer> resultsPerAlert, Map<String, Integer> outcomes, long deadServerRequests,
            double drainSeconds, double streamSeconds) {
        String row() {
            long duplicates = resultsPerAlert.values().stream().filter(count -> count > 1).count();
            String perAlert = duplicates == 0 ? "1 each" : duplicates + " alerts with more than 1";
            return String.format(Locale.ROOT, "| %d ms | %d | %s | %s | %d | %.1f s | %.1f s |%n", latency, resultsPerAlert.size(),
                    perAlert, outcomes, deadServerRequests, drainSeconds, streamSeconds);
        }
    }

    private static Run run(int alerts, long produceSeconds, long startSeconds, long outageSeconds, long latency) throws Exception {
        var simulator = KafkaAndSimulator.simulator();
        simulator.faults().clear().latency(latency);
        String runId = UUID.randomUUID().toString().substring(0, 8);
        Map<String, Integer> resultsPerAlert = new ConcurrentHashMap<>();
        Map<String, Integer> outcomes = new TreeMap<>();
        AtomicLong deadServerRequests = new AtomicLong();
        long outageEndedAt = 0;
        long lastResultAt = 0;
        long lastBeforeEndAnswered = 0;
        long start = System.nanoTime();
        try (KafkaConsumer<byte[], byte[]> results = BenchmarkKafka.atEnd(KafkaAndSimulator.RESULTS)) {
            Thread producer = new Thread(() -> produce(runId, alerts, produceSeconds, start), "outage-bench-producer");
            producer.start();
            Thread outage = new Thread(() -> {
                try {
                    sleepUntil(start + Duration.ofSeconds(startSeconds).toNanos());
                    long before = simulator.totalRequests();
                    simulator.faults().outage(true);
                    sleepUntil(start + Duration.ofSeconds(startSeconds + outageSeconds).toNanos());
                    simulator.faults().outage(false);
                    deadServerRequests.set(simulator.totalRequests() - before);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "outage-bench-outage");
            outage.start();
            long deadline = start + Duration.ofSeconds(produceSeconds + outageSeconds).plusMinutes(10).toNanos();
            while ((resultsPerAlert.size() < alerts || outage.isAlive()) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : results.poll(Duration.ofMillis(200))) {
                    String alertId = header(record, "alertId");
                    if (alertId == null || !alertId.startsWith("outage-bench-" + runId + "-") || header(record, "step") != null) {
                        continue;
                    }
                    lastResultAt = System.nanoTime();
                    if (resultsPerAlert.merge(alertId, 1, Integer::sum) == 1) {
                        JsonNode result = MAPPER.readTree(record.value());
                        outcomes.merge(result.path("outcome").asText(), 1, Integer::sum);
                        int index = Integer.parseInt(alertId.substring(alertId.lastIndexOf('-') + 1));
                        long sentAt = start + Duration.ofSeconds(produceSeconds).toNanos() * index / alerts;
                        if (sentAt < start + Duration.ofSeconds(startSeconds + outageSeconds).toNanos()) {
                            lastBeforeEndAnswered = lastResultAt;
                        }
                    }
                }
            }
            producer.join();
            outage.join();
            outageEndedAt = start + Duration.ofSeconds(startSeconds + outageSeconds).toNanos();
        }
        simulator.faults().clear();
        return new Run(latency, Map.copyOf(resultsPerAlert), Map.copyOf(outcomes), deadServerRequests.get(),
                (lastBeforeEndAnswered - outageEndedAt) / 1e9, (lastResultAt - start) / 1e9);
    }

    private static void produce(String runId, int alerts, long seconds, long start) {
        try (KafkaProducer<byte[], byte[]> producer = BenchmarkKafka.producer()) {
            for (int i = 0; i < alerts; i++) {
                sleepUntil(start + Duration.ofSeconds(seconds).toNanos() * i / alerts);
                producer.send(BenchmarkKafka.alert(KafkaAndSimulator.ALERTS, "outage-bench-" + runId + "-" + i, HOSTS.get(i % HOSTS.size())));
            }
            producer.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The benchmark's own clock: the producer and the outage keep to a schedule, they stand for no condition. */
    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long wait = nanoTime - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
