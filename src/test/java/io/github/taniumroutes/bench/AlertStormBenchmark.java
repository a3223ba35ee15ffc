package io.github.taniumroutes.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.taniumroutes.e2e.KafkaAndSimulator;
import io.github.taniumroutes.e2e.LargeEstates;
import io.github.taniumroutes.simulator.TaniumSimulator;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * An alert storm against a Tanium as slow as a real one: {@code storm.alerts} alerts about
 * {@code storm.endpoints} endpoints (by host name, round robin), produced at once, every Tanium call
 * answered after {@code storm.latency-ms}. Reports, per run, the seconds from the first alert sent
 * to the last result, and the Tanium calls per alert; each run uses endpoints of its own, so no run
 * finds the lookup cache or a shared read warm. Not part of the normal test run; see BENCHMARKS.md.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaAndSimulator.class, restrictToAnnotatedClass = false)
@TestProfile(AlertStormBenchmark.SlowEstate.class)
@EnabledIfSystemProperty(named = "benchmark.storm", matches = "true")
class AlertStormBenchmark {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    static final int ALERTS = Integer.getInteger("storm.alerts", 5000);
    static final int ENDPOINTS = Integer.getInteger("storm.endpoints", 200);
    static final int RUNS = Integer.getInteger("storm.runs", 3);
    static final long LATENCY_MS = Long.getLong("storm.latency-ms", 2000);
    /** Also report, per run, when each Tanium request was sent and how many results came each second (what bounds the run). */
    static final boolean TIMELINE = Boolean.getBoolean("storm.timeline");
    static TaniumSimulator estate;

    /** Server "storm": a simulator with an estate for every run, and the policy that enriches every alert there. */
    public static class SlowEstate implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                estate = TaniumSimulator.start(0, LargeEstates.inventory(ENDPOINTS * RUNS), KafkaAndSimulator.TOKEN);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            // The product's shared-read window, not the test suite's none.
            return Map.of("policy.file", "src/test/resources/policies/storm.yaml",
                    "tanium.servers.storm.url", estate.url(),
                    "tanium.servers.storm.token", KafkaAndSimulator.TOKEN,
                    "tanium.enrich.shared-read-window", System.getProperty("storm.shared-read-window", "PT5S"));
        }
    }

    @Test
    void aStormOfAlertsAboutAFewHundredEndpoints() throws Exception {
        estate.faults().clear().latency(LATENCY_MS);
        StringBuilder report = new StringBuilder(String.format(Locale.ROOT,
                "%d alerts about %d endpoints, produced at once; every Tanium call answered after %d ms%n%n"
                        + "| run | seconds until every alert has its result | Tanium calls | calls per alert | outcomes |%n|---|---|---|---|---|%n",
                ALERTS, ENDPOINTS, LATENCY_MS));
        List<Double> seconds = new ArrayList<>();
        StringBuilder timelines = new StringBuilder();
        List<Double> callsPerAlert = new ArrayList<>();
        for (int run = 0; run < RUNS; run++) {
            String runId = UUID.randomUUID().toString().substring(0, 8);
            long callsBefore = estate.totalRequests();
            Map<String, Integer> outcomes = new TreeMap<>();
            Map<Integer, Integer> publishTimes = new TreeMap<>();
            Set<String> answered = new java.util.HashSet<>();
            long start;
            long produced;
            long last = 0;
            try (KafkaConsumer<byte[], byte[]> results = BenchmarkKafka.atEnd(KafkaAndSimulator.RESULTS)) {
                start = System.nanoTime();
                produce(runId, run);
                produced = System.nanoTime();
                long deadline = start + Duration.ofMinutes(20).toNanos();
                while (answered.size() < ALERTS && System.nanoTime() < deadline) {
                    for (ConsumerRecord<byte[], byte[]> record : results.poll(Duration.ofMillis(200))) {
                        var header = record.headers().lastHeader("alertId");
                        String alertId = header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
                        if (alertId != null && alertId.startsWith("storm-" + runId + "-") && answered.add(alertId)) {
                            outcomes.merge(MAPPER.readTree(record.value()).path("outcome").asText(), 1, Integer::sum);
                            last = System.nanoTime();
                            publishTimes.merge((int) ((last - start) / 1_000_000_000L), 1, Integer::sum);
                        }
                    }
                }
            }
            long calls = estate.totalRequests() - callsBefore;
            if (TIMELINE) {
                timelines.append(timeline(run, start, produced, publishTimes));
            }
            double took = (last - start) / 1e9;
            String incomplete = answered.size() < ALERTS ? " (only " + answered.size() + " answered)" : "";
            seconds.add(took);
            callsPerAlert.add((double) calls / ALERTS);
            report.append(String.format(Locale.ROOT, "| %d | %.1f%s | %d | %.3f | %s |%n", run + 1, took, incomplete, calls,
                    (double) calls / ALERTS, outcomes));
        }
        report.append(String.format(Locale.ROOT, "%nMedian: %.1f s, %.3f Tanium calls per alert%n", median(seconds), median(callsPerAlert)));
        report.append(timelines);
        estate.faults().clear();
        System.out.println(report);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/benchmark-storm.md"), report.toString());
    }

    private static void produce(String runId, int run) {
        try (KafkaProducer<byte[], byte[]> producer = BenchmarkKafka.producer()) {
            for (int i = 0; i < ALERTS; i++) {
                producer.send(BenchmarkKafka.alert(KafkaAndSimulator.ALERTS, "storm-" + runId + "-" + i,
                        LargeEstates.hostname(run * ENDPOINTS + i % ENDPOINTS)));
            }
            producer.flush();
        }
    }

    /** Seconds after the first alert was sent: the last one sent, each Tanium request, and the results that arrived each second. */
    private static String timeline(int run, long start, long produced, Map<Integer, Integer> resultsPerSecond) {
        long startMillis = System.currentTimeMillis() - (System.nanoTime() - start) / 1_000_000;
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%nRun %d: all alerts sent at %.1f s; Tanium requests at", run + 1,
                (produced - start) / 1e9));
        estate.requests().stream().filter(r -> r.receivedAtMillis() >= startMillis).forEach(r -> line.append(String.format(Locale.ROOT,
                " %.1f (%s)", (r.receivedAtMillis() - startMillis) / 1e3, r.body().contains("tds: {}") ? "lookup" : "read")));
        return line.append(String.format(Locale.ROOT, "; results per second: %s%n", resultsPerSecond)).toString();
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
