package io.github.taniumroutes.tanium;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** Calls per server at once and per second, from one instance. */
class TaniumLimitsTest {

    private static TaniumLimits limits(Duration maxWait) {
        Map<String, TaniumSettings.Server> servers = Map.of("capped", ServerSettings.of("https://t", "t").withLimits(3, 0),
                "paced", ServerSettings.of("https://t", "t").withLimits(100, 10), "one", ServerSettings.of("https://t", "t").withLimits(1, 0));
        return new TaniumLimits(() -> servers, maxWait);
    }

    @Test
    void neverMoreCallsInFlightThanTheCapAndEveryPlaceComesBack() throws Exception {
        TaniumLimits limits = limits(Duration.ofSeconds(10));
        AtomicInteger now = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(12);
        List<Future<?>> calls = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            calls.add(pool.submit(() -> {
                limits.acquire("capped");
                try {
                    most.accumulateAndGet(now.incrementAndGet(), Math::max);
                    Thread.sleep(5);
                    now.decrementAndGet();
                } finally {
                    limits.release("capped");
                }
                return null;
            }));
        }
        for (Future<?> call : calls) {
            call.get(30, TimeUnit.SECONDS);
        }
        pool.shutdown();

        assertThat(most.get()).isEqualTo(3);
        assertThat(limits.inFlight("capped")).isZero();
    }

    @Test
    void aCallThatFindsNoPlaceInTimeFailsNamingTheLimit() throws Exception {
        TaniumLimits limits = limits(Duration.ofMillis(100));
        limits.acquire("one");

        assertThatThrownBy(() -> limits.acquire("one")).isInstanceOf(TaniumException.class)
                .hasMessageContaining("tanium.servers.one.max-in-flight");
        limits.release("one");
        limits.acquire("one");
    }

    @Test
    void startsAreSpacedEvenlyAtTheServersRate() {
        TaniumLimits.Pace pace = new TaniumLimits.Pace(TimeUnit.MILLISECONDS.toNanos(100));
        List<Long> waits = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            waits.add(pace.reserve());
        }
        // Reserved back to back: the tenth start is 900 ms after the first, less the few microseconds the loop took.
        assertThat(waits.get(0)).isZero();
        assertThat(waits.get(9)).isGreaterThan(TimeUnit.MILLISECONDS.toNanos(850)).isLessThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(900));
    }
}
