package io.github.taniumroutes.threatresponse;

import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.github.taniumroutes.investigation.Investigation;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/**
 * One shared {@code GET /conns} per Tanium server: the list names every connection, so one call
 * answers every investigation waiting for its connection. At most one refresh runs per server at a
 * time and at most one per {@code threat-response.connections-refresh-ms}; waiters in between read the
 * list already fetched. Also remembers the id of the user behind each server's token, because only
 * connections that user opened are ours to use and close.
 */
@Singleton
@Named("connectionsView")
public class ConnectionsView {

    private static final class ServerView {
        final AtomicBoolean refreshing = new AtomicBoolean();
        volatile boolean fetched;
        volatile long fetchedAt;
        /** When the request behind the current list was sent: it shows nothing that happened after. */
        volatile long listedAt = -1;
        volatile long claimedAt;
        /** The list by client id: thousands of waiters each look up their endpoint on every poll. */
        volatile Map<String, List<LiveConnection>> byClient = Map.of();
        volatile String userId;
    }

    private final Map<String, ServerView> servers = new ConcurrentHashMap<>();
    private final long refreshMs;
    private final Clock clock;

    @Inject
    public ConnectionsView(@ConfigProperty(name = "threat-response.connections-refresh-ms") long refreshMs) {
        this(refreshMs, Clock.systemUTC());
    }

    public ConnectionsView(long refreshMs, Clock clock) {
        this.refreshMs = refreshMs;
        this.clock = clock;
    }

    /** True for exactly one caller per server and interval: that caller fetches and calls {@link #update}. */
    public boolean claimRefresh(String server) {
        ServerView view = view(server);
        if (view.fetched && clock.millis() - view.fetchedAt < refreshMs) {
            return false;
        }
        if (view.refreshing.compareAndSet(false, true)) {
            view.claimedAt = clock.millis();
            return true;
        }
        return false;
    }

    public void update(String server, List<LiveConnection> connections) {
        ServerView view = view(server);
        view.byClient = connections.stream().filter(c -> c.clientId() != null)
                .collect(Collectors.groupingBy(LiveConnection::clientId));
        view.listedAt = view.claimedAt;
        view.fetchedAt = clock.millis();
        view.fetched = true;
    }

    /** The claimed refresh is over, done or failed: the next one may be claimed. */
    public void refreshDone(String server) {
        view(server).refreshing.set(false);
    }

    public boolean knowsUser(String server) {
        return view(server).userId != null;
    }

    public void user(String server, String userId) {
        view(server).userId = userId;
    }

    /**
     * Our connection to the investigation's endpoint: the one with the id it last saw, else the newest
     * one of ours for its client id; null if the list shows none, or was asked for before
     * {@code notBefore} (before the connection was requested or last closed: it would be stale).
     */
    public LiveConnection find(Investigation investigation, long notBefore) {
        String knownId = investigation.session(SnapshotFlow.LIVE_CONNECTION);
        ServerView view = view(investigation.getServer());
        // Asked for in the same millisecond as the request or close: it may not show it, so not trusted.
        if (notBefore > 0 ? view.listedAt <= notBefore : view.listedAt < 0) {
            return null;
        }
        String ours = view.userId;
        String clientId = investigation.getTarget().clientId();
        List<LiveConnection> candidates = view.byClient.getOrDefault(clientId, List.of()).stream()
                .filter(c -> ours != null && ours.equals(c.userId())).toList();
        return candidates.stream().filter(c -> knownId != null && knownId.equals(c.id())).findFirst()
                .orElseGet(() -> candidates.stream()
                        .max(Comparator.comparingLong(c -> epochMillis(c.initiatedAt()))).orElse(null));
    }

    /** An open (waiting or connected) connection of ours to the endpoint, for adoption instead of a second connect. */
    public LiveConnection findOpen(Investigation investigation, long notBefore) {
        LiveConnection found = find(investigation, notBefore);
        return found != null && found.isOpen() ? found : null;
    }

    /** Recorded replies give initiatedAt in epoch milliseconds; ISO-8601 is accepted too; anything else sorts first. */
    static long epochMillis(String time) {
        if (time == null || time.isBlank()) {
            return Long.MIN_VALUE;
        }
        try {
            return Long.parseLong(time);
        } catch (NumberFormatException notNumeric) {
            try {
                return Instant.parse(time).toEpochMilli();
            } catch (DateTimeParseException unreadable) {
                return Long.MIN_VALUE;
            }
        }
    }

    private ServerView view(String server) {
        return servers.computeIfAbsent(server, s -> new ServerView());
    }
}
