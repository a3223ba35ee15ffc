package io.github.taniumroutes.simulator;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Which {@code session} values the simulated Tanium accepts: the API token it was started with, and
 * the sessions {@code POST /api/v2/session/login} hands out for the configured credentials (reply
 * {@code {"data":{"session":"…"}}}, as Tanium's REST API answers). A test can make every session
 * valid so far expire at once ({@link #expireAll()}), as a token that ends mid-load does, or after a
 * number of requests or a time from their first use ({@link #expireAfter}).
 */
public final class Sessions {

    public static final String LOGIN_PATH = "/api/v2/session/login";

    private final String apiToken;
    private final Set<String> valid = ConcurrentHashMap.newKeySet();
    private final AtomicInteger logins = new AtomicInteger();
    private volatile String username;
    private volatile String password;
    /** Requests each session serves before it expires (0: no limit). */
    private volatile int expireAfterRequests;
    private final Map<String, AtomicInteger> served = new ConcurrentHashMap<>();
    /** How long a session lives from its first use (null: no limit), as a Tanium session ends after its timeout. */
    private volatile Duration expireAfterTime;
    private final Map<String, Long> firstUsedNanos = new ConcurrentHashMap<>();
    /** While set, every session is refused with 401, as Tanium refuses a token used from an address not in its trusted list. */
    private volatile boolean untrustedSource;

    Sessions(String apiToken) {
        this.apiToken = apiToken;
        valid.add(apiToken);
    }

    /** Logins with these credentials succeed (until {@link #reset()}). */
    public Sessions credentials(String user, String secret) {
        this.username = user;
        this.password = secret;
        return this;
    }

    /** Every session expires after serving {@code requests} requests (0: never). */
    public Sessions expireAfter(int requests) {
        this.expireAfterRequests = requests;
        served.clear();
        return this;
    }

    /** Every session expires {@code lifetime} after its first use (null: never). */
    public Sessions expireAfter(Duration lifetime) {
        this.expireAfterTime = lifetime;
        firstUsedNanos.clear();
        return this;
    }

    /** While true, every request is refused with 401: the source address is not trusted for any token (TANIUM_API.md: a 401 can mean that too). */
    public Sessions untrustedSource(boolean untrusted) {
        this.untrustedSource = untrusted;
        return this;
    }

    /** Every session accepted so far, the API token included, is rejected from now on. */
    public Sessions expireAll() {
        valid.clear();
        return this;
    }

    /** Back to the API token only, no credentials, no logins counted. */
    public Sessions reset() {
        valid.clear();
        valid.add(apiToken);
        username = null;
        password = null;
        logins.set(0);
        expireAfterRequests = 0;
        served.clear();
        expireAfterTime = null;
        firstUsedNanos.clear();
        untrustedSource = false;
        return this;
    }

    /** Successful logins. */
    public int logins() {
        return logins.get();
    }

    /** 0 when the request may go on, else the status to refuse it with (401: expired, unknown, or the source address is not trusted). */
    int refusal(String session) {
        if (untrustedSource) {
            return 401;
        }
        if (session == null || !valid.contains(session)) {
            return 401;
        }
        int limit = expireAfterRequests;
        if (limit > 0 && served.computeIfAbsent(session, s -> new AtomicInteger()).incrementAndGet() > limit) {
            valid.remove(session);
            return 401;
        }
        Duration lifetime = expireAfterTime;
        if (lifetime != null) {
            long now = System.nanoTime();
            long firstUse = firstUsedNanos.computeIfAbsent(session, s -> now);
            if (now - firstUse >= lifetime.toNanos()) {
                valid.remove(session);
                return 401;
            }
        }
        return 0;
    }

    /** The reply to a login: 200 with a new session for the right credentials, else 401. */
    SimulatorHandler.Reply login(ObjectMapper mapper, String body) {
        JsonNode request;
        try {
            request = mapper.readTree(body);
        } catch (Exception e) {
            return SimulatorHandler.Reply.json(400, mapper.createObjectNode().put("text", "Bad Request"));
        }
        String user = username;
        if (user == null || request == null || !user.equals(request.path("username").asText(null))
                || !password.equals(request.path("password").asText(null))) {
            return SimulatorHandler.Reply.json(401, mapper.createObjectNode().put("text", "Invalid credentials"));
        }
        String session = "session-" + UUID.randomUUID();
        valid.add(session);
        logins.incrementAndGet();
        var reply = mapper.createObjectNode();
        reply.putObject("data").put("session", session);
        return SimulatorHandler.Reply.json(200, reply);
    }
}
