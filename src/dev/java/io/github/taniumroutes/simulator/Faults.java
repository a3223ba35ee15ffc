package io.github.taniumroutes.simulator;

import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fault injection, changeable while the simulator runs: a fixed latency, a rate of HTTP errors (with
 * Retry-After on 429), a rate of GraphQL errors returned with HTTP 200, and deterministic "the next N
 * requests fail" switches for tests.
 */
public final class Faults {

    volatile long latencyMillis;
    volatile double httpErrorRate;
    volatile int httpErrorStatus = 503;
    volatile int retryAfterSeconds = 1;
    volatile double graphqlErrorRate;
    private final AtomicInteger failNext = new AtomicInteger();
    private volatile int failNextStatus = 503;
    private final AtomicInteger graphqlErrorNext = new AtomicInteger();

    public Faults latency(long millis) {
        this.latencyMillis = millis;
        return this;
    }

    public Faults httpErrors(double rate, int status) {
        this.httpErrorRate = rate;
        this.httpErrorStatus = status;
        return this;
    }

    public Faults retryAfter(int seconds) {
        this.retryAfterSeconds = seconds;
        return this;
    }

    public Faults graphqlErrors(double rate) {
        this.graphqlErrorRate = rate;
        return this;
    }

    public Faults failNext(int count, int status) {
        this.failNextStatus = status;
        this.failNext.set(count);
        return this;
    }

    public Faults graphqlErrorNext(int count) {
        this.graphqlErrorNext.set(count);
        return this;
    }

    public Faults clear() {
        latencyMillis = 0;
        httpErrorRate = 0;
        graphqlErrorRate = 0;
        failNext.set(0);
        graphqlErrorNext.set(0);
        return this;
    }

    /**
     * Applies the fields present in a JSON document: {@code latencyMs}, {@code httpErrorRate},
     * {@code httpErrorStatus}, {@code retryAfterSeconds}, {@code graphqlErrorRate}, {@code failNext}
     * (with {@code failNextStatus}), {@code graphqlErrorNext}; {@code {"clear": true}} resets all.
     */
    public Faults apply(JsonNode settings) {
        if (settings == null || !settings.isObject()) {
            throw new IllegalArgumentException("expected a JSON object");
        }
        if (settings.path("clear").asBoolean(false)) {
            clear();
        }
        if (settings.has("latencyMs")) {
            latency(settings.get("latencyMs").asLong());
        }
        if (settings.has("httpErrorRate") || settings.has("httpErrorStatus")) {
            httpErrors(settings.path("httpErrorRate").asDouble(httpErrorRate), settings.path("httpErrorStatus").asInt(httpErrorStatus));
        }
        if (settings.has("retryAfterSeconds")) {
            retryAfter(settings.get("retryAfterSeconds").asInt());
        }
        if (settings.has("graphqlErrorRate")) {
            graphqlErrors(settings.get("graphqlErrorRate").asDouble());
        }
        if (settings.has("failNext")) {
            failNext(settings.get("failNext").asInt(), settings.path("failNextStatus").asInt(503));
        }
        if (settings.has("graphqlErrorNext")) {
            graphqlErrorNext(settings.get("graphqlErrorNext").asInt());
        }
        return this;
    }

    ObjectNode describe(ObjectMapper mapper) {
        return mapper.createObjectNode().put("latencyMs", latencyMillis).put("httpErrorRate", httpErrorRate)
                .put("httpErrorStatus", httpErrorStatus).put("retryAfterSeconds", retryAfterSeconds)
                .put("graphqlErrorRate", graphqlErrorRate).put("failNext", failNext.get())
                .put("graphqlErrorNext", graphqlErrorNext.get());
    }

    /** The HTTP status to fail this request with, or 0 to serve it. */
    int httpFailure() {
        if (failNext.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
            return failNextStatus;
        }
        return httpErrorRate > 0 && ThreadLocalRandom.current().nextDouble() < httpErrorRate ? httpErrorStatus : 0;
    }

    boolean graphqlFailure() {
        if (graphqlErrorNext.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
            return true;
        }
        return graphqlErrorRate > 0 && ThreadLocalRandom.current().nextDouble() < graphqlErrorRate;
    }
}
