package io.github.taniumroutes.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.LongStream;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.kafka.DefaultKafkaClientFactory;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.KafkaEndpoint;
import org.apache.camel.spi.RoutePolicy;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.github.taniumroutes.investigation.InvestigationCapacity;
import io.github.taniumroutes.kafka.KafkaBatch;
import io.github.taniumroutes.tanium.IntakePause;
import io.github.taniumroutes.tanium.TaniumOutages;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * A batching Kafka route (manual commits, breakOnFirstError, as configured for the application) whose
 * consumer is paused by its route policy while a batch fails, and resumed half a second later, reads
 * that batch again and goes on: nothing is lost and the intake does not stay silent. The policies
 * are the application's own, each as a fresh instance on a route of the test's: IntakePause (a
 * held-alert intake whose Tanium server stops answering during the batch) and InvestigationCapacity
 * (the investigation-requests consumer reaching its in-flight bound during the batch).
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaAndSimulator.class, restrictToAnnotatedClass = false)
class PausedBatchRereadTest {

    private static final String SERVER = "paused-batch-test";
    private static final Duration OUTAGE = Duration.ofMillis(500);

    @Inject
    CamelContext camel;
    @Inject
    KafkaBatch kafkaBatch;

    private final ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
    private final List<Intake> intakes = new ArrayList<>();

    @AfterEach
    void removeRoutes() throws Exception {
        later.shutdownNow();
        for (Intake intake : intakes) {
            camel.getRouteController().stopRoute(intake.topic);
            camel.removeRoute(intake.topic);
            camel.removeService(intake.policy);
        }
    }

    @Test
    void aHeldAlertIntakePausedWhileItsFirstBatchFailsReadsItAgainOnceResumed() throws Exception {
        TaniumOutages outages = new TaniumOutages();
        IntakePause intakePause = new IntakePause(outages);
        Intake intake = new Intake(10, intakePause);
        intakePause.waitsFor(intake.topic, SERVER);

        intake.start(0, () -> {
            // The batch's Tanium server stops answering: its circuit opens, which pauses this intake, and the batch fails.
            later.schedule(() -> outages.answered(SERVER), OUTAGE.toMillis(), TimeUnit.MILLISECONDS);
            outages.failed(SERVER, new ConnectException("injected: the Tanium server does not answer"));
        });

        intake.assertEveryRecordProcessedAfterTheFailure();
        assertThat(intakePause.isPaused(SERVER)).isFalse();
    }

    @Test
    void aHeldAlertIntakePausedWhileALaterBatchFailsReadsItAgainFromTheLastCommitOnceResumed() throws Exception {
        TaniumOutages outages = new TaniumOutages();
        IntakePause intakePause = new IntakePause(outages);
        Intake intake = new Intake(5, intakePause);
        intakePause.waitsFor(intake.topic, SERVER);

        intake.start(5, () -> {
            later.schedule(() -> outages.answered(SERVER), OUTAGE.toMillis(), TimeUnit.MILLISECONDS);
            outages.failed(SERVER, new ConnectException("injected: the Tanium server does not answer"));
        });
        waitFor(() -> intake.processed.size() == 5, "the first batch processed and committed");
        intake.produce(5, 5);

        intake.assertEveryRecordProcessedAfterTheFailure();
    }

    @Test
    void aHeldAlertIntakePausedWhileCamelReconnectsAfterAFailedBatchReadsAgainOnceResumed() throws Exception {
        TaniumOutages outages = new TaniumOutages();
        IntakePause intakePause = new IntakePause(outages);
        Intake intake = new Intake(10, intakePause);
        intakePause.waitsFor(intake.topic, SERVER);
        // The batch fails while the intake runs; breakOnFirstError then has camel-kafka leave the topic
        // to read it again from the last commit, and the server stops answering right then (as it
        // unsubscribes, after it decided to reconnect and before it does).
        AtomicBoolean armed = new AtomicBoolean();
        intake.onUnsubscribe = () -> {
            if (armed.compareAndSet(true, false)) {
                later.schedule(() -> outages.answered(SERVER), OUTAGE.toMillis(), TimeUnit.MILLISECONDS);
                try {
                    outages.failed(SERVER, new ConnectException("injected: the Tanium server does not answer"));
                } catch (Exception expected) {
                    // failed() throws the failure on, as for a call
                }
            }
        };

        intake.start(0, () -> armed.set(true));

        intake.assertEveryRecordProcessedAfterTheFailure();
        assertThat(intakePause.isPaused(SERVER)).isFalse();
    }

    @Test
    void theInvestigationRequestsConsumerSuspendedAtCapacityWhileItsBatchFailsReadsItAgainOnceResumed() throws Exception {
        InvestigationCapacity capacity = new InvestigationCapacity(1, 1);
        Intake requests = new Intake(10, capacity);

        requests.start(0, () -> {
            // The batch brings this instance to its bound: the consumer is suspended; then the batch fails.
            capacity.inFlight(1);
            later.schedule(() -> capacity.inFlight(0), OUTAGE.toMillis(), TimeUnit.MILLISECONDS);
            throw new IllegalStateException("injected: the batch fails after the consumer was suspended");
        });

        requests.assertEveryRecordProcessedAfterTheFailure();
        assertThat(capacity.isSuspended()).isFalse();
    }

    /**
     * A batching route of the test's on a fresh topic and group: the first batch that holds offset
     * {@code failFrom} or a later one runs {@code onFailure}, then fails before its commit.
     */
    private final class Intake {
        final String topic = "paused-" + UUID.randomUUID().toString().substring(0, 8);
        final RoutePolicy policy;
        final AtomicBoolean failed = new AtomicBoolean();
        final Set<Long> processed = ConcurrentHashMap.newKeySet();
        final AtomicInteger batchesAfterTheFailure = new AtomicInteger();
        volatile int records;
        volatile Runnable onUnsubscribe = () -> {
        };

        Intake(int records, RoutePolicy policy) throws Exception {
            this.policy = policy;
            KafkaAndSimulator.kafka().createTopics(1, List.of(topic));
            produce(0, records);
        }

        void produce(int from, int count) throws Exception {
            List<ProducerRecord<byte[], byte[]>> batch = new ArrayList<>();
            for (int i = from; i < from + count; i++) {
                batch.add(KafkaTopics.record(topic, "k" + i, ("record-" + i).getBytes(StandardCharsets.UTF_8), Map.of()));
            }
            KafkaTopics.produce(topic, batch);
            records = from + count;
        }

        void start(long failFrom, ThrowingRunnable onFailure) throws Exception {
            intakes.add(this);
            KafkaEndpoint endpoint = camel.getEndpoint("kafka:" + topic + "?groupId=" + topic
                    + "-group&batching=true&maxPollRecords=500&pollTimeoutMs=100&batchingIntervalMs=200", KafkaEndpoint.class);
            endpoint.setKafkaClientFactory(new DefaultKafkaClientFactory() {
                @Override
                public Consumer getConsumer(Properties kafkaProps) {
                    return new KafkaConsumer<>(kafkaProps) {
                        @Override
                        public void unsubscribe() {
                            onUnsubscribe.run();
                            super.unsubscribe();
                        }
                    };
                }
            });
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(endpoint)
                            .routeId(topic)
                            .routePolicy(policy)
                            .process(exchange -> {
                                @SuppressWarnings("unchecked")
                                List<Exchange> batch = exchange.getMessage().getBody(List.class);
                                boolean reaches = batch.stream().anyMatch(record -> record.getMessage().getHeader(KafkaConstants.OFFSET, Long.class) >= failFrom);
                                if (reaches && failed.compareAndSet(false, true)) {
                                    onFailure.run();
                                    throw new IllegalStateException("injected: the batch fails before its commit");
                                }
                                if (failed.get()) {
                                    batchesAfterTheFailure.incrementAndGet();
                                }
                                kafkaBatch.commit(batch);
                                batch.forEach(record -> processed.add(record.getMessage().getHeader(KafkaConstants.OFFSET, Long.class)));
                            });
                }
            });
        }

        void assertEveryRecordProcessedAfterTheFailure() throws InterruptedException {
            waitFor(() -> processed.size() == records, "every record processed");
            assertThat(batchesAfterTheFailure.get()).as("a batch read after the one that failed while paused").isPositive();
            assertThat(processed).as("every record, those of the failed batch included, processed and committed after the failure")
                    .containsExactlyInAnyOrderElementsOf(LongStream.range(0, records).boxed().toList());
        }
    }

    private static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(condition.getAsBoolean()).as(what + " within 60 s").isTrue();
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }
}
