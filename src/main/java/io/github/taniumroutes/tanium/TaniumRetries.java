package io.github.taniumroutes.tanium;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/**
 * Whether a Tanium call that failed with a 5xx or 429 is tried again, and when: at most
 * {@code tanium.retry.max-redeliveries} times (routeConfiguration tanium-calls), after the server's
 * {@code Retry-After} when it sends one (seconds or an HTTP date, capped by
 * {@code tanium.retry.max-retry-after}), else after the route's exponential backoff. A call that
 * changes something (variable {@code taniumChanges}, from its declaration) is tried again only when
 * Tanium certainly did nothing with it ({@link TaniumErrors#nothingDone}).
 */
@Singleton
@Named("taniumRetries")
public class TaniumRetries {

    private final int maxRedeliveries;
    private final Duration maxRetryAfter;
    private final Clock clock;

    @Inject
    public TaniumRetries(@ConfigProperty(name = "tanium.retry.max-redeliveries") int maxRedeliveries,
            @ConfigProperty(name = "tanium.retry.max-retry-after") Duration maxRetryAfter) {
        this(maxRedeliveries, maxRetryAfter, Clock.systemUTC());
    }

    public TaniumRetries(int maxRedeliveries, Duration maxRetryAfter, Clock clock) {
        this.maxRedeliveries = maxRedeliveries;
        this.maxRetryAfter = maxRetryAfter;
        this.clock = clock;
    }

    /** The retryWhile of tanium-calls: true to try again; sets the delay the server asked for, if it did. */
    public boolean again(Exchange exchange) {
        // Camel has counted the redelivery it is deciding about already: 1 at the first failure.
        int redelivery = exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class);
        if (redelivery > maxRedeliveries) {
            exchange.getIn().removeHeader(Exchange.REDELIVERY_DELAY);
            return false;
        }
        if (Boolean.TRUE.equals(exchange.getVariable("taniumChanges", Boolean.class))) {
            Throwable failed = exchange.getException() != null ? exchange.getException()
                    : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
            if (!TaniumErrors.nothingDone(failed)) {
                // Tanium may have acted on it (issued the action, taken the snapshot): sending it again could do it twice.
                exchange.getIn().removeHeader(Exchange.REDELIVERY_DELAY);
                return false;
            }
        }
        HttpOperationFailedException failure = exchange.getException(HttpOperationFailedException.class);
        if (failure == null) {
            // While the error handler decides, the failure may already have moved to the caught-exception property.
            failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, HttpOperationFailedException.class);
        }
        Long wait = failure == null ? null : retryAfterMillis(failure.getResponseHeaders());
        if (wait == null) {
            // The route's exponential backoff applies.
            exchange.getIn().removeHeader(Exchange.REDELIVERY_DELAY);
        } else {
            exchange.getIn().setHeader(Exchange.REDELIVERY_DELAY, wait);
        }
        return true;
    }

    /** How long the reply's Retry-After asks to wait, capped; null when it asks nothing readable. */
    Long retryAfterMillis(Map<String, String> headers) {
        if (headers == null) {
            return null;
        }
        String value = headers.entrySet().stream().filter(e -> "retry-after".equalsIgnoreCase(e.getKey())).map(Map.Entry::getValue)
                .findFirst().orElse(null);
        if (value == null || value.isBlank()) {
            return null;
        }
        long millis;
        String text = value.strip();
        if (text.matches("\\d{1,9}")) {
            millis = Long.parseLong(text) * 1000;
        } else {
            try {
                millis = Duration.between(clock.instant(), ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME)).toMillis();
            } catch (DateTimeParseException unreadable) {
                return null;
            }
        }
        return Math.max(0, Math.min(millis, maxRetryAfter.toMillis()));
    }
}
