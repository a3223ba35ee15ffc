package io.github.taniumroutes.tanium;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.Variable;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/**
 * The session each Tanium server's requests carry in their {@code session} header: the configured API
 * token, or a session from logging in with the server's credentials ({@code POST
 * /api/v2/session/login}, route tanium-login). A request rejected with 401 or 403 renews the session
 * once and is sent again (routeConfiguration tanium-calls): one login per server however many
 * callers were rejected at once — the others take the session it got. Without credentials, or when
 * the login fails, the rejection stands. Sessions and passwords are never logged.
 */
@Singleton
@Named("taniumSessions")
public class TaniumSessions {

    private static final Logger LOG = Logger.getLogger(TaniumSessions.class);

    /** Logs in to a server and returns the new session. */
    public interface Login {
        String session(String server) throws Exception;
    }

    private final TaniumSettings settings;
    private final Login login;
    private final ObjectMapper mapper;
    /** Sessions from logins, by server; they replace the configured token once it was rejected. */
    private final Map<String, String> renewed = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    private final SecretFiles files = new SecretFiles();
    /** Servers whose session is rejected and cannot be renewed, since when (epoch ms). */
    private final Map<String, Long> rejectedSince = new ConcurrentHashMap<>();
    private final Map<String, Long> lastAlarm = new ConcurrentHashMap<>();
    private final Map<String, Integer> alarms = new ConcurrentHashMap<>();
    private final java.time.Clock clock;

    @Inject
    public TaniumSessions(TaniumSettings settings, ProducerTemplate producer, ObjectMapper mapper,
            io.micrometer.core.instrument.MeterRegistry meters) {
        this.settings = settings;
        this.mapper = mapper;
        this.login = server -> loginThroughRoute(producer, server);
        this.clock = java.time.Clock.systemUTC();
        for (String server : settings.servers().keySet()) {
            io.micrometer.core.instrument.Gauge.builder("tanium.session.rejected", rejectedSince, m -> m.containsKey(server) ? 1 : 0)
                    .description("1 while the server rejects our session and it cannot be renewed").tag("server", server).register(meters);
        }
    }

    public TaniumSessions(TaniumSettings settings, ObjectMapper mapper, Login login) {
        this(settings, mapper, login, java.time.Clock.systemUTC());
    }

    public TaniumSessions(TaniumSettings settings, ObjectMapper mapper, Login login, java.time.Clock clock) {
        this.settings = settings;
        this.mapper = mapper;
        this.login = login;
        this.clock = clock;
    }

    /** The session for the next request to {@code server}; logs in first if the server has credentials and no token. */
    public String token(@Variable("taniumServer") String server) throws Exception {
        String session = current(server);
        if (session != null) {
            return session;
        }
        if (!hasCredentials(server)) {
            throw new TaniumException("no API token or credentials are configured for Tanium server '" + server + "' (set tanium.servers."
                    + server + ".token, or .username and .password; TANIUM_TOKEN for the default server)");
        }
        String fresh = renew(server, null);
        if (fresh == null) {
            throw new TaniumException("no session for Tanium server '" + server + "'");
        }
        return fresh;
    }

    /**
     * The retryWhile of tanium-calls for 401 and 403: once per request, without delay, after renewing
     * the session; false when there is nothing to renew with.
     */
    public boolean renewed(Exchange exchange) {
        int redelivery = exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class);
        String server = exchange.getVariable("taniumServer", String.class);
        if (redelivery > 1) {
            rejected(server, "the renewed session was rejected too");
            return false;
        }
        String rejected = exchange.getIn().getHeader("session", String.class);
        String fresh;
        try {
            fresh = renew(server, rejected);
        } catch (Exception e) {
            rejected(server, "the login failed: " + e.getMessage());
            return false;
        }
        if (fresh == null) {
            rejected(server, "no credentials are configured to renew it");
            return false;
        }
        // The redelivery re-sends the message as it was before the attempt; sessionForRedelivery puts the new one in.
        exchange.getIn().setHeader(Exchange.REDELIVERY_DELAY, 0L);
        return true;
    }

    /** A request to the server succeeded: its session is accepted (again). */
    public void accepted(@Variable("taniumServer") String server) {
        if (server != null && rejectedSince.remove(server) != null) {
            LOG.infof("Tanium server '%s' accepts our session again", server);
        }
    }

    /** Servers whose session is rejected and cannot be renewed, and since when: readiness and the metric report them. */
    public Map<String, Long> rejectedServers() {
        return Map.copyOf(rejectedSince);
    }

    /** How many ERROR lines were written for the server (for tests). */
    int alarms(String server) {
        return alarms.getOrDefault(server, 0);
    }

    /** One ERROR line a minute per server at most, however many calls are rejected. */
    private void rejected(String server, String why) {
        long now = clock.millis();
        rejectedSince.putIfAbsent(server, now);
        Long last = lastAlarm.get(server);
        if (last == null || now - last >= 60_000) {
            lastAlarm.put(server, now);
            alarms.merge(server, 1, Integer::sum);
            LOG.errorf("Tanium server '%s' rejects our session and it cannot be renewed (%s): its calls end tanium_unauthorized"
                    + " until it accepts one", server, why);
        }
    }

    /** The onRedelivery of tanium-calls: the request about to be sent again carries the server's current session. */
    public void sessionForRedelivery(Exchange exchange) throws Exception {
        exchange.getIn().setHeader("session", token(exchange.getVariable("taniumServer", String.class)));
    }

    /**
     * A session other than {@code rejected}: the one another caller got meanwhile, or a new login;
     * null when the server has no credentials to log in with.
     */
    String renew(String server, String rejected) throws Exception {
        synchronized (locks.computeIfAbsent(server, s -> new Object())) {
            String now = current(server);
            if (now != null && !now.equals(rejected)) {
                return now;
            }
            if (!hasCredentials(server)) {
                return null;
            }
            String session = login.session(server);
            if (session == null || session.isBlank()) {
                throw new TaniumException("Tanium server '" + server + "' answered the login without a session");
            }
            renewed.put(server, session);
            LOG.infof("logged in to Tanium server '%s' for a new session", server);
            return session;
        }
    }

    /** The body of the login request (route tanium-login): the server's credentials. */
    public String loginBody(@Variable("taniumServer") String server) throws Exception {
        TaniumSettings.Server settingsOf = server(server);
        Map<String, String> body = new LinkedHashMap<>();
        body.put("username", settingsOf.username().orElse(""));
        body.put("password", password(settingsOf).orElse(""));
        settingsOf.domain().filter(d -> !d.isBlank()).ifPresent(d -> body.put("domain", d));
        return mapper.writeValueAsString(body);
    }

    /** The session in a login reply, {@code {"data":{"session":"…"}}}. */
    public String sessionOf(String reply) throws Exception {
        JsonNode session = mapper.readTree(reply).path("data").path("session");
        if (!session.isTextual() || session.asText().isBlank()) {
            throw new TaniumException("the login reply names no session");
        }
        return session.asText();
    }

    private String loginThroughRoute(ProducerTemplate producer, String server) throws Exception {
        Exchange done = producer.send("direct:tanium-login", exchange -> exchange.setVariable("taniumServer", server));
        if (done.getException() != null) {
            throw new TaniumException("login refused or failed: " + new TaniumErrors().describe(done.getException()));
        }
        return sessionOf(done.getMessage().getBody(String.class));
    }

    private String current(String server) {
        TaniumSettings.Server settingsOf = server(server);
        if (settingsOf.tokenFile().isPresent()) {
            SecretFiles.Read token = files.read(settingsOf.tokenFile().get());
            if (token.changed()) {
                // A rotated token (the Secret was updated) replaces any session we logged in for.
                renewed.remove(server);
            }
            String session = renewed.get(server);
            return session != null ? session : token.value();
        }
        String session = renewed.get(server);
        return session != null ? session : settingsOf.token().filter(t -> !t.isBlank()).orElse(null);
    }

    private boolean hasCredentials(String server) {
        TaniumSettings.Server settingsOf = server(server);
        return settingsOf.username().filter(u -> !u.isBlank()).isPresent() && password(settingsOf).filter(p -> !p.isEmpty()).isPresent();
    }

    private Optional<String> password(TaniumSettings.Server settingsOf) {
        return settingsOf.passwordFile().isPresent() ? Optional.ofNullable(files.read(settingsOf.passwordFile().get()).value())
                : settingsOf.password();
    }

    private TaniumSettings.Server server(String name) {
        TaniumSettings.Server server = settings.servers().get(name);
        if (server == null) {
            throw new TaniumException("unknown Tanium server '" + name + "'; configured: " + settings.servers().keySet());
        }
        return server;
    }
}
