package io.github.taniumroutes.investigation;

import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Named;
import jakarta.inject.Singleton;

/**
 * Endpoint sessions (a Threat Response live connection, a Direct Connect session): one per Tanium
 * server, endpoint and kind, shared by every investigation working on that endpoint and reference
 * counted. The first investigation to {@link #join} opens it; the others wait for it; an
 * investigation resumed from the journal {@link #rejoin}s the one it held (adopted, not opened again);
 * the last to {@link #leave} gets its id back, to close it. Endpoints are partitioned by key, so all of
 * an endpoint's investigations run on one instance and the count is complete.
 *
 * <p>Which sessions an investigation holds is journaled with it, so the engine can rejoin and forget
 * them without knowing any flow.
 */
@Singleton
@Named("endpointSessions")
public class EndpointSessions {

    private static final class Shared {
        final Set<String> users = new LinkedHashSet<>();
        /** An investigation has set out to open it and not given up. */
        String opener;
        /** Once the opener has asked Tanium (or found one of ours), the others may look for it. */
        boolean requested;
        long requestedAt;
        String id;
    }

    private final Map<String, Shared> sessions = new HashMap<>();
    /** When each endpoint's session was last closed by us: a list fetched before then may still show it open. */
    private final Map<String, Long> closedAt = new HashMap<>();
    private final Clock clock;

    public EndpointSessions() {
        this(Clock.systemUTC());
    }

    public EndpointSessions(Clock clock) {
        this.clock = clock;
    }

    /**
     * Joins the endpoint's session of {@code kind}; true when this investigation must open it (no one
     * has asked for it yet, and no one else is about to).
     */
    public synchronized boolean join(Investigation investigation, String kind) {
        Shared shared = sessions.computeIfAbsent(key(investigation, kind), k -> new Shared());
        shared.users.add(investigation.getId());
        investigation.sessions().putIfAbsent(kind, "");
        investigation.changed();
        if (!shared.requested && (shared.opener == null || shared.opener.equals(investigation.getId())
                || !shared.users.contains(shared.opener))) {
            shared.opener = investigation.getId();
            return true;
        }
        return false;
    }

    /** Resumed from the journal: counts again for every session it held, and adopts the ones whose id it knew. */
    public synchronized void rejoin(Investigation investigation) {
        investigation.sessions().forEach((kind, id) -> {
            Shared shared = sessions.computeIfAbsent(key(investigation, kind), k -> new Shared());
            shared.users.add(investigation.getId());
            if (!id.isEmpty()) {
                shared.requested = true;
                shared.id = id;
            }
        });
    }

    /** The opener has asked Tanium for the session (or adopted an open one of ours). */
    public synchronized void requested(Investigation investigation, String kind, String id) {
        Shared shared = sessions.get(key(investigation, kind));
        if (shared != null) {
            shared.requested = true;
            shared.requestedAt = clock.millis();
            shared.id = id;
        }
        adopt(investigation, kind, id);
    }

    /** Whether the session has been asked for, so that a waiter can look for it. */
    public synchronized boolean isRequested(Investigation investigation, String kind) {
        Shared shared = sessions.get(key(investigation, kind));
        return shared != null && shared.requested;
    }

    /** No one is opening the session and it was never asked for (its opener failed or left): the caller should open it. */
    public synchronized boolean isOrphaned(Investigation investigation, String kind) {
        Shared shared = sessions.get(key(investigation, kind));
        return shared == null || !shared.requested && (shared.opener == null || !shared.users.contains(shared.opener));
    }

    /** A list of sessions fetched before this time cannot show the endpoint's current one. */
    public synchronized long requestedAt(Investigation investigation, String kind) {
        Shared shared = sessions.get(key(investigation, kind));
        return shared == null ? 0 : shared.requestedAt;
    }

    /** A list of sessions fetched before this time may show the one we last closed as open. */
    public synchronized long closedAt(Investigation investigation, String kind) {
        return closedAt.getOrDefault(key(investigation, kind), 0L);
    }

    /** The session's id as an investigation last saw it (a Threat Response connection's id changes once it is up). */
    public synchronized void seen(Investigation investigation, String kind, String id) {
        Shared shared = sessions.get(key(investigation, kind));
        if (shared != null && id != null) {
            shared.id = id;
        }
        adopt(investigation, kind, id);
    }

    /** The id of the endpoint's session of this kind as this investigation knows it, else as the shared record does. */
    public synchronized String id(Investigation investigation, String kind) {
        String own = investigation.session(kind);
        if (own != null) {
            return own;
        }
        Shared shared = sessions.get(key(investigation, kind));
        return shared == null ? null : shared.id;
    }

    /**
     * Leaves the endpoint's session. Returns the id to close when this was the last user and the
     * session was asked for, else null.
     */
    public synchronized String leave(Investigation investigation, String kind) {
        if (!investigation.holdsSession(kind)) {
            return null;
        }
        String own = investigation.session(kind);
        investigation.sessions().remove(kind);
        investigation.changed();
        String key = key(investigation, kind);
        Shared shared = sessions.get(key);
        if (shared == null) {
            return own;
        }
        shared.users.remove(investigation.getId());
        if (investigation.getId().equals(shared.opener) && !shared.requested) {
            shared.opener = null;
        }
        if (!shared.users.isEmpty()) {
            return null;
        }
        sessions.remove(key);
        String id = shared.id != null ? shared.id : own;
        if (id != null) {
            closedAt.put(key, clock.millis());
        }
        return id;
    }

    /** Forgets an investigation that another instance now owns (or that stopped), without closing anything. */
    public synchronized void forget(Investigation investigation) {
        for (String kind : investigation.sessions().keySet()) {
            String key = key(investigation, kind);
            Shared shared = sessions.get(key);
            if (shared != null) {
                shared.users.remove(investigation.getId());
                if (shared.users.isEmpty()) {
                    sessions.remove(key);
                }
            }
        }
    }

    public synchronized int users(Investigation investigation, String kind) {
        Shared shared = sessions.get(key(investigation, kind));
        return shared == null ? 0 : shared.users.size();
    }

    private static void adopt(Investigation investigation, String kind, String id) {
        if (id != null && !id.equals(investigation.session(kind))) {
            investigation.sessions().put(kind, id);
            investigation.changed();
        }
    }

    private static String key(Investigation investigation, String kind) {
        return investigation.getServer() + "\u0000" + investigation.getTarget().resultKey() + "\u0000" + kind;
    }
}
