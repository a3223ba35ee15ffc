package io.github.taniumroutes.tanium;

import static io.github.taniumroutes.tanium.TestAlerts.alert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.github.taniumroutes.alert.CanonicalAlert;
import io.github.taniumroutes.kafka.RecordSource;

/**
 * A batch's unknown hosts in one lookup: chunked per server, split back per host as the alert gave
 * it, not found and ambiguous kept apart, a failure confined to its own hosts, each request counted once.
 */
class BatchLookupsTest {

    private static final TaniumEndpoint WS1 = new TaniumEndpoint("1", "WS-1", "10.0.0.1", "Windows");
    private static final TaniumEndpoint WS2 = new TaniumEndpoint("2", "WS-2", "10.0.0.2", "Linux");
    private static final TaniumEndpoint DUP_A = new TaniumEndpoint("3", "LAPTOP-DUP", "10.0.0.3", "Windows");
    private static final TaniumEndpoint DUP_B = new TaniumEndpoint("4", "laptop-dup", "10.0.0.4", "Windows");

    private final EndpointLookupCache cache = new EndpointLookupCache(Duration.ofMinutes(1), 1000, Duration.ofSeconds(5));
    private final ExecutorService others = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        others.shutdownNow();
    }

    @Test
    void theUnknownHostsOfABatchGoIntoOneRequestPerServerAndAtMostTheConfiguredNumberEach() throws Exception {
        EnrichBatch batch = batch(
                alertOn("default", alert("a0", "WS-1", null, null)),
                alertOn("default", alert("a1", "WS-2", null, null)),
                alertOn("default", alert("a2", "ws-1", null, null)),
                alertOn("lab", alert("a3", "WS-1", null, null)),
                alertOn("default", alert("a4", "WS-1", null, null)),
                alertOn("default", alert("a5", null, "10.0.0.3", null)));
        cache.store("default", alert("x", "WS-2", null, null), List.of(WS2));

        List<LookupChunk> chunks = new BatchLookups(cache, 1).chunks(batch);

        assertThat(chunks).extracting(LookupChunk::getServer).containsExactly("default", "default", "default", "lab");
        assertThat(chunks).extracting(chunk -> chunk.hosts().get(0).lookup())
                .as("WS-2 is known; a4 repeats a0's host; ws-1 is the alert's own spelling, a host of its own")
                .containsExactly(new EndpointLookup("name", "WS-1"), new EndpointLookup("name", "ws-1"),
                        new EndpointLookup("ipAddress", "10.0.0.3"), new EndpointLookup("name", "WS-1"));
        assertThat(chunks.get(0).hosts().get(0).owner()).as("the first alert that needs it").isEqualTo(source(0));
        assertThat(batch.lookup(EndpointLookupCache.key("default", new EndpointLookup("name", "WS-2"))).answer().value())
                .as("a known host is the batch's at once").containsExactly(WS2);

        assertThat(new BatchLookups(cache, 500).chunks(batch(alertOn("default", alert("b", "WS-9", null, null)),
                alertOn("default", alert("c", "WS-8", null, null))))).singleElement()
                .satisfies(chunk -> assertThat(chunk.hosts()).hasSize(2));
    }

    @Test
    void theReplyIsSplitBackPerHostAsTheAlertGaveIt() throws Exception {
        EnrichBatch batch = batch(
                alertOn("default", alert("a0", "ws-1", null, null)),
                alertOn("default", alert("a1", null, "10.0.0.2", null)),
                alertOn("default", alert("a2", "OTHER", null, "3")),
                alertOn("default", alert("a3", "laptop-DUP", null, null)),
                alertOn("default", alert("a4", "NO-SUCH-HOST", null, null)));
        LookupChunk chunk = new BatchLookups(cache, 500).chunks(batch).get(0);
        chunk.add(new GatewayPage<>(List.of(WS1, WS2, DUP_A), true, "c1"));
        chunk.add(new GatewayPage<>(List.of(DUP_B), false, null));

        new BatchLookups(cache, 500).answered(chunk, batch);

        assertThat(endpoints(batch, alert("a0", "ws-1", null, null))).as("names ignore case").containsExactly(WS1);
        assertThat(endpoints(batch, alert("a1", null, "10.0.0.2", null))).containsExactly(WS2);
        assertThat(endpoints(batch, alert("a2", "OTHER", null, "3"))).as("by id when the alert has one").containsExactly(DUP_A);
        assertThat(endpoints(batch, alert("a3", "laptop-DUP", null, null))).as("ambiguous: both, never one guessed")
                .containsExactly(DUP_A, DUP_B);
        assertThat(endpoints(batch, alert("a4", "NO-SUCH-HOST", null, null))).as("not found").isEmpty();
        assertThat(cache.lookup("default", alert("z", "NO-SUCH-HOST", null, null), null, null)).as("cached as today").isEmpty();
        assertThat(List.of(0, 1, 2, 3, 4)).as("one lookup made for each (two pages or not)")
                .extracting(i -> batch.callsMadeFor(source(i))).containsOnly(1);
    }

    @Test
    void aHostWithMoreMatchesThanASingleLookupAsksForKeepsTheFirstTen() throws Exception {
        EnrichBatch batch = batch(alertOn("default", alert("a0", "CLONE", null, null)));
        LookupChunk chunk = new BatchLookups(cache, 500).chunks(batch).get(0);
        List<TaniumEndpoint> clones = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            clones.add(new TaniumEndpoint(String.valueOf(100 + i), "clone", null, null));
        }
        chunk.add(new GatewayPage<>(clones, false, null));

        new BatchLookups(cache, 500).answered(chunk, batch);

        assertThat(endpoints(batch, alert("a0", "CLONE", null, null))).containsExactlyElementsOf(clones.subList(0, 10));
    }

    @Test
    void endpointsTheHostsDoNotExplainLeaveTheHostsWithoutMatchToTheirAlerts() throws Exception {
        EnrichBatch batch = batch(alertOn("default", alert("a0", "WS-1", null, null)), alertOn("default", alert("a1", null, "10.9.9.9", null)));
        LookupChunk chunk = new BatchLookups(cache, 500).chunks(batch).get(0);
        // The Gateway matched 10.9.9.9 by a second address of WS-2: its node shows another ipAddress.
        chunk.add(new GatewayPage<>(List.of(WS1, WS2), false, null));

        new BatchLookups(cache, 500).answered(chunk, batch);

        assertThat(endpoints(batch, alert("a0", "WS-1", null, null))).containsExactly(WS1);
        assertThat(batch.lookup(EndpointLookupCache.key("default", new EndpointLookup("ipAddress", "10.9.9.9"))))
                .as("not reported as not found: given back").isNull();
        assertThat(cache.lookup("default", alert("a1", null, "10.9.9.9", null), batch, source(1))).as("its alert looks it up alone").isNull();
        assertThat(batch.callsMadeFor(source(0))).isEqualTo(1);
        assertThat(batch.callsMadeFor(source(1))).as("not counted on the alert that asks again").isZero();
    }

    @Test
    void aFailedRequestFailsItsOwnHostsForTheBatchAndForThoseWaitingOnly() throws Exception {
        EnrichBatch batch = batch(alertOn("default", alert("a0", "WS-1", null, null)), alertOn("default", alert("a1", "WS-2", null, null)));
        List<LookupChunk> chunks = new BatchLookups(cache, 1).chunks(batch);
        Future<List<TaniumEndpoint>> waiting = others.submit(() -> cache.lookup("default", alert("other", "WS-1", null, null), null, null));
        TaniumException refused = new TaniumException("GraphQL error: simulated Gateway failure");
        awaitQueuedWaiter(waiting);

        new BatchLookups(cache, 1).failed(chunks.get(0), batch, refused);
        chunks.get(1).add(new GatewayPage<>(List.of(WS2), false, null));
        new BatchLookups(cache, 1).answered(chunks.get(1), batch);

        assertThatThrownBy(() -> cache.lookup("default", alert("a0", "WS-1", null, null), batch, source(0))).isSameAs(refused);
        assertThat(cache.lookup("default", alert("a1", "WS-2", null, null), batch, source(1))).containsExactly(WS2);
        assertThatThrownBy(() -> waiting.get(5, TimeUnit.SECONDS)).hasCause(refused);
        assertThat(batch.callsMadeFor(source(0))).as("the failed request was made, for a0 too").isEqualTo(1);
        assertThat(batch.callsMadeFor(source(1))).isEqualTo(1);
        assertThat(cache.lookup("default", alert("later", "WS-1", null, null), null, null)).as("the next batch asks again").isNull();
    }

    @Test
    void hostsAnotherAlertIsLookingUpAreLeftToTheAlerts() throws Exception {
        assertThat(cache.lookup("default", alert("elsewhere", "WS-1", null, null), null, null)).as("another intake leads").isNull();

        assertThat(new BatchLookups(cache, 500).chunks(batch(alertOn("default", alert("a0", "WS-1", null, null))))).isEmpty();
    }

    @Test
    void atLeastOneHostARequest() {
        assertThatThrownBy(() -> new BatchLookups(cache, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    private static List<TaniumEndpoint> endpoints(EnrichBatch batch, CanonicalAlert alert) throws Exception {
        return batch.lookup(EndpointLookupCache.key("default", EndpointLookup.of(alert))).answer().value();
    }

    private record On(String server, CanonicalAlert alert) {
    }

    private static On alertOn(String server, CanonicalAlert alert) {
        return new On(server, alert);
    }

    private static EnrichBatch batch(On... alerts) {
        EnrichBatch batch = new EnrichBatch();
        for (int i = 0; i < alerts.length; i++) {
            batch.add(new EnrichBatch.Alert(source(i), i, alerts[i].alert(), alerts[i].server(), null));
        }
        return batch;
    }

    static RecordSource source(int offset) {
        return new RecordSource("alerts", 0, offset);
    }

    /** Until the other thread waits in joinOrLead for the batch's lookup. */
    private static void awaitQueuedWaiter(Future<?> waiting) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!waiting.isDone() && System.nanoTime() < deadline && Thread.getAllStackTraces().entrySet().stream()
                .noneMatch(e -> e.getKey().getState() == Thread.State.TIMED_WAITING
                        && java.util.Arrays.stream(e.getValue()).anyMatch(f -> f.getMethodName().equals("joinOrLead")))) {
            Thread.onSpinWait();
        }
        assertThat(waiting.isDone()).as("still waiting for the batch").isFalse();
    }
}
