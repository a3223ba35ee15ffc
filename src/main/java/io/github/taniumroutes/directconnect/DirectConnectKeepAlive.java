package io.github.taniumroutes.directconnect;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.taniumroutes.investigation.EndpointSessions;
import io.github.taniumroutes.investigation.Investigation;
import io.github.taniumroutes.tanium.TaniumSettings;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/**
 * Keeps the Direct Connect sessions this instance holds open: Tanium closes a session after an
 * inactivity limit ({@code tanium.servers.<name>.direct-connect-inactivity-limit}), and a step may hold one
 * for longer without a request of its own (while it waits between polls, or for the process to go after a
 * kill). Route {@code direct-connect-keep-alive} asks {@link #due} every
 * {@code direct-connect.keep-alive-check-ms} and pings each session that has seen no request for a third of
 * its server's limit. A session is held from the moment a step finds it ready until its last user here
 * gives it back ({@link #released}); once no investigation here holds it (its partition moved to another
 * instance, which adopts it from the journal) it is no longer pinged from here. A ping that finds the
 * session closed stops the pings; the step finds it closed at its next check and reopens it once.
 */
@Singleton
@Named("directConnectKeepAlive")
public class DirectConnectKeepAlive {

    /** A session to ping now. */
    public record Due(String server, String connectionId) {
    }

    private static final class Held {
        final String server;
        Investigation holder;
        long lastActivity;
        int pings;

        Held(String server, Investigation holder, long now) {
            this.server = server;
            this.holder = holder;
            this.lastActivity = now;
        }
    }

    private final Map<String, Held> held = new LinkedHashMap<>();
    /** A session reopened by one of its users: the id the others adopt instead of reopening it again. */
    private final Map<String, String> replacedBy = new HashMap<>();
    private final EndpointSessions sessions;
    private final TaniumSettings servers;
    private final Clock clock;

    @Inject
    public DirectConnectKeepAlive(EndpointSessions sessions, TaniumSettings servers) {
        this(sessions, servers, Clock.systemUTC());
    }

    public DirectConnectKeepAlive(EndpointSessions sessions, TaniumSettings servers, Clock clock) {
        this.sessions = sessions;
        this.servers = servers;
        this.clock = clock;
    }

    /** A step found the session ready: it is held (from now on pinged when idle), and this was a request on it. */
    public synchronized void held(Investigation investigation, String connectionId) {
        Held session = held.computeIfAbsent(connectionId, id -> new Held(investigation.getServer(), investigation, clock.millis()));
        session.holder = investigation;
        session.lastActivity = clock.millis();
    }

    /** A request on the session (a read, a kill): Tanium's inactivity clock starts again. */
    public synchronized void touched(String connectionId) {
        Held session = held.get(connectionId);
        if (session != null) {
            session.lastActivity = clock.millis();
        }
    }

    /**
     * The sessions to ping now: held here, by an investigation that still holds it, and idle for a third of
     * their server's inactivity limit. Each is counted as pinged from now, so a slow ping is not sent twice.
     */
    public synchronized List<Due> due() {
        long now = clock.millis();
        List<Due> due = new ArrayList<>();
        held.entrySet().removeIf(entry -> sessions.users(entry.getValue().holder, DirectConnectFlow.SESSION) == 0);
        held.forEach((id, session) -> {
            if (now - session.lastActivity >= interval(session.server).toMillis()) {
                session.lastActivity = now;
                session.pings++;
                due.add(new Due(session.server, id));
            }
        });
        return due;
    }

    /** A ping's answer: a session Tanium reports closed (or unknown) is no longer pinged. */
    public synchronized void pinged(String connectionId, DirectConnectReplies.Status status) {
        if (status.state() == DirectConnectReplies.State.CLOSED) {
            held.remove(connectionId);
        }
    }

    /** The last user here gave the session back (and closes it). */
    public synchronized void released(String connectionId) {
        held.remove(connectionId);
        replacedBy.remove(connectionId);
        replacedBy.values().removeIf(connectionId::equals);
    }

    /** One user reopened the session {@code lostId} as {@code newId}. */
    public synchronized void replaced(String lostId, String newId) {
        held.remove(lostId);
        replacedBy.put(lostId, newId);
    }

    /** The session that replaced {@code lostId} (another user reopened it), or null. */
    public synchronized String replacement(String lostId) {
        return lostId == null ? null : replacedBy.get(lostId);
    }

    /** Pings sent for the session since it was held here. */
    public synchronized int pings(String connectionId) {
        Held session = connectionId == null ? null : held.get(connectionId);
        return session == null ? 0 : session.pings;
    }

    public synchronized boolean isHeld(String connectionId) {
        return held.containsKey(connectionId);
    }

    /** A third of the server's inactivity limit: two pings can be lost before Tanium closes the session. */
    Duration interval(String server) {
        TaniumSettings.Server settings = servers.servers().get(server);
        Duration limit = settings == null ? Duration.ofMinutes(2) : settings.directConnectInactivityLimit();
        return limit.dividedBy(3);
    }
}
