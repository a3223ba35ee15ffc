package io.github.taniumroutes.threatresponse;

import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import io.github.taniumroutes.investigation.Investigation;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/**
 * One live connection per endpoint (per Tanium server and client id), shared by every investigation
 * on that endpoint and reference counted: the first investigation opens it, the others join, and the
 * last one to leave closes it. Endpoints are partitioned by key, so all of an endpoint's
 * investigations run on one instance and this count is complete.
 */
@Singleton
@Named("liveConnections")
public class LiveConnections {

    private static final class Shared {
        final Set<String> users = new LinkedHashSet<>();
        /** Once the opener has asked Tanium (or found one of ours), waiters may look for it in GET /conns. */
        boolean requested;
        long requestedAt;
        String connectionId;
    }

    private final Map<String, Shared> byEndpoint = new HashMap<>();
    /** When we last closed each endpoint's connection: a connection list fetched before then still shows it open. */
    private final Map<String, Long> closedAt = new HashMap<>();
    private final Clock clock;

    public LiveConnections() {
        this(Clock.systemUTC());
    }

    public LiveConnections(Clock clock) {
        this.clock = clock;
    }

    /** Joins the endpoint's connection; true when this investigation is the first and must open it. */
    public synchronized boolean join(Investigation investigation) {
        Shared shared = byEndpoint.computeIfAbsent(key(investigation), k -> new Shared());
        shared.users.add(investigation.getId());
        return shared.users.size() == 1 && !shared.requested;
    }

    /** A resumed investigation that already had the connection: it counts again, nothing is opened. */
    public synchronized void rejoin(Investigation investigation) {
        Shared shared = byEndpoint.computeIfAbsent(key(investigation), k -> new Shared());
        shared.users.add(investigation.getId());
        if (investigation.getConnectionId() != null) {
            shared.requested = true;
            shared.connectionId = investigation.getConnectionId();
        }
    }

    /** The opener has asked Tanium for the connection (or adopted an open one of ours). */
    public synchronized void requested(Investigation investigation, String connectionId) {
        Shared shared = byEndpoint.get(key(investigation));
        if (shared != null) {
            shared.requested = true;
            shared.requestedAt = clock.millis();
            shared.connectionId = connectionId;
        }
        investigation.adoptConnection(connectionId);
    }

    /** A connection list fetched before this time cannot show the endpoint's current connection. */
    public synchronized long listedNotBefore(Investigation investigation) {
        Shared shared = byEndpoint.get(key(investigation));
        return shared == null ? 0 : shared.requestedAt;
    }

    /** A connection list fetched before this time may show the connection we last closed as open. */
    public synchronized long closedAt(Investigation investigation) {
        return closedAt.getOrDefault(key(investigation), 0L);
    }

    /** Whether the endpoint's connection has been asked for, so that GET /conns can show it. */
    public synchronized boolean isRequested(Investigation investigation) {
        Shared shared = byEndpoint.get(key(investigation));
        return shared != null && shared.requested;
    }

    /** The connection's id as an investigation last saw it (it changes once the connection is established). */
    public synchronized void seen(Investigation investigation, String connectionId) {
        Shared shared = byEndpoint.get(key(investigation));
        if (shared != null && connectionId != null) {
            shared.connectionId = connectionId;
        }
    }

    /**
     * Leaves the endpoint's connection. Returns the id to close when this was the last user and the
     * connection was asked for, else null.
     */
    public synchronized String leave(Investigation investigation) {
        String key = key(investigation);
        Shared shared = byEndpoint.get(key);
        if (shared == null) {
            return investigation.getConnectionId();
        }
        shared.users.remove(investigation.getId());
        if (!shared.users.isEmpty()) {
            return null;
        }
        byEndpoint.remove(key);
        String id = shared.connectionId != null ? shared.connectionId : investigation.getConnectionId();
        if (shared.requested || investigation.getConnectionId() != null) {
            closedAt.put(key, clock.millis());
            return id;
        }
        return null;
    }

    /** Forgets an investigation that another instance now owns, without closing anything. */
    public synchronized void forget(Investigation investigation) {
        String key = key(investigation);
        Shared shared = byEndpoint.get(key);
        if (shared != null) {
            shared.users.remove(investigation.getId());
            if (shared.users.isEmpty()) {
                byEndpoint.remove(key);
            }
        }
    }

    public synchronized int users(Investigation investigation) {
        Shared shared = byEndpoint.get(key(investigation));
        return shared == null ? 0 : shared.users.size();
    }

    private static String key(Investigation investigation) {
        return investigation.getServer() + "\u0000" + investigation.getTarget().clientId();
    }
}
