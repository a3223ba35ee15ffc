package io.github.taniumroutes.tanium;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One call per key for everyone who needs it at once or within the window; its answer or failure shared. */
class SharedCallsTest {

    private final ExecutorService callers = Executors.newFixedThreadPool(50);

    @AfterEach
    void stop() {
        callers.shutdownNow();
    }

    @Test
    void fiftyConcurrentCallersMakeOneCallAndShareItsAnswer() throws Exception {
        SharedCalls<String> calls = new SharedCalls<>(Duration.ofSeconds(30), 100, Duration.ofSeconds(10));
        AtomicInteger made = new AtomicInteger();
        List<Future<SharedCalls.Answer<String>>> answers = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            answers.add(callers.submit(() -> {
                SharedCalls.Answer<String> answer = calls.joinOrLead("WS-1");
                if (answer == null) {
                    made.incrementAndGet();
                    // The leader answers once the 49 others wait for it.
                    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                    while (waitingCallers() < 49 && System.nanoTime() < deadline) {
                        Thread.onSpinWait();
                    }
                    answer = calls.completed("WS-1", "readings of WS-1");
                }
                return answer;
            }));
        }

        List<SharedCalls.Answer<String>> got = new ArrayList<>();
        for (Future<SharedCalls.Answer<String>> answer : answers) {
            got.add(answer.get(20, TimeUnit.SECONDS));
        }
        assertThat(made).as("one call").hasValue(1);
        assertThat(got).extracting(SharedCalls.Answer::value).containsOnly("readings of WS-1");
        assertThat(got).extracting(SharedCalls.Answer::takenAt).containsOnly(got.get(0).takenAt());
        assertThat(got).filteredOn(SharedCalls.Answer::shared).hasSize(49);
    }

    @Test
    void aFailureIsSharedByThoseWaitingAndTheNextCallerAsksAgain() throws Exception {
        SharedCalls<String> calls = new SharedCalls<>(Duration.ofSeconds(30), 100, Duration.ofSeconds(10));
        assertThat(calls.joinOrLead("WS-1")).as("the first caller leads").isNull();
        Future<SharedCalls.Answer<String>> waiting = callers.submit(() -> calls.joinOrLead("WS-1"));
        java.net.ConnectException refused = new java.net.ConnectException("refused");

        // Only once the second caller waits can the failure be seen as shared.
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!waiting.isDone() && System.nanoTime() < deadline && waitingCallers() < 1) {
            Thread.onSpinWait();
        }
        assertThatThrownBy(() -> calls.failed("WS-1", refused)).isSameAs(refused);
        assertThatThrownBy(() -> waiting.get(5, TimeUnit.SECONDS)).hasCause(refused);
        assertThat(calls.joinOrLead("WS-1")).as("nothing kept from a failure: the next caller leads").isNull();
    }

    @Test
    void anAnswerIsKeptForTheWindowOnly() throws Exception {
        SharedCalls<String> kept = new SharedCalls<>(Duration.ofSeconds(30), 100, Duration.ofSeconds(10));
        assertThat(kept.joinOrLead("WS-1")).isNull();
        kept.completed("WS-1", "first");
        assertThat(kept.joinOrLead("WS-1")).extracting(SharedCalls.Answer::value, SharedCalls.Answer::shared).containsExactly("first", true);
        assertThat(kept.joinOrLead("WS-2")).as("another key").isNull();

        SharedCalls<String> atOnceOnly = new SharedCalls<>(Duration.ZERO, 100, Duration.ofSeconds(10));
        assertThat(atOnceOnly.joinOrLead("WS-1")).isNull();
        atOnceOnly.completed("WS-1", "first");
        assertThat(atOnceOnly.joinOrLead("WS-1")).as("no window: the next caller reads again").isNull();
    }

    @Test
    void aCallerWaitsNoLongerThanItsLimit() throws Exception {
        SharedCalls<String> calls = new SharedCalls<>(Duration.ofSeconds(30), 100, Duration.ofMillis(100));
        assertThat(calls.joinOrLead("WS-1")).isNull();

        assertThatThrownBy(() -> calls.joinOrLead("WS-1"))
                .isInstanceOf(TaniumException.class)
                .hasMessageContaining("the same Tanium call made for another alert");
    }

    @Test
    void aBatchLeadsManyKeysWithoutWaitingAndTheOthersWaitForItsAnswer() throws Exception {
        SharedCalls<String> calls = new SharedCalls<>(Duration.ofSeconds(30), 100, Duration.ofSeconds(10));
        assertThat(calls.lead("WS-1")).as("nobody knows or asks: the batch leads").isTrue();
        assertThat(calls.lead("WS-1")).as("already led").isFalse();
        assertThat(calls.peek("WS-1")).as("nothing known yet").isNull();
        Future<SharedCalls.Answer<String>> waiting = callers.submit(() -> calls.joinOrLead("WS-1"));
        awaitWaiting(1);

        calls.completed("WS-1", "from the batch");

        assertThat(waiting.get(5, TimeUnit.SECONDS)).extracting(SharedCalls.Answer::value, SharedCalls.Answer::shared)
                .containsExactly("from the batch", true);
        assertThat(calls.peek("WS-1")).extracting(SharedCalls.Answer::value, SharedCalls.Answer::shared).containsExactly("from the batch", true);
        assertThat(calls.lead("WS-1")).as("known within the window: nothing to lead").isFalse();
    }

    @Test
    void aKeyTheBatchGivesBackIsAskedForByOneOfThoseWaiting() throws Exception {
        SharedCalls<String> calls = new SharedCalls<>(Duration.ofSeconds(30), 100, Duration.ofSeconds(10));
        assertThat(calls.lead("WS-1")).isTrue();
        Future<SharedCalls.Answer<String>> waiting = callers.submit(() -> calls.joinOrLead("WS-1"));
        awaitWaiting(1);

        calls.abandon("WS-1");

        assertThat(waiting.get(5, TimeUnit.SECONDS)).as("the waiter now leads: it asks itself").isNull();
        assertThat(calls.lead("WS-1")).as("and nobody else may lead meanwhile").isFalse();
    }

    @Test
    void aFailedKeyOfABatchFailsThoseWaitingWithoutThrowingAtTheBatch() throws Exception {
        SharedCalls<String> calls = new SharedCalls<>(Duration.ofSeconds(30), 100, Duration.ofSeconds(10));
        assertThat(calls.lead("WS-1")).isTrue();
        Future<SharedCalls.Answer<String>> waiting = callers.submit(() -> calls.joinOrLead("WS-1"));
        awaitWaiting(1);
        TaniumException gatewayError = new TaniumException("GraphQL error: boom");

        calls.fail("WS-1", gatewayError);

        assertThatThrownBy(() -> waiting.get(5, TimeUnit.SECONDS)).hasCause(gatewayError);
        assertThat(calls.lead("WS-1")).as("nothing kept from a failure").isTrue();
    }

    private static void awaitWaiting(int count) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (waitingCallers() < count && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(waitingCallers()).as("callers waiting for the leader").isGreaterThanOrEqualTo(count);
    }

    /** Threads parked in joinOrLead, waiting for a leader's answer. */
    private static long waitingCallers() {
        return Thread.getAllStackTraces().entrySet().stream().filter(e -> e.getKey().getState() == Thread.State.TIMED_WAITING
                && java.util.Arrays.stream(e.getValue()).anyMatch(frame -> frame.getMethodName().equals("joinOrLead"))).count();
    }
}
