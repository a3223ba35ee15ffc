package io.github.taniumroutes.simulator;

import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Fault injection, changeable while the simulator runs: a fixed latency, a rate of HTTP errors (with
 * Retry-After on 429, and optionally on 503, in seconds or as an HTTP date), a rate of GraphQL errors returned with HTTP 200, and deterministic "the next N
 * requests fail" switches for tests, one of them only for paths matching a pattern (so a test can
 * fail, say, the snapshot call of a Threat Response flow and nothing else), and one for GraphQL
 * requests whose body matches (so a test can fail one of a batch's Gateway requests). Two behaviours
 * of a real estate are switched here too: endpoints that are offline (they do not answer live reads)
 * and a Gateway that answers fewer records per page than asked.
 */
public final class Faults {

    volatile long latencyMillis;
    volatile double httpErrorRate;
    volatile int httpErrorStatus = 503;
    volatile int retryAfterSeconds = 1;
    /** Retry-After on 503 too (as a busy Tanium sends it), in seconds; 0: none. */
    volatile int unavailableRetryAfterSeconds;
    /** Retry-After as an HTTP date instead of seconds. */
    volatile boolean retryAfterAsDate;
    /** Down: every request's connection is closed without an answer. */
    volatile boolean outage;
    volatile double graphqlErrorRate;
    private final AtomicInteger failNext = new AtomicInteger();
    private volatile int failNextStatus = 503;
    private final AtomicInteger graphqlErrorNext = new AtomicInteger();
    private volatile PathFailure pathFailure;
    /** Requests whose path matches are served, and answered only after {@code millis}: a reply that comes late, or never. */
    private volatile SlowPath slowPath;
    /** The next {@code remaining} GraphQL requests whose body the pattern finds get a GraphQL error. */
    private volatile BodyFailure graphqlBodyFailure;
    /** Endpoint ids that do not answer live reads (source ts). */
    private volatile Set<String> offline = Set.of();
    /** At most this many edges per page of an endpoints connection, whatever first asks; 0: as many as asked. */
    private volatile int gatewayPageLimit;

    private record BodyFailure(Pattern pattern, AtomicInteger remaining) {
    }

    /** {@code body}, when not null, must also be found in the request body (one GraphQL operation among the Gateway's). */
    private record SlowPath(Pattern pattern, Pattern body, long millis) {
        boolean matches(String path, String requestBody) {
            return pattern.matcher(path).find() && (body == null || requestBody != null && body.matcher(requestBody).find());
        }
    }

    /** The next {@code remaining} requests whose path the pattern finds fail with {@code status}. */
    private record PathFailure(Pattern pattern, AtomicInteger remaining, int status) {
    }

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

    /** While true the server is down: every request's connection is closed without an answer (switchable while it runs). */
    public Faults outage(boolean down) {
        this.outage = down;
        return this;
    }

    /** A 503 carries Retry-After too, of {@code seconds}. */
    public Faults retryAfterOnUnavailable(int seconds) {
        this.unavailableRetryAfterSeconds = seconds;
        return this;
    }

    /** Retry-After is written as an HTTP date ({@code Wed, 21 Oct 2026 07:28:00 GMT}) rather than seconds. */
    public Faults retryAfterAsDate(boolean asDate) {
        this.retryAfterAsDate = asDate;
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

    /**
     * The next {@code count} requests whose path (without the query string) contains a match of
     * {@code pathRegex} fail with {@code status} (a 429 carries {@code Retry-After}); other requests
     * are served and do not use up the count. Anchor the pattern ({@code ^…$}) to match the whole
     * path. Replaces an earlier path failure; a count of 0 removes it.
     */
    public Faults failNextMatching(String pathRegex, int count, int status) {
        this.pathFailure = count > 0 ? new PathFailure(Pattern.compile(pathRegex), new AtomicInteger(count), status) : null;
        return this;
    }

    /**
     * Requests whose path contains a match of {@code pathRegex} are carried out at once and answered
     * only after {@code millis} (the other requests as usual): a client that gives up, or dies, before
     * the answer cannot know what Tanium did. {@code millis} 0 removes it.
     */
    public Faults slowMatching(String pathRegex, long millis) {
        return slowMatching(pathRegex, null, millis);
    }

    /**
     * The same, for requests whose path matches {@code pathRegex} and whose body contains a match of
     * {@code bodyRegex} (null: any body): every Gateway request has the same path, and only its body says
     * which operation it is (say, the Direct Connect kill mutation and nothing else).
     */
    public Faults slowMatching(String pathRegex, String bodyRegex, long millis) {
        this.slowPath = millis > 0 ? new SlowPath(Pattern.compile(pathRegex), bodyRegex == null ? null : Pattern.compile(bodyRegex), millis)
                : null;
        return this;
    }

    /** How long to wait before answering a request to {@code path}. */
    long latencyFor(String path) {
        return latencyFor(path, null);
    }

    /** How long to wait before answering a request to {@code path} with {@code body}. */
    long latencyFor(String path, String body) {
        SlowPath slow = slowPath;
        return slow != null && slow.matches(path, body) ? Math.max(slow.millis(), latencyMillis) : latencyMillis;
    }

    /**
     * The next {@code count} Gateway requests whose body (the JSON of query and variables) contains a
     * match of {@code bodyRegex} are answered with a GraphQL error (HTTP 200); other requests are served
     * and do not use up the count. A count of 0 removes it.
     */
    public Faults graphqlErrorMatching(String bodyRegex, int count) {
        this.graphqlBodyFailure = count > 0 ? new BodyFailure(Pattern.compile(bodyRegex), new AtomicInteger(count)) : null;
        return this;
    }

    /** These endpoints (by Gateway id) are offline: the Data Service still knows them, live reads get no answer from them. */
    public Faults offline(Set<String> endpointIds) {
        this.offline = Set.copyOf(endpointIds);
        return this;
    }

    /** The Gateway answers at most {@code limit} records per page of an endpoints connection, however many first asks for; 0: no limit. */
    public Faults gatewayPageLimit(int limit) {
        this.gatewayPageLimit = Math.max(0, limit);
        return this;
    }

    boolean isOffline(String endpointId) {
        return offline.contains(endpointId);
    }

    int gatewayPageLimit() {
        return gatewayPageLimit;
    }

    public Faults graphqlErrorNext(int count) {
        this.graphqlErrorNext.set(count);
        return this;
    }

    public Faults clear() {
        latencyMillis = 0;
        retryAfterSeconds = 1;
        unavailableRetryAfterSeconds = 0;
        retryAfterAsDate = false;
        outage = false;
        httpErrorRate = 0;
        graphqlErrorRate = 0;
        failNext.set(0);
        graphqlErrorNext.set(0);
        pathFailure = null;
        slowPath = null;
        graphqlBodyFailure = null;
        offline = Set.of();
        gatewayPageLimit = 0;
        return this;
    }

    /**
     * Applies the fields present in a JSON document: {@code latencyMs}, {@code httpErrorRate},
     * {@code httpErrorStatus}, {@code retryAfterSeconds}, {@code graphqlErrorRate}, {@code failNext}
     * (with {@code failNextStatus}), {@code graphqlErrorNext},
     * {@code failNextMatching: {"path": regex, "count": 1, "status": 503}},
     * {@code slowMatching: {"path": regex, "body": regex (optional), "ms": 30000}},
     * {@code graphqlErrorMatching: {"body": regex, "count": 1}}, {@code offline: ["endpoint id", ...]},
     * {@code gatewayPageLimit}, {@code outage}; {@code {"clear": true}} resets all.
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
        if (settings.has("outage")) {
            outage(settings.get("outage").asBoolean());
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
        if (settings.has("failNextMatching")) {
            JsonNode rule = settings.get("failNextMatching");
            if (!rule.path("path").isTextual()) {
                throw new IllegalArgumentException("failNextMatching needs a \"path\" regular expression");
            }
            failNextMatching(rule.get("path").asText(), rule.path("count").asInt(1), rule.path("status").asInt(503));
        }
        if (settings.has("slowMatching")) {
            JsonNode rule = settings.get("slowMatching");
            if (!rule.path("path").isTextual()) {
                throw new IllegalArgumentException("slowMatching needs a \"path\" regular expression");
            }
            slowMatching(rule.get("path").asText(), rule.path("body").isTextual() ? rule.get("body").asText() : null, rule.path("ms").asLong());
        }
        if (settings.has("graphqlErrorMatching")) {
            JsonNode rule = settings.get("graphqlErrorMatching");
            if (!rule.path("body").isTextual()) {
                throw new IllegalArgumentException("graphqlErrorMatching needs a \"body\" regular expression");
            }
            graphqlErrorMatching(rule.get("body").asText(), rule.path("count").asInt(1));
        }
        if (settings.has("offline")) {
            java.util.Set<String> ids = new java.util.HashSet<>();
            settings.get("offline").forEach(id -> ids.add(id.asText()));
            offline(ids);
        }
        if (settings.has("gatewayPageLimit")) {
            gatewayPageLimit(settings.get("gatewayPageLimit").asInt());
        }
        return this;
    }

    /** The Retry-After a reply of {@code status} carries, or null. */
    String retryAfterFor(int status) {
        int seconds = status == 429 ? retryAfterSeconds : status == 503 ? unavailableRetryAfterSeconds : 0;
        if (seconds <= 0) {
            return null;
        }
        return retryAfterAsDate
                ? java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).plusSeconds(seconds))
                : String.valueOf(seconds);
    }

    ObjectNode describe(ObjectMapper mapper) {
        ObjectNode description = mapper.createObjectNode().put("latencyMs", latencyMillis).put("httpErrorRate", httpErrorRate)
                .put("httpErrorStatus", httpErrorStatus).put("retryAfterSeconds", retryAfterSeconds)
                .put("graphqlErrorRate", graphqlErrorRate).put("failNext", failNext.get())
                .put("graphqlErrorNext", graphqlErrorNext.get()).put("outage", outage);
        PathFailure rule = pathFailure;
        if (rule == null || rule.remaining().get() == 0) {
            description.putNull("failNextMatching");
        } else {
            description.putObject("failNextMatching").put("path", rule.pattern().pattern())
                    .put("count", rule.remaining().get()).put("status", rule.status());
        }
        SlowPath slow = slowPath;
        if (slow == null) {
            description.putNull("slowMatching");
        } else {
            description.putObject("slowMatching").put("path", slow.pattern().pattern())
                    .put("body", slow.body() == null ? null : slow.body().pattern()).put("ms", slow.millis());
        }
        BodyFailure body = graphqlBodyFailure;
        if (body == null || body.remaining().get() == 0) {
            description.putNull("graphqlErrorMatching");
        } else {
            description.putObject("graphqlErrorMatching").put("body", body.pattern().pattern()).put("count", body.remaining().get());
        }
        offline.stream().sorted().forEach(description.putArray("offline")::add);
        description.put("gatewayPageLimit", gatewayPageLimit);
        return description;
    }

    /** The HTTP status to fail this request to {@code path} with, or 0 to serve it. */
    int httpFailure(String path) {
        PathFailure rule = pathFailure;
        if (rule != null && rule.pattern().matcher(path).find() && rule.remaining().getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
            return rule.status();
        }
        if (failNext.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
            return failNextStatus;
        }
        return httpErrorRate > 0 && ThreadLocalRandom.current().nextDouble() < httpErrorRate ? httpErrorStatus : 0;
    }

    /** Whether this Gateway request (its body) is one to fail with a GraphQL error. */
    boolean graphqlFailureFor(String body) {
        BodyFailure rule = graphqlBodyFailure;
        return rule != null && body != null && rule.pattern().matcher(body).find() && rule.remaining().getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
    }

    boolean graphqlFailure() {
        if (graphqlErrorNext.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
            return true;
        }
        return graphqlErrorRate > 0 && ThreadLocalRandom.current().nextDouble() < graphqlErrorRate;
    }
}
