package io.github.taniumroutes.simulator;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The state of the simulated Threat Response server and the knobs of its behaviour, for end-to-end
 * tests and benchmarks ({@code simulator.threatResponse()}) and, as JSON, for another process
 * ({@code GET|PUT /__simulator/threat-response}).
 *
 * <p>Settings: {@link #connectDelay}, {@link #connectOutcome}, {@link #snapshotDuration},
 * {@link #taskOutcome}. A connection takes the connect settings in force when it is opened, a
 * snapshot task those in force when it is started, so changing a setting never rewrites what is
 * already under way. Nothing runs in the background: a status is computed from timestamps when it
 * is asked for, so 10,000 connections cost 10,000 small objects and no timer or thread.
 *
 * <p>Counters (per {@code clientId}, since the last {@link #reset}): {@link #connectCount}
 * (accepted {@code POST /conns/connect}), {@link #snapshotCount} ({@code POST /conns/{cid}/snapshot}
 * against a connection of that client, refused ones included), {@link #closeCount}
 * ({@code DELETE /conns/close/{cid}}), {@link #fileRequestCount} ({@code POST /conns/{cid}/file}).
 * Requests failed by {@link Faults} never reach Threat Response and are not counted.
 *
 * <p>File evidence: a file task ({@link #fileTaskDuration}, {@link #fileTaskOutcome}) collects a file from
 * the endpoint's disk ({@link #files()}); once it completed, the evidence is listed by
 * {@code GET /filedownload} (every analyst's evidence, oldest first: {@link #addForeignEvidence}) until it is
 * deleted. A path the endpoint does not have completes the task with the path among its failures and leaves
 * no evidence, as Threat Response's recorded task shape allows. {@link #evidence()} shows what is held.
 */
public final class ThreatResponseControl {

    /** What a new live connection turns into once the connect delay has passed. */
    public enum ConnectOutcome {
        /** {@code connected}, and its id changes to the final form {@code remote:<hostname>:<clientId>:<eid>}. */
        CONNECTED,
        /** {@code timeout} ("Connection timed out"); the id stays the initial one. */
        TIMEOUT,
        /** Stays {@code waiting} for ever. */
        NEVER
    }

    /** How a snapshot task ends once the snapshot duration has passed. */
    public enum TaskOutcome {
        COMPLETED,
        FAILED
    }

    /**
     * One live connection as {@code GET /conns} shows it now. {@code id} is the current id (the
     * final one once connected), {@code initialId} the one {@code POST /conns/connect} returned;
     * {@code connectedAt} is null until connected.
     */
    public record Connection(String id, String initialId, String status, String clientId, String hostname, String ip,
            String platform, String eid, int userId, Instant initiatedAt, Instant connectedAt, String message) {
    }

    static final long FIRST_CONNECTION_NUMBER = 9_065_264;
    private static final DateTimeFormatter ISO_MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter SNAPSHOT_NAME = DateTimeFormatter.ofPattern("yyyy_MM_dd'T'HH.mm.ss.SSS'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    /** One piece of file evidence as a test sees it: {@code ours} when our file task made it. */
    public record EvidenceView(String uuid, String clientId, String hostname, String path, long size, boolean ours, boolean listed,
            boolean deleted, int downloads) {
    }

    private final int userId;
    private final EndpointFiles files;
    private final LongSupplier clock = System::currentTimeMillis;
    private volatile long connectDelayMillis;
    private volatile ConnectOutcome connectOutcome = ConnectOutcome.CONNECTED;
    private volatile long snapshotDurationMillis;
    private volatile TaskOutcome taskOutcome = TaskOutcome.COMPLETED;
    private volatile long fileTaskDurationMillis;
    private volatile TaskOutcome fileTaskOutcome = TaskOutcome.COMPLETED;

    private final AtomicLong connectionNumbers = new AtomicLong(FIRST_CONNECTION_NUMBER);
    private final AtomicInteger taskIds = new AtomicInteger(1);
    private final ConcurrentSkipListMap<Long, Conn> connections = new ConcurrentSkipListMap<>();
    /** Both ids of every connection. */
    private final ConcurrentHashMap<String, Conn> connectionsById = new ConcurrentHashMap<>();
    private final ConcurrentSkipListMap<Integer, Task> tasks = new ConcurrentSkipListMap<>();
    private final ConcurrentHashMap<String, Task> tasksBySnapshot = new ConcurrentHashMap<>();
    private final Counters connects = new Counters();
    private final Counters snapshots = new Counters();
    private final Counters closes = new Counters();
    private final Counters fileRequests = new Counters();
    private final AtomicLong evidenceNumbers = new AtomicLong();
    private final ConcurrentSkipListMap<Long, Evidence> evidence = new ConcurrentSkipListMap<>();
    private final ConcurrentHashMap<String, Evidence> evidenceByUuid = new ConcurrentHashMap<>();

    ThreatResponseControl(int userId) {
        this(userId, EndpointFiles.near(null));
    }

    ThreatResponseControl(int userId, EndpointFiles files) {
        this.userId = userId;
        this.files = files;
    }

    // ---- settings ----

    /** How long a new connection stays {@code waiting} (default 0: connected at the first look after connect). */
    public ThreatResponseControl connectDelay(Duration delay) {
        this.connectDelayMillis = nonNegative(delay, "connect delay");
        return this;
    }

    /** What a new connection becomes after the delay (default {@link ConnectOutcome#CONNECTED}). */
    public ThreatResponseControl connectOutcome(ConnectOutcome outcome) {
        this.connectOutcome = java.util.Objects.requireNonNull(outcome, "outcome");
        return this;
    }

    /** How long a new snapshot task stays {@code STARTED} (default 0). */
    public ThreatResponseControl snapshotDuration(Duration duration) {
        this.snapshotDurationMillis = nonNegative(duration, "snapshot duration");
        return this;
    }

    /** How a new snapshot task ends (default {@link TaskOutcome#COMPLETED}). */
    public ThreatResponseControl taskOutcome(TaskOutcome outcome) {
        this.taskOutcome = java.util.Objects.requireNonNull(outcome, "outcome");
        return this;
    }

    /** How long a new file task stays {@code STARTED} (default 0). */
    public ThreatResponseControl fileTaskDuration(Duration duration) {
        this.fileTaskDurationMillis = nonNegative(duration, "file task duration");
        return this;
    }

    /** How a new file task ends (default {@link TaskOutcome#COMPLETED}). */
    public ThreatResponseControl fileTaskOutcome(TaskOutcome outcome) {
        this.fileTaskOutcome = java.util.Objects.requireNonNull(outcome, "outcome");
        return this;
    }

    /** The endpoints' disks: what a file task collects. */
    public EndpointFiles files() {
        return files;
    }

    /**
     * Evidence an analyst collected earlier from {@code hostname}: listed with ours, never ours to delete.
     * Returns its uuid.
     */
    public String addForeignEvidence(String hostname, String path, byte[] content, java.time.Instant downloadedAt) {
        Evidence added = new Evidence(evidenceNumbers.incrementAndGet(), "", hostname, path, !path.startsWith("/"), content,
                downloadedAt.toEpochMilli(), null);
        evidence.put(added.number, added);
        evidenceByUuid.put(added.uuid, added);
        return added.uuid;
    }

    /** {@code count} pieces of analysts' evidence from other hosts, the newest a minute ago: a list a client must page through. */
    public ThreatResponseControl addForeignEvidence(int count) {
        long now = now();
        for (int i = 0; i < count; i++) {
            addForeignEvidence("ANALYST-WS-" + (i % 7), "C:\\Temp\\sample-" + i + ".bin",
                    ("sample " + i).getBytes(java.nio.charset.StandardCharsets.UTF_8), java.time.Instant.ofEpochMilli(now - (count - i) * 60_000L));
        }
        return this;
    }

    /**
     * A connection some analyst (user {@code userId}) opened: already {@code connected}, listed by
     * {@code GET /conns}, not counted as ours. Returns its id.
     */
    public String addForeignConnection(String clientId, String hostname, int userId) {
        return open(clientId, hostname, "", "", userId, 0, ConnectOutcome.CONNECTED).finalId;
    }

    /** Forgets connections, tasks, snapshots and counters and restores the default settings. */
    public ThreatResponseControl reset() {
        connectDelayMillis = 0;
        connectOutcome = ConnectOutcome.CONNECTED;
        snapshotDurationMillis = 0;
        taskOutcome = TaskOutcome.COMPLETED;
        fileTaskDurationMillis = 0;
        fileTaskOutcome = TaskOutcome.COMPLETED;
        files.reset();
        evidence.clear();
        evidenceByUuid.clear();
        fileRequests.clear();
        connections.clear();
        connectionsById.clear();
        tasks.clear();
        tasksBySnapshot.clear();
        connects.clear();
        snapshots.clear();
        closes.clear();
        return this;
    }

    // ---- what the tests assert on ----

    /** The id of the user behind the simulator's token: {@code userId} of the connections we open. */
    public int userId() {
        return userId;
    }

    public int connectCount(String clientId) {
        return connects.count(clientId);
    }

    public int snapshotCount(String clientId) {
        return snapshots.count(clientId);
    }

    public int closeCount(String clientId) {
        return closes.count(clientId);
    }

    /** {@code POST /conns/{cid}/file} against a connection of that client, refused ones included. */
    public int fileRequestCount(String clientId) {
        return fileRequests.count(clientId);
    }

    /** Every piece of file evidence, ours and analysts', deleted ones included, oldest first. */
    public List<EvidenceView> evidence() {
        long now = now();
        return sortedEvidence().stream().map(e -> new EvidenceView(e.uuid, e.clientId, e.hostname, e.path, e.content.length,
                e.task != null, e.listed(now), e.deleted, e.downloads.get())).toList();
    }

    /** Our evidence Threat Response still holds (listed and not deleted): leaks show here. */
    public int heldEvidence() {
        long now = now();
        return (int) evidence.values().stream().filter(e -> e.task != null && !e.deleted && e.listed(now)).count();
    }

    /** Our connections (not analysts') that are neither {@code disconnected} nor {@code timeout}: leaks show here. */
    public int openConnections() {
        long now = now();
        int open = 0;
        for (Conn connection : connections.values()) {
            if (connection.userId == userId && connection.isOpen(now)) {
                open++;
            }
        }
        return open;
    }

    /** Every connection, ours and analysts', as {@code GET /conns} would show it now, oldest first. */
    public List<Connection> connections() {
        long now = now();
        List<Connection> all = new ArrayList<>(connections.size());
        for (Conn connection : connections.values()) {
            all.add(connection.view(now));
        }
        return all;
    }

    // ---- HTTP control document ----

    /**
     * Applies {@code {"reset":true, "connectDelayMs":5000, "connectOutcome":"TIMEOUT",
     * "snapshotDurationMs":20000, "taskOutcome":"FAILED", "addForeignConnection":{"clientId","hostname","userId"}}}
     * (every field optional; {@code reset} first), and for file evidence {@code "fileTaskDurationMs"},
     * {@code "fileTaskOutcome"} and {@code "foreignEvidence": <count>}. The whole document is checked before
     * anything changes.
     */
    void apply(JsonNode settings) {
        if (settings == null || !settings.isObject()) {
            throw new IllegalArgumentException("expected a JSON object");
        }
        boolean reset = settings.path("reset").asBoolean(false);
        Long delay = millis(settings, "connectDelayMs");
        ConnectOutcome connect = settings.has("connectOutcome") ? outcome(ConnectOutcome.class, settings.get("connectOutcome")) : null;
        Long duration = millis(settings, "snapshotDurationMs");
        TaskOutcome task = settings.has("taskOutcome") ? outcome(TaskOutcome.class, settings.get("taskOutcome")) : null;
        Long fileDuration = millis(settings, "fileTaskDurationMs");
        TaskOutcome fileTask = settings.has("fileTaskOutcome") ? outcome(TaskOutcome.class, settings.get("fileTaskOutcome")) : null;
        Long foreignEvidence = millis(settings, "foreignEvidence");
        JsonNode foreign = settings.get("addForeignConnection");
        if (foreign != null && !(foreign.isObject() && foreign.path("clientId").isValueNode()
                && foreign.path("hostname").isTextual() && foreign.path("userId").canConvertToInt())) {
            throw new IllegalArgumentException("addForeignConnection needs clientId, hostname and a numeric userId");
        }
        if (reset) {
            reset();
        }
        if (delay != null) {
            connectDelayMillis = delay;
        }
        if (connect != null) {
            connectOutcome = connect;
        }
        if (duration != null) {
            snapshotDurationMillis = duration;
        }
        if (task != null) {
            taskOutcome = task;
        }
        if (fileDuration != null) {
            fileTaskDurationMillis = fileDuration;
        }
        if (fileTask != null) {
            fileTaskOutcome = fileTask;
        }
        if (foreignEvidence != null) {
            addForeignEvidence(foreignEvidence.intValue());
        }
        if (foreign != null) {
            addForeignConnection(foreign.get("clientId").asText(), foreign.get("hostname").asText(), foreign.get("userId").asInt());
        }
    }

    /** The settings and the counters (totals over all clients). */
    ObjectNode describe(ObjectMapper mapper) {
        return mapper.createObjectNode().put("connectDelayMs", connectDelayMillis).put("connectOutcome", connectOutcome.name())
                .put("snapshotDurationMs", snapshotDurationMillis).put("taskOutcome", taskOutcome.name())
                .put("userId", userId).put("connects", connects.total()).put("snapshots", snapshots.total())
                .put("closes", closes.total()).put("openConnections", openConnections()).put("connections", connections.size())
                .put("fileTaskDurationMs", fileTaskDurationMillis).put("fileTaskOutcome", fileTaskOutcome.name())
                .put("fileRequests", fileRequests.total()).put("evidence", evidence.size()).put("heldEvidence", heldEvidence());
    }

    // ---- the server side, for ThreatResponseHandler ----

    long now() {
        return clock.getAsLong();
    }

    /** {@code POST /conns/connect} by us. */
    Conn connect(String clientId, String hostname, String ip, String platform) {
        connects.increment(clientId);
        ConnectOutcome outcome = connectOutcome;
        return open(clientId, hostname, ip, platform, userId, outcome == ConnectOutcome.NEVER ? Long.MAX_VALUE : connectDelayMillis, outcome);
    }

    Collection<Conn> all() {
        return connections.values();
    }

    /**
     * The connection {@code cid} names now, or null. A final id names its connection only once
     * connected; an initial id names it before that, and afterwards only when {@code initialToo}.
     */
    Conn find(String cid, long now, boolean initialToo) {
        Conn connection = connectionsById.get(cid);
        if (connection == null) {
            return null;
        }
        boolean connected = connection.reachedConnected(now);
        if (cid.equals(connection.finalId)) {
            return connected ? connection : null;
        }
        return connected && !initialToo ? null : connection;
    }

    /** {@code DELETE /conns/close/{cid}}: false when there is no such connection. */
    boolean close(String cid) {
        long now = now();
        Conn connection = find(cid, now, true);
        if (connection == null) {
            return false;
        }
        closes.increment(connection.clientId);
        connection.close(now);
        return true;
    }

    /** {@code DELETE /conns/delete/{cid}}: closes and forgets it; false when there is no such connection. */
    boolean delete(String cid) {
        long now = now();
        Conn connection = find(cid, now, true);
        if (connection == null) {
            return false;
        }
        connection.close(now);
        connections.remove(connection.number);
        connectionsById.remove(connection.initialId);
        connectionsById.remove(connection.finalId);
        return true;
    }

    /** Counts a snapshot request against the connection it named, whether or not it is then refused. */
    void countSnapshot(Conn connection) {
        snapshots.increment(connection.clientId);
    }

    /** Starts a snapshot task on a connection the caller found connected. */
    Task startSnapshot(Conn connection, long now) {
        Task task = new Task(taskIds.getAndIncrement(), connection, now, now + snapshotDurationMillis, taskOutcome);
        tasks.put(task.id, task);
        tasksBySnapshot.put(task.uuid, task);
        return task;
    }

    Task task(int id) {
        return tasks.get(id);
    }

    /** Counts a file request against the connection it named, whether or not it is then refused. */
    void countFileRequest(Conn connection) {
        fileRequests.increment(connection.clientId);
    }

    /**
     * Starts a file task on a connection the caller found connected: the file is read from the endpoint's disk
     * now; its evidence is listed once the task completed (none when the endpoint has no such file).
     */
    Task startFile(Conn connection, String path, long now) {
        byte[] content = files.read(connection.clientId, connection.platform, path);
        Task task = new Task(taskIds.getAndIncrement(), connection, now, now + fileTaskDurationMillis, fileTaskOutcome, path, content);
        tasks.put(task.id, task);
        if (content != null) {
            Evidence collected = new Evidence(evidenceNumbers.incrementAndGet(), connection.clientId, connection.hostname, path,
                    EndpointFiles.isWindows(connection.platform), content, task.doneAt, task);
            evidence.put(collected.number, collected);
            evidenceByUuid.put(collected.uuid, collected);
        }
        return task;
    }

    /** The evidence listed now, oldest first (as recorded lists show it). */
    List<Evidence> listedEvidence(long now) {
        return sortedEvidence().stream().filter(e -> e.listed(now)).toList();
    }

    /** The listed evidence of this uuid, or null. */
    Evidence listedEvidence(String uuid, long now) {
        Evidence found = evidenceByUuid.get(uuid);
        return found != null && found.listed(now) ? found : null;
    }

    /** Deletes listed evidence; false when there is none of that uuid. */
    boolean deleteEvidence(String uuid) {
        Evidence found = listedEvidence(uuid, now());
        if (found == null) {
            return false;
        }
        found.deleted = true;
        return true;
    }

    private List<Evidence> sortedEvidence() {
        List<Evidence> all = new ArrayList<>(evidence.values());
        all.sort(java.util.Comparator.comparingLong((Evidence e) -> e.createdAt).thenComparingLong(e -> e.number));
        return all;
    }

    /** The snapshots of completed tasks that were not deleted, in task order. */
    List<Task> snapshots(long now) {
        List<Task> completed = new ArrayList<>();
        for (Task task : tasks.values()) {
            if (task.snapshotListed(now)) {
                completed.add(task);
            }
        }
        return completed;
    }

    /** {@code DELETE /snapshot}: the number of listed snapshots removed; unknown ids are ignored. */
    int deleteSnapshots(List<String> uuids) {
        long now = now();
        int deleted = 0;
        for (String uuid : uuids) {
            Task task = tasksBySnapshot.get(uuid);
            if (task != null && task.snapshotListed(now)) {
                task.snapshotDeleted = true;
                deleted++;
            }
        }
        return deleted;
    }

    static String iso(long millis) {
        return ISO_MILLIS.format(Instant.ofEpochMilli(millis));
    }

    private Conn open(String clientId, String hostname, String ip, String platform, int owner, long delay, ConnectOutcome outcome) {
        long now = now();
        long number = connectionNumbers.getAndIncrement();
        long readyAt = delay == Long.MAX_VALUE ? Long.MAX_VALUE : now + delay;
        Conn connection = new Conn(number, clientId, hostname, ip, platform, owner, now, readyAt, outcome);
        connectionsById.put(connection.initialId, connection);
        connectionsById.put(connection.finalId, connection);
        connections.put(number, connection);
        return connection;
    }

    /** A live connection; its status is a function of the clock, its close time and the settings it was opened with. */
    static final class Conn {
        final long number;
        final String initialId;
        final String finalId;
        final String clientId;
        final String hostname;
        final String ip;
        final String platform;
        final String eid;
        final int userId;
        final long initiatedAt;
        /** When the delay ends (Long.MAX_VALUE: never). */
        final long readyAt;
        final ConnectOutcome outcome;
        private final AtomicLong closedAt = new AtomicLong(Long.MAX_VALUE);

        Conn(long number, String clientId, String hostname, String ip, String platform, int userId, long initiatedAt, long readyAt,
                ConnectOutcome outcome) {
            this.number = number;
            this.clientId = clientId;
            this.hostname = hostname;
            this.ip = ip;
            this.platform = platform;
            this.userId = userId;
            this.initiatedAt = initiatedAt;
            this.readyAt = readyAt;
            this.outcome = outcome;
            // Tanium's recorded ids read remote:<hostname>:<clientId>:<eid>; the connect reply has no hostname
            // nor eid yet. The number keeps both ids unique when one client is connected to twice.
            this.eid = String.valueOf(number);
            this.initialId = "remote:undefined:" + number + ":";
            this.finalId = "remote:" + hostname + ":" + clientId + ":" + eid;
        }

        void close(long now) {
            closedAt.compareAndSet(Long.MAX_VALUE, now);
        }

        long closedAt() {
            return closedAt.get();
        }

        /** Whether it had become connected by {@code now} (and stays so named after a close). */
        boolean reachedConnected(long now) {
            return outcome == ConnectOutcome.CONNECTED && Math.min(now, closedAt.get()) >= readyAt;
        }

        String status(long now) {
            if (now >= closedAt.get()) {
                return "disconnected";
            }
            if (now < readyAt) {
                return "waiting";
            }
            return outcome == ConnectOutcome.CONNECTED ? "connected" : "timeout";
        }

        boolean isOpen(long now) {
            String status = status(now);
            return status.equals("waiting") || status.equals("connected");
        }

        Connection view(long now) {
            String status = status(now);
            boolean connected = reachedConnected(now);
            String message = switch (status) {
                case "waiting" -> "Connecting to the endpoint.";
                case "connected" -> "Connected.";
                case "timeout" -> "Connection timed out";
                default -> "The connection has been disconnected.";
            };
            return new Connection(connected ? finalId : initialId, initialId, status, clientId, hostname, ip, platform,
                    connected ? eid : null, userId, Instant.ofEpochMilli(initiatedAt), connected ? Instant.ofEpochMilli(readyAt) : null,
                    message);
        }
    }

    /** A snapshot or file task; like a connection, its status is computed when asked for. */
    static final class Task {
        final int id;
        final Conn connection;
        final String connectionId;
        final long startedAt;
        final long doneAt;
        final TaskOutcome outcome;
        final String uuid = UUID.randomUUID().toString();
        /** A file task's path, and the file (null: the endpoint has none); null for a snapshot. */
        final String path;
        final byte[] file;
        volatile boolean snapshotDeleted;

        Task(int id, Conn connection, long startedAt, long doneAt, TaskOutcome outcome) {
            this(id, connection, startedAt, doneAt, outcome, null, null);
        }

        Task(int id, Conn connection, long startedAt, long doneAt, TaskOutcome outcome, String path, byte[] file) {
            this.id = id;
            this.connection = connection;
            this.connectionId = connection.finalId;
            this.startedAt = startedAt;
            this.doneAt = doneAt;
            this.outcome = outcome;
            this.path = path;
            this.file = file;
        }

        boolean isFile() {
            return path != null;
        }

        /** A connection closed before the snapshot was done fails the task at that moment. */
        private boolean interrupted() {
            return connection.closedAt() < doneAt;
        }

        String status(long now) {
            if (interrupted() && now >= connection.closedAt()) {
                return "FAILED";
            }
            return now < doneAt ? "STARTED" : outcome.name();
        }

        /** When it ended, or null while it runs. */
        Long endedAt(long now) {
            if (status(now).equals("STARTED")) {
                return null;
            }
            return interrupted() ? connection.closedAt() : doneAt;
        }

        String error(long now) {
            if (!status(now).equals("FAILED")) {
                return null;
            }
            if (isFile()) {
                return interrupted() ? "The connection was closed before the file was collected"
                        : "File collection failed: the endpoint could not read the file (simulated)";
            }
            return interrupted() ? "The connection was closed before the snapshot completed"
                    : "Snapshot failed: the endpoint could not export its Recorder database (simulated)";
        }

        boolean snapshotListed(long now) {
            return !isFile() && !snapshotDeleted && status(now).equals("COMPLETED");
        }

        String snapshotName() {
            return SNAPSHOT_NAME.format(Instant.ofEpochMilli(doneAt)) + ".db";
        }

        /** Tanium names a stored snapshot as a local connection: {@code local:<hostname>:<file name>}. */
        String snapshotConnectionId() {
            return "local:" + connection.hostname + ":" + snapshotName();
        }

        long snapshotSize() {
            return 900L * 1024 * 1024 + id * 4096L;
        }
    }

    /** A piece of file evidence: a file our task collected, or an analyst's. */
    static final class Evidence {
        final long number;
        final String uuid = UUID.randomUUID().toString();
        final String clientId;
        final String hostname;
        final String path;
        final boolean windows;
        final byte[] content;
        final long createdAt;
        /** The task that collected it; null for an analyst's. */
        final Task task;
        final AtomicInteger downloads = new AtomicInteger();
        volatile boolean deleted;

        Evidence(long number, String clientId, String hostname, String path, boolean windows, byte[] content, long createdAt, Task task) {
            this.number = number;
            this.clientId = clientId;
            this.hostname = hostname;
            this.path = path;
            this.windows = windows;
            this.content = content;
            this.createdAt = createdAt;
            this.task = task;
        }

        /** Listed once its task completed, until deleted. */
        boolean listed(long now) {
            return !deleted && (task == null || task.status(now).equals("COMPLETED"));
        }

        /** The path as recorded lists show a Windows path: its backslashes doubled. */
        String listedPath() {
            return windows ? path.replace("\\", "\\\\") : path;
        }

        String md5() {
            try {
                return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5").digest(content));
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        /** The file's name, as the archive and its Content-Disposition name it. */
        String fileName() {
            int slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
            return path.substring(slash + 1);
        }
    }

    private static long nonNegative(Duration duration, String what) {
        if (duration == null || duration.isNegative()) {
            throw new IllegalArgumentException(what + " must be zero or positive");
        }
        return duration.toMillis();
    }

    private static Long millis(JsonNode settings, String field) {
        if (!settings.has(field)) {
            return null;
        }
        JsonNode value = settings.get(field);
        if (!value.isIntegralNumber() || value.asLong() < 0) {
            throw new IllegalArgumentException(field + " must be a whole number of milliseconds, zero or more");
        }
        return value.asLong();
    }

    private static <E extends Enum<E>> E outcome(Class<E> type, JsonNode value) {
        try {
            return Enum.valueOf(type, value.asText().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown " + type.getSimpleName() + " " + value + ", expected one of "
                    + java.util.Arrays.toString(type.getEnumConstants()));
        }
    }
}
