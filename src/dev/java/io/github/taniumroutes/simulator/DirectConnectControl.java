package io.github.taniumroutes.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The state of the simulated Direct Connect (seed 004 and Tanium's current Gateway reference) and the
 * knobs of its behaviour, for tests ({@code simulator.directConnect()}) and, as JSON, for another
 * process ({@code GET|PUT /__simulator/direct-connect}).
 *
 * <p>A session is {@code CONNECTING} for {@link #connectDelay} after it is opened, then {@code READY};
 * Tanium closes it once it has seen no request on it (a ping, a status check, a read of its endpoint, a
 * kill) for {@link #inactivityLimit} (seed 004: two minutes; Tanium's current reference: five; default
 * here two). Which API generations the server answers is {@link #generations}: a server of one
 * generation refuses the other's names the way a GraphQL server refuses an unknown field. Each endpoint's
 * performance, processes and alerts come from the inventory ({@code directConnect} of an endpoint);
 * a kill that Tanium carries out removes the process, so a test can start another process under its pid
 * ({@link #startProcess}). Nothing runs in the background: whether a session has closed is worked out
 * from timestamps when it is looked at.
 *
 * <p>Counters (per Gateway endpoint id, since the last {@link #reset}): {@link #openCount},
 * {@link #closeCount} (closes we were asked for), {@link #pingCount}, {@link #killCount} (kill mutations
 * received, carried out or not); {@link #inactivityClosures} (sessions Tanium closed itself).
 */
public final class DirectConnectControl {

    /** The two API generations: seed 004's names, and the names of Tanium's current Gateway reference. */
    public enum Generation {
        /** {@code openDirectConnection}, {@code pingDirectConnection}, {@code closeDirectConnection}, {@code killProcess}, {@code directEndpoint}. */
        LEGACY,
        /**
         * {@code directConnectOpen} (with {@code status}), {@code directConnectConnectionStatus}, {@code directConnectPing},
         * {@code directConnectClose}, {@code directConnectProcessTerminate}, {@code directConnectEndpoint}.
         */
        CURRENT
    }

    /** A kill mutation as received: whether Tanium carried it out ({@code killed}) and the process it named. */
    public record Kill(String connectionId, String endpointId, String pid, String name, String signal, boolean killed, Instant at) {
    }

    /** A session as it is now: {@code state} is CONNECTING, READY or CLOSED; {@code closedBy} client, inactivity or tanium. */
    public record Session(String connectionId, String endpointId, String state, String closedBy) {
    }

    static final Duration DEFAULT_INACTIVITY_LIMIT = Duration.ofMinutes(2);

    private final Inventory inventory;
    private volatile LongSupplier clock = System::currentTimeMillis;
    private volatile long connectDelayMillis;
    private volatile long inactivityLimitMillis = DEFAULT_INACTIVITY_LIMIT.toMillis();
    private volatile Set<Generation> generations = EnumSet.allOf(Generation.class);

    private final Map<String, Conn> connections = new LinkedHashMap<>();
    private final Map<String, List<ObjectNode>> processes = new LinkedHashMap<>();
    private final List<Kill> kills = new CopyOnWriteArrayList<>();
    private final Counters opens = new Counters();
    private final Counters closes = new Counters();
    private final Counters pings = new Counters();
    private final Counters killCounts = new Counters();
    private final AtomicInteger inactivityClosures = new AtomicInteger();

    DirectConnectControl(Inventory inventory) {
        this.inventory = inventory;
        loadProcesses();
    }

    // ---- settings ----

    /** The clock sessions age by (tests step one by hand; {@link #reset} keeps it). */
    public DirectConnectControl clock(LongSupplier millis) {
        this.clock = java.util.Objects.requireNonNull(millis, "clock");
        return this;
    }

    /** How long a new session stays CONNECTING (default 0: READY at once). */
    public DirectConnectControl connectDelay(Duration delay) {
        this.connectDelayMillis = nonNegative(delay, "connect delay");
        return this;
    }

    /** After how long without a request Tanium closes a session (default two minutes, seed 004). */
    public DirectConnectControl inactivityLimit(Duration limit) {
        long millis = nonNegative(limit, "inactivity limit");
        if (millis == 0) {
            throw new IllegalArgumentException("the inactivity limit must be positive");
        }
        this.inactivityLimitMillis = millis;
        return this;
    }

    /** The API generations this server answers (default both). */
    public DirectConnectControl generations(Generation... served) {
        if (served.length == 0) {
            throw new IllegalArgumentException("a server serves at least one generation");
        }
        this.generations = EnumSet.copyOf(List.of(served));
        return this;
    }

    /**
     * A process starts on the endpoint (replacing whatever ran under {@code pid}): how a pid is reused
     * after the process an alert named has ended.
     */
    public synchronized DirectConnectControl startProcess(String endpointId, long pid, String name, String commandLine, String userName) {
        List<ObjectNode> list = processes.computeIfAbsent(endpointId, id -> new ArrayList<>());
        list.removeIf(p -> p.path("pid").asLong() == pid);
        ObjectNode process = new ObjectMapper().createObjectNode().put("pid", pid).put("ppid", 1).put("name", name)
                .put("commandLine", commandLine).put("userName", userName).put("groupName", "users").put("memoryResidentBytes", 4_096_000);
        list.add(process);
        return this;
    }

    /** The process under {@code pid} ends (without a kill). */
    public synchronized DirectConnectControl endProcess(String endpointId, long pid) {
        processes.getOrDefault(endpointId, new ArrayList<>()).removeIf(p -> p.path("pid").asLong() == pid);
        return this;
    }

    /** Tanium closes every session to the endpoint now (a restart of the module, an analyst ending it). */
    public synchronized DirectConnectControl closeSessions(String endpointId) {
        long now = clock.getAsLong();
        for (Conn connection : connections.values()) {
            if (connection.endpointId.equals(endpointId) && connection.state(now) != State.CLOSED) {
                connection.close(now, "tanium");
            }
        }
        return this;
    }

    /** Forgets sessions, kills and counters, restores the processes of the inventory and the default settings. */
    public synchronized DirectConnectControl reset() {
        connectDelayMillis = 0;
        inactivityLimitMillis = DEFAULT_INACTIVITY_LIMIT.toMillis();
        generations = EnumSet.allOf(Generation.class);
        connections.clear();
        kills.clear();
        opens.clear();
        closes.clear();
        pings.clear();
        killCounts.clear();
        inactivityClosures.set(0);
        loadProcesses();
        return this;
    }

    // ---- what the tests assert on ----

    public int openCount(String endpointId) {
        return opens.count(endpointId);
    }

    public int closeCount(String endpointId) {
        return closes.count(endpointId);
    }

    public int pingCount(String endpointId) {
        return pings.count(endpointId);
    }

    public int killCount(String endpointId) {
        return killCounts.count(endpointId);
    }

    public List<Kill> kills() {
        return List.copyOf(kills);
    }

    public int inactivityClosures() {
        sessions();
        return inactivityClosures.get();
    }

    /** Every session, as it is now (looking closes those past the inactivity limit). */
    public synchronized List<Session> sessions() {
        long now = clock.getAsLong();
        List<Session> all = new ArrayList<>();
        for (Conn connection : connections.values()) {
            State state = connection.state(now);
            all.add(new Session(connection.id, connection.endpointId, state.name(), connection.closedBy));
        }
        return all;
    }

    /** Sessions neither closed by us nor by Tanium: leaks show here. */
    public int openSessions() {
        return (int) sessions().stream().filter(s -> !"CLOSED".equals(s.state())).count();
    }

    /** The endpoint's processes now, in the shape of seed 004's {@code processes.all}. */
    public synchronized List<JsonNode> processes(String endpointId) {
        return processes.getOrDefault(endpointId, List.of()).stream().map(p -> (JsonNode) p.deepCopy()).toList();
    }

    public synchronized boolean runs(String endpointId, long pid) {
        return processes.getOrDefault(endpointId, List.of()).stream().anyMatch(p -> p.path("pid").asLong() == pid);
    }

    // ---- HTTP control document ----

    /**
     * Applies {@code {"reset":true, "connectDelayMs":3000, "inactivityLimitMs":120000, "generations":["LEGACY"],
     * "startProcess":{"endpointId","pid","name","commandLine","userName"}, "endProcess":{"endpointId","pid"},
     * "closeSessions":"<endpointId>"}} (every field optional; {@code reset} first). The whole document is checked
     * before anything changes.
     */
    void apply(JsonNode settings) {
        if (settings == null || !settings.isObject()) {
            throw new IllegalArgumentException("expected a JSON object");
        }
        Long delay = millis(settings, "connectDelayMs");
        Long limit = millis(settings, "inactivityLimitMs");
        if (limit != null && limit == 0) {
            throw new IllegalArgumentException("inactivityLimitMs must be positive");
        }
        List<Generation> served = new ArrayList<>();
        if (settings.has("generations")) {
            for (JsonNode g : settings.get("generations")) {
                served.add(Generation.valueOf(g.asText().toUpperCase(Locale.ROOT)));
            }
            if (served.isEmpty()) {
                throw new IllegalArgumentException("generations needs at least one of LEGACY, CURRENT");
            }
        }
        JsonNode start = settings.get("startProcess");
        if (start != null && !(start.path("endpointId").isTextual() && start.path("pid").canConvertToLong() && start.path("name").isTextual())) {
            throw new IllegalArgumentException("startProcess needs endpointId, pid and name");
        }
        JsonNode end = settings.get("endProcess");
        if (end != null && !(end.path("endpointId").isTextual() && end.path("pid").canConvertToLong())) {
            throw new IllegalArgumentException("endProcess needs endpointId and pid");
        }
        if (settings.path("reset").asBoolean(false)) {
            reset();
        }
        if (delay != null) {
            connectDelayMillis = delay;
        }
        if (limit != null) {
            inactivityLimitMillis = limit;
        }
        if (!served.isEmpty()) {
            generations = EnumSet.copyOf(served);
        }
        if (start != null) {
            startProcess(start.get("endpointId").asText(), start.get("pid").asLong(), start.get("name").asText(),
                    start.path("commandLine").asText(start.get("name").asText()), start.path("userName").asText("user"));
        }
        if (end != null) {
            endProcess(end.get("endpointId").asText(), end.get("pid").asLong());
        }
        if (settings.path("closeSessions").isTextual()) {
            closeSessions(settings.get("closeSessions").asText());
        }
    }

    ObjectNode describe(ObjectMapper mapper) {
        ObjectNode description = mapper.createObjectNode().put("connectDelayMs", connectDelayMillis)
                .put("inactivityLimitMs", inactivityLimitMillis);
        ArrayNode served = description.putArray("generations");
        generations.forEach(g -> served.add(g.name()));
        description.put("opens", opens.total()).put("closes", closes.total()).put("pings", pings.total())
                .put("kills", killCounts.total()).put("inactivityClosures", inactivityClosures())
                .put("openSessions", openSessions());
        return description;
    }

    // ---- the server side, for DirectConnectGateway ----

    boolean serves(Generation generation) {
        return generations.contains(generation);
    }

    /** Opens a session to the endpoint; null when the inventory has no such endpoint. */
    synchronized Conn open(String endpointId) {
        if (inventory.endpoint(endpointId) == null) {
            return null;
        }
        opens.increment(endpointId);
        long now = clock.getAsLong();
        Conn connection = new Conn(UUID.randomUUID().toString(), endpointId, now, now + connectDelayMillis);
        connections.put(connection.id, connection);
        return connection;
    }

    /** The session's state after this request, which counts as activity on it; CLOSED for an unknown id. */
    synchronized State use(String connectionId) {
        Conn connection = connections.get(connectionId);
        if (connection == null) {
            return State.CLOSED;
        }
        long now = clock.getAsLong();
        State state = connection.state(now);
        if (state != State.CLOSED) {
            connection.lastActivity = now;
        }
        return state;
    }

    /** A ping: counted, and activity on the session. */
    synchronized State ping(String connectionId) {
        Conn connection = connections.get(connectionId);
        if (connection != null) {
            pings.increment(connection.endpointId);
        }
        return use(connectionId);
    }

    /** Closes the session; false when it was not open. */
    synchronized boolean close(String connectionId) {
        Conn connection = connections.get(connectionId);
        if (connection == null) {
            return false;
        }
        closes.increment(connection.endpointId);
        long now = clock.getAsLong();
        if (connection.state(now) == State.CLOSED) {
            return false;
        }
        connection.close(now, "client");
        return true;
    }

    /** The endpoint's READY session, used by this request (a read of the endpoint); null when none is ready. */
    synchronized Conn readySession(String endpointId) {
        long now = clock.getAsLong();
        for (Conn connection : connections.values()) {
            if (connection.endpointId.equals(endpointId) && connection.state(now) == State.READY) {
                connection.lastActivity = now;
                return connection;
            }
        }
        return null;
    }

    /** The endpoint a session was opened to, or null. */
    synchronized String endpointOf(String connectionId) {
        Conn connection = connections.get(connectionId);
        return connection == null ? null : connection.endpointId;
    }

    /**
     * Kills the process {@code pid} on the session's endpoint if it still runs under {@code name} (Windows
     * ignores case): it is removed. Returns whether it was killed.
     */
    synchronized boolean kill(String connectionId, String pid, String name, String signal) {
        String endpointId = connections.get(connectionId).endpointId;
        killCounts.increment(endpointId);
        boolean windows = "Windows".equalsIgnoreCase(inventory.endpoint(endpointId).platform());
        List<ObjectNode> list = processes.getOrDefault(endpointId, new ArrayList<>());
        ObjectNode target = list.stream().filter(p -> p.path("pid").asText().equals(pid)).findFirst().orElse(null);
        boolean killed = target != null && name != null
                && (windows ? target.path("name").asText().equalsIgnoreCase(name) : target.path("name").asText().equals(name));
        if (killed) {
            list.remove(target);
        }
        kills.add(new Kill(connectionId, endpointId, pid, name, signal, killed, Instant.ofEpochMilli(clock.getAsLong())));
        return killed;
    }

    JsonNode performance(String endpointId) {
        Inventory.Endpoint endpoint = inventory.endpoint(endpointId);
        JsonNode performance = endpoint == null ? null : endpoint.directConnect().get("performance");
        return performance != null ? performance : new ObjectMapper().createObjectNode().putNull("cpuUsagePercent");
    }

    JsonNode alerts(String endpointId) {
        Inventory.Endpoint endpoint = inventory.endpoint(endpointId);
        JsonNode alerts = endpoint == null ? null : endpoint.directConnect().get("alerts");
        return alerts != null ? alerts : new ObjectMapper().createArrayNode();
    }

    private void loadProcesses() {
        processes.clear();
        for (Inventory.Endpoint endpoint : inventory.endpoints()) {
            List<ObjectNode> list = new ArrayList<>();
            endpoint.directConnect().path("processes").forEach(p -> list.add(((ObjectNode) p).deepCopy()));
            processes.put(endpoint.id(), list);
        }
    }

    enum State {
        CONNECTING, READY, CLOSED
    }

    final class Conn {
        final String id;
        final String endpointId;
        final long openedAt;
        final long readyAt;
        long lastActivity;
        Long closedAt;
        String closedBy;

        Conn(String id, String endpointId, long openedAt, long readyAt) {
            this.id = id;
            this.endpointId = endpointId;
            this.openedAt = openedAt;
            this.readyAt = readyAt;
            this.lastActivity = openedAt;
        }

        /** The state at {@code now}; a session idle past the limit is closed (by inactivity) the moment this is asked. */
        State state(long now) {
            if (closedAt != null) {
                return State.CLOSED;
            }
            if (now < readyAt) {
                return State.CONNECTING;
            }
            long idleSince = Math.max(lastActivity, readyAt);
            if (now - idleSince > inactivityLimitMillis) {
                close(idleSince + inactivityLimitMillis, "inactivity");
                inactivityClosures.incrementAndGet();
                return State.CLOSED;
            }
            return State.READY;
        }

        void close(long at, String by) {
            closedAt = at;
            closedBy = by;
        }
    }

    private static Long millis(JsonNode settings, String field) {
        if (!settings.has(field)) {
            return null;
        }
        JsonNode value = settings.get(field);
        if (!value.canConvertToLong() || value.asLong() < 0) {
            throw new IllegalArgumentException(field + " must be a number of milliseconds, 0 or more");
        }
        return value.asLong();
    }

    private static long nonNegative(Duration duration, String what) {
        if (duration == null || duration.isNegative()) {
            throw new IllegalArgumentException("the " + what + " must not be negative");
        }
        return duration.toMillis();
    }
}
