package io.github.taniumroutes.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.taniumroutes.e2e.KafkaAndSimulator;
import io.github.taniumroutes.simulator.TaniumSimulator;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.kafka.KafkaConstants;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The per-alert routes (process-alert → enrich → tanium-graphql → enrichment-result) against the
 * simulator over HTTP, with faults injected: retries, GraphQL errors with HTTP 200, a rejected
 * token, and no secret in any log line, result or reason.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaAndSimulator.class, restrictToAnnotatedClass = false)
class TaniumCallRoutesTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String GATEWAY = "/plugin/products/gateway/graphql";
    private static final java.util.concurrent.atomic.AtomicLong OFFSETS = new java.util.concurrent.atomic.AtomicLong();

    @io.quarkus.test.common.http.TestHTTPResource("/q/health/ready")
    java.net.URI readiness;
    @io.quarkus.test.common.http.TestHTTPResource("/q/metrics")
    java.net.URI metrics;

    @Inject
    io.github.taniumroutes.tanium.TaniumOutages outages;
    @Inject
    ProducerTemplate producer;

    private final List<String> logLines = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logLines.add(record.getMessage() + " " + (record.getParameters() == null ? "" : List.of(record.getParameters()))
                    + " " + (record.getThrown() == null ? "" : record.getThrown()));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void captureLogs() throws InterruptedException {
        Logger.getLogger("").addHandler(capture);
        simulator().faults().clear();
        awaitAnswering();
        simulator().clearRequests();
    }

    @AfterEach
    void stopCapturing() {
        Logger.getLogger("").removeHandler(capture);
        simulator().faults().clear();
    }

    @Test
    void transientServerErrorsAreRetriedAndTheAlertIsStillEnriched() throws Exception {
        simulator().faults().failNext(2, 503);

        // Host names are matched case-insensitively by Tanium but cached as written: a spelling of
        // its own keeps each test's lookup out of the other tests' cache entries.
        JsonNode result = process("route-retry", "Mac-0007");

        assertThat(result.path("outcome").asText()).isEqualTo("enriched");
        assertThat(result.path("endpoint").path("id").asText()).isEqualTo("1005");
        assertThat(simulator().requests(GATEWAY)).hasSize(4); // two failures, the lookup, the read
    }

    @Test
    void tooManyRequestsIsRetriedToo() throws Exception {
        simulator().faults().failNext(1, 429);

        JsonNode result = process("route-429", "DB-prod-01.corp.example");

        assertThat(result.path("outcome").asText()).isEqualTo("enriched");
    }

    @Test
    void persistentServerErrorsHoldTheAlertAfterTheConfiguredRetriesAndTheServerIsProbedUntilItAnswers() throws Exception {
        simulator().faults().failNext(100, 502);

        Exchange held = processExchange("route-down", "Ws-0142");

        assertThat(held.getMessage().getHeader("taniumHeld", Boolean.class)).as("no outcome: the alert waits for its server").isEqualTo(true);
        assertThat(simulator().requests(GATEWAY)).hasSize(4); // first attempt + tanium.retry.max-redeliveries (3)
        assertThat(outages.isOpen("default")).isTrue();
        assertThat(outages.open()).containsKey("default");

        // Every path fails (so no other call of the shared application answers meanwhile); once the
        // server answers again, the probe closes the circuit.
        simulator().faults().clear();
        awaitAnswering();
    }

    @Test
    void busyAndUnavailableAreAttemptedExactlyAsOftenAsTheSettingsSay() throws Exception {
        // HttpClient's own retry strategy would re-send each 429 and 503 once more, under the route's retries.
        simulator().faults().failNext(100, 503);
        assertThat(processExchange("route-503", "wS-0142").getMessage().getHeader("taniumHeld", Boolean.class)).isEqualTo(true);
        assertThat(simulator().requests(GATEWAY)).hasSize(4); // first attempt + tanium.retry.max-redeliveries (3)
        simulator().faults().clear();
        awaitAnswering();

        simulator().clearRequests();
        simulator().faults().clear().failNext(100, 429);
        assertThat(processExchange("route-429-down", "Ws-0142").getMessage().getHeader("taniumHeld", Boolean.class)).isEqualTo(true);
        assertThat(simulator().requests(GATEWAY)).hasSize(4);
        simulator().faults().clear();
        awaitAnswering();
    }

    /** Waits (with a deadline) until the probe has found every server answering again. */
    private void awaitAnswering() throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
        while (!outages.open().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(outages.open()).as("every server answers again").isEmpty();
    }

    @Test
    void theRetryWaitsAsLongAsTheServersRetryAfterSays() throws Exception {
        simulator().faults().retryAfter(2).failNext(1, 429);
        assertThat(process("route-retry-after", "WS-0142").path("outcome").asText()).isEqualTo("enriched");
        assertThat(gapBeforeSecondAttemptMs()).as("Retry-After: 2 (the backoff alone is 200 ms)").isGreaterThanOrEqualTo(2_000);

        simulator().clearRequests();
        simulator().faults().clear().retryAfterOnUnavailable(3).retryAfterAsDate(true).failNext(1, 503);
        assertThat(process("route-retry-after-date", "ws-0142").path("outcome").asText()).isEqualTo("enriched");
        assertThat(gapBeforeSecondAttemptMs()).as("Retry-After as a date 3 s ahead, to the second").isGreaterThanOrEqualTo(2_000);
    }

    private static long gapBeforeSecondAttemptMs() {
        var requests = simulator().requests(GATEWAY);
        return requests.get(1).receivedAtMillis() - requests.get(0).receivedAtMillis();
    }

    @Test
    void clientErrorsAreNotRetried() throws Exception {
        simulator().faults().failNext(1, 400);

        JsonNode result = process("route-400", "wS-0142");

        assertThat(result.path("outcome").asText()).isEqualTo("tanium_error");
        assertThat(simulator().requests(GATEWAY)).hasSize(1);
    }

    @Test
    void graphqlErrorsWithHttp200AreFailures() throws Exception {
        simulator().faults().graphqlErrorNext(1);

        JsonNode result = process("route-gql", "NO-CACHE-HOST-1");

        assertThat(result.path("outcome").asText()).isEqualTo("tanium_error");
        assertThat(result.path("reason").asText()).isEqualTo("GraphQL error: simulated Gateway failure");
    }

    @Test
    void aRejectedTokenIsReportedWithoutTheToken() throws Exception {
        simulator().faults().failNext(1, 401);

        Exchange reply = processExchange("route-401", "NO-CACHE-HOST-2");
        String body = reply.getMessage().getBody(String.class);
        JsonNode result = MAPPER.readTree(body);

        assertThat(result.path("outcome").asText()).as("no credentials to renew the session with").isEqualTo("tanium_unauthorized");
        assertThat(result.path("reason").asText()).startsWith("HTTP 401 from Tanium (session rejected");
        assertThat(body).doesNotContain(KafkaAndSimulator.TOKEN);
        assertThat(reply.getMessage().getHeaders().values().toString()).doesNotContain(KafkaAndSimulator.TOKEN);
        assertThat(logLines).isNotEmpty().noneMatch(line -> line.contains(KafkaAndSimulator.TOKEN));
        // At most one a minute per server: another test of this application may have raised it already.
        assertThat(logLines).as("no more than one alarm line").filteredOn(line -> line.contains("rejects our session and it cannot be renewed"))
                .hasSizeLessThanOrEqualTo(1);
        java.net.http.HttpResponse<String> notReady = get(readiness);
        assertThat(notReady.statusCode()).as("readiness is DOWN while the session is rejected").isEqualTo(503);
        assertThat(notReady.body()).contains("tanium-sessions").contains("session rejected since").doesNotContain(KafkaAndSimulator.TOKEN);
        assertThat(get(metrics).body()).contains("tanium_session_rejected{server=\"default\"} 1.0");

        assertThat(process("route-401-then-ok", "NO-CACHE-HOST-3").path("outcome").asText()).isNotEqualTo("tanium_unauthorized");
        assertThat(get(readiness).statusCode()).as("and UP once Tanium accepts it again").isEqualTo(200);
        assertThat(get(metrics).body()).contains("tanium_session_rejected{server=\"default\"} 0.0");
    }

    private static java.net.http.HttpResponse<String> get(java.net.URI uri) throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(uri).GET().build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void recordHeadersNeverReachTanium() throws Exception {
        Exchange request = alertExchange("route-headers", "MAC-0007");
        request.getMessage().setHeader("session", "forged".getBytes(StandardCharsets.UTF_8));
        request.getMessage().setHeader("Host", "evil.example");
        request.getMessage().setHeader("X-Request-Id", "siem-123");

        producer.send("direct:process-alert", request);

        assertThat(simulator().requests(GATEWAY)).isNotEmpty().allSatisfy(r -> {
            assertThat(r.header("session")).isEqualTo(KafkaAndSimulator.TOKEN);
            assertThat(r.header("X-Request-Id")).isNull();
            assertThat(r.header("Host")).startsWith("127.0.0.1");
        });
    }

    private JsonNode process(String id, String hostname) throws Exception {
        return MAPPER.readTree(processExchange(id, hostname).getMessage().getBody(String.class));
    }

    private Exchange processExchange(String id, String hostname) {
        return producer.send("direct:process-alert", alertExchange(id, hostname));
    }

    private Exchange alertExchange(String id, String hostname) {
        String alert = MAPPER.createObjectNode().put("schemaVersion", 1).put("id", id).put("hostname", hostname).toString();
        Exchange exchange = producer.getCamelContext().getEndpoint("direct:process-alert").createExchange();
        exchange.getMessage().setBody(alert.getBytes(StandardCharsets.UTF_8));
        exchange.getMessage().setHeader(KafkaConstants.KEY, id.getBytes(StandardCharsets.UTF_8));
        // Where the consumer would say the record came from: a topic of this test's own, a new offset each time.
        exchange.getMessage().setHeader(KafkaConstants.TOPIC, "route-test-alerts");
        exchange.getMessage().setHeader(KafkaConstants.PARTITION, 0);
        exchange.getMessage().setHeader(KafkaConstants.OFFSET, OFFSETS.incrementAndGet());
        return exchange;
    }

    private static TaniumSimulator simulator() {
        return KafkaAndSimulator.simulator();
    }
}
