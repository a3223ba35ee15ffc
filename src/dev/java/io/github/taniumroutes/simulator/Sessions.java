package io.github.taniumroutes.simulator;

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
 * valid so far expire at once ({@link #expireAll()}), as a token that ends mid-load does.
 */
public final class Sessions {

    public static final String LOGIN_PATH = "/api/v2/session/login";

    private final String apiToken;
    private final Set<String> valid = ConcurrentHashMap.newKeySet();
    private final AtomicInteger logins = new AtomicInteger();
    private volatile String username;
    private volatile String password;

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
        return this;
    }

    /** Successful logins. */
    public int logins() {
        return logins.get();
    }

    boolean accepts(String session) {
        return session != null && valid.contains(session);
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
