package io.github.taniumroutes.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.taniumroutes.e2e.KafkaAndSimulator;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Throughput of the enrich-only flow against a plain Camel kafka → http → kafka route, measured
 * side by side in one JVM, alternating runs, against the same embedded broker and the simulator at
 * 0 ms latency. Not part of the normal test run; see BENCHMARKS.md for the command.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaAndSimulator.class, restrictToAnnotatedClass = false)
@EnabledIfSystemProperty(named = "benchmark", matches = "true")
class EnrichThroughputBenchmark {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final List<String> HOSTS = List.of("WS-0142", "db-prod-01.corp.example", "MAC-0007");
    private static final String PLAIN_IN = "bench-plain-in";
    private static final String PLAIN_OUT = "bench-plain-out";

    @Inject
    CamelContext camel;

    @Test
    void enrichOnlyAgainstPlainRoute() throws Exception {
        int alerts = Integer.getInteger("benchmark.alerts", 100_000);
        int rounds = Integer.getInteger("benchmark.rounds", 3);
        KafkaAndSimulator.kafka().createTopics(3, List.of(PLAIN_IN, PLAIN_OUT));
        camel.addRoutes(plainRoute());

        List<Run> ours = new ArrayList<>();
        List<Run> plain = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            ours.add(measure("alert-intake", KafkaAndSimulator.ALERTS, KafkaAndSimulator.RESULTS, alerts));
            plain.add(measure("plain-baseline", PLAIN_IN, PLAIN_OUT, alerts));
        }
        String report = report(alerts, ours, plain);
        System.out.println(report);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/benchmark-enrich.md"), report);
    }

    /** The naive route: one HTTP call and one synchronous Kafka send per alert, auto-commit. */
    private RouteBuilder plainRoute() {
        String body = MAPPER.createObjectNode()
                .put("query", "query ($hostname: String) { endpoints(source: {ts: {}}, filter: {path: \"name\", op: EQ, value: $hostname}) "
                        + "{ edges { node { name id sensorReadings(sensors: [{name: \"Logged In Users\"}]) { columns { name values } } } } } }")
                .toString();
        String url = KafkaAndSimulator.simulator().url() + "/plugin/products/gateway/graphql";
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("kafka:" + PLAIN_IN + "?groupId=bench-plain&autoOffsetReset=earliest&autoCommitEnable=true&breakOnFirstError=false"
                        + "&valueDeserializer=org.apache.kafka.common.serialization.ByteArrayDeserializer")
                        .routeId("plain-baseline").autoStartup(false)
                        .setVariable("alert", body())
                        .removeHeaders("*")
                        .setHeader("session", constant(KafkaAndSimulator.TOKEN))
                        .setHeader(Exchange.CONTENT_TYPE, constant("application/json"))
                        .setHeader(Exchange.HTTP_METHOD, constant("POST"))
                        .setBody(constant(body))
                        .to(url)
                        .removeHeaders("*")
                        .setHeader("alertId", constant("plain"))
                        .to("kafka:" + PLAIN_OUT + "?synchronous=true"
                                + "&valueSerializer=org.apache.kafka.common.serialization.ByteArraySerializer");
            }
        };
    }

    private Run measure(String routeId, String inTopic, String outTopic, int alerts) throws Exception {
        camel.getRouteController().stopRoute(routeId);
        String runId = UUID.randomUUID().toString().substring(0, 8);
        produce(inTopic, runId, alerts);
        System.gc();
        long callsBefore = KafkaAndSimulator.simulator().totalRequests();
        Sampler sampler = new Sampler();
        Map<Long, Long> cpuBefore = threadCpu();
        try (KafkaConsumer<byte[], byte[]> counter = BenchmarkKafka.atEnd(outTopic)) {
            long start = System.nanoTime();
            sampler.start();
            camel.getRouteController().startRoute(routeId);
            long seen = 0;
            long deadline = start + Duration.ofMinutes(10).toNanos();
            while (seen < alerts && System.nanoTime() < deadline) {
                seen += counter.poll(Duration.ofMillis(100)).count();
            }
            long elapsed = System.nanoTime() - start;
            sampler.stop();
            camel.getRouteController().stopRoute(routeId);
            long calls = KafkaAndSimulator.simulator().totalRequests() - callsBefore;
            System.out.println("CPU ms by thread group during " + routeId + ": " + cpuByGroup(cpuBefore));
            return new Run(seen, elapsed, calls, sampler.peakHeap.get(), sampler.peakThreads.get());
        }
    }

    private static Map<Long, Long> threadCpu() {
        var threads = ManagementFactory.getThreadMXBean();
        Map<Long, Long> cpu = new java.util.HashMap<>();
        for (long id : threads.getAllThreadIds()) {
            cpu.put(id, threads.getThreadCpuTime(id));
        }
        return cpu;
    }

    /** CPU used since {@code before}, summed by thread name with digits removed, largest first. */
    private static String cpuByGroup(Map<Long, Long> before) {
        var threads = ManagementFactory.getThreadMXBean();
        Map<String, Long> groups = new java.util.TreeMap<>();
        for (long id : threads.getAllThreadIds()) {
            var info = threads.getThreadInfo(id);
            long now = threads.getThreadCpuTime(id);
            if (info == null || now < 0) {
                continue;
            }
            String group = info.getThreadName().replaceAll("\\d+", "N");
            groups.merge(group, (now - before.getOrDefault(id, 0L)) / 1_000_000, Long::sum);
        }
        return groups.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(12)
                .map(e -> e.getKey() + "=" + e.getValue()).toList().toString();
    }

    private static void produce(String topic, String runId, int alerts) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = BenchmarkKafka.producer()) {
            for (int i = 0; i < alerts; i++) {
                producer.send(BenchmarkKafka.alert(topic, "bench-" + runId + "-" + i, HOSTS.get(i % HOSTS.size())));
            }
            producer.flush();
        }
    }

    private static String report(int alerts, List<Run> ours, List<Run> plain) {
        double oursRate = median(ours.stream().map(Run::perSecond).toList());
        double plainRate = median(plain.stream().map(Run::perSecond).toList());
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Alerts per run: %d; runs alternate (ours, plain) x %d%n%n", alerts, ours.size()));
        out.append("| flow | alerts/s per run | median alerts/s | Tanium calls/alert | peak heap MiB | peak live threads |\n");
        out.append("|---|---|---|---|---|---|\n");
        out.append(row("enrich-only flow (this project)", ours, oursRate));
        out.append(row("plain kafka→http→kafka route", plain, plainRate));
        out.append(String.format(Locale.ROOT, "%nRatio of medians (ours / plain): %.2f%n", oursRate / plainRate));
        return out.toString();
    }

    private static String row(String name, List<Run> runs, double median) {
        List<String> rates = runs.stream().map(r -> String.format(Locale.ROOT, "%.0f", r.perSecond())).toList();
        double calls = runs.stream().mapToDouble(Run::callsPerAlert).average().orElse(0);
        long heap = runs.stream().mapToLong(Run::peakHeap).max().orElse(0) / (1024 * 1024);
        int threads = runs.stream().mapToInt(Run::peakThreads).max().orElse(0);
        String incomplete = runs.stream().anyMatch(Run::incomplete) ? " (INCOMPLETE RUN)" : "";
        return String.format(Locale.ROOT, "| %s%s | %s | %.0f | %.3f | %d | %d |%n", name, incomplete, String.join(", ", rates),
                median, calls, heap, threads);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private record Run(long alerts, long nanos, long taniumCalls, long peakHeap, int peakThreads) {
        double perSecond() {
            return alerts / (nanos / 1e9);
        }

        double callsPerAlert() {
            return alerts == 0 ? 0 : (double) taniumCalls / alerts;
        }

        boolean incomplete() {
            return false;
        }
    }

    /** Samples heap in use and live threads every 50 ms while a run lasts. */
    private static final class Sampler {
        final AtomicLong peakHeap = new AtomicLong();
        final AtomicLong peakThreadsLong = new AtomicLong();
        final java.util.concurrent.atomic.AtomicInteger peakThreads = new java.util.concurrent.atomic.AtomicInteger();
        private final AtomicBoolean running = new AtomicBoolean();
        private Thread thread;

        void start() {
            running.set(true);
            thread = new Thread(() -> {
                var memory = ManagementFactory.getMemoryMXBean();
                var threads = ManagementFactory.getThreadMXBean();
                while (running.get()) {
                    peakHeap.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                    peakThreads.accumulateAndGet(threads.getThreadCount(), Math::max);
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "bench-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join();
        }
    }
}
