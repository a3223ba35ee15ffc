package io.github.taniumroutes.tanium;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/** When a failed Tanium call is tried again: the retry budget, and the server's Retry-After. */
class TaniumRetriesTest {

    private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");
    private final TaniumRetries retries = new TaniumRetries(3, Duration.ofSeconds(60), Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void retryAfterInSecondsOrAsAnHttpDateIsHonouredUpToTheCap() {
        assertThat(retries.retryAfterMillis(Map.of("Retry-After", "7"))).isEqualTo(7_000);
        assertThat(retries.retryAfterMillis(Map.of("retry-after", " 2 "))).isEqualTo(2_000);
        assertThat(retries.retryAfterMillis(Map.of("Retry-After", "Thu, 03 Dec 2026 10:00:30 GMT"))).isEqualTo(30_000);
        assertThat(retries.retryAfterMillis(Map.of("Retry-After", "Thu, 03 Dec 2026 09:59:00 GMT"))).as("a date passed").isZero();
        assertThat(retries.retryAfterMillis(Map.of("Retry-After", "3600"))).as("capped").isEqualTo(60_000);
        assertThat(retries.retryAfterMillis(Map.of("Retry-After", "soon"))).isNull();
        assertThat(retries.retryAfterMillis(Map.of("Content-Type", "application/json"))).isNull();
    }

    @Test
    void theServersWaitIsUsedWhenItGivesOneAndTheBackoffOtherwise() {
        Exchange exchange = failedWith(429, Map.of("Retry-After", "5"));
        assertThat(retries.again(exchange)).isTrue();
        assertThat(exchange.getIn().getHeader(Exchange.REDELIVERY_DELAY)).isEqualTo(5_000L);

        exchange.setException(new HttpOperationFailedException("u", 503, "Service Unavailable", null, Map.of(), ""));
        assertThat(retries.again(exchange)).isTrue();
        assertThat(exchange.getIn().getHeaders()).as("the backoff applies again").doesNotContainKey(Exchange.REDELIVERY_DELAY);
    }

    @Test
    void theRetryBudgetIsTheOneInTheSettings() {
        Exchange exchange = failedWith(503, Map.of());
        // Camel asks with the number of the redelivery it is about to make: 1 after the first failure.
        for (int redelivery = 1; redelivery <= 3; redelivery++) {
            exchange.getIn().setHeader(Exchange.REDELIVERY_COUNTER, redelivery);
            assertThat(retries.again(exchange)).as("redelivery " + redelivery).isTrue();
        }
        exchange.getIn().setHeader(Exchange.REDELIVERY_COUNTER, 4);
        assertThat(retries.again(exchange)).isFalse();
    }

    @Test
    void anIoErrorHasTheSameBudget() {
        Exchange unreachable = new DefaultExchange(new DefaultCamelContext());
        unreachable.setException(new java.net.ConnectException("refused"));
        unreachable.getIn().setHeader(Exchange.REDELIVERY_COUNTER, 3);
        assertThat(retries.again(unreachable)).isTrue();
        assertThat(unreachable.getIn().getHeaders()).doesNotContainKey(Exchange.REDELIVERY_DELAY);
        unreachable.getIn().setHeader(Exchange.REDELIVERY_COUNTER, 4);
        assertThat(retries.again(unreachable)).isFalse();
    }

    @Test
    void aCallThatChangesSomethingIsTriedAgainOnlyWhenTaniumCertainlyDidNothing() {
        Exchange refused = failedWith(429, Map.of());
        refused.setVariable("taniumChanges", true);
        assertThat(retries.again(refused)).as("429: Tanium refused it").isTrue();
        Exchange unavailable = failedWith(503, Map.of());
        unavailable.setVariable("taniumChanges", true);
        assertThat(retries.again(unavailable)).as("503: not served").isTrue();
        Exchange neverSent = new DefaultExchange(new DefaultCamelContext());
        neverSent.setVariable("taniumChanges", true);
        neverSent.setException(new java.net.ConnectException("refused"));
        assertThat(retries.again(neverSent)).as("the connection was never made").isTrue();

        for (Exception maybeDone : new Exception[] {new HttpOperationFailedException("u", 502, "Bad Gateway", null, Map.of(), ""),
                new HttpOperationFailedException("u", 500, "Internal Server Error", null, Map.of(), ""),
                new java.net.SocketTimeoutException("Read timed out"), new java.io.IOException("Connection reset")}) {
            Exchange exchange = new DefaultExchange(new DefaultCamelContext());
            exchange.setVariable("taniumChanges", true);
            exchange.setException(maybeDone);
            assertThat(retries.again(exchange)).as(maybeDone + ": Tanium may have acted on it").isFalse();
            exchange.removeVariable("taniumChanges");
            assertThat(retries.again(exchange)).as(maybeDone + ": a read is tried again").isTrue();
        }
    }

    private static Exchange failedWith(int status, Map<String, String> headers) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setException(new HttpOperationFailedException("https://tanium.example/plugin", status, "failed", null, headers, ""));
        return exchange;
    }
}
