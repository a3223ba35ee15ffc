package io.github.taniumroutes.simulator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import net.lingala.zip4j.io.outputstream.ZipOutputStream;
import net.lingala.zip4j.model.ZipParameters;
import net.lingala.zip4j.model.enums.EncryptionMethod;

/**
 * Threat Response's REST API under {@code /plugin/products/threat-response/api/v1} (TANIUM_API.md
 * §3), in the shapes Tanium really sends: {@code POST /conns/connect} answers with a bare JSON
 * string; {@code GET /conns} is an unpaged array whose entries carry {@code initiatedAt} and
 * {@code connectedAt} as epoch milliseconds and {@code userId} as a string (as in the responses
 * recorded by public integrations); a connection's id changes from {@code remote:undefined:<n>:} to
 * {@code remote:<hostname>:<clientId>:<eid>} when it connects. State and timing live in
 * {@link ThreatResponseControl}.
 *
 * <ul>
 * <li>{@code POST /conns/connect} {@code {"target":{"clientId","hostname","ip","platform"}}} → {@code "remote:undefined:9065264:"}</li>
 * <li>{@code GET /conns}, {@code GET /conns/{cid}} (initial or final id; 404 when unknown)</li>
 * <li>{@code DELETE /conns/close/{cid}}, {@code DELETE /conns/delete/{cid}} → {@code {}}</li>
 * <li>{@code POST /conns/{cid}/snapshot} (final id; 404 unknown, 409 not connected) → {@code {"taskInfo":{…},"status":"ACCEPTED"}}</li>
 * <li>{@code GET /tasks/{id}} → {@code {"data":{"id","type":"snapshot","status","results","error",…}}}</li>
 * <li>{@code GET /snapshot?limit&offset} → {@code {"snapshots":[…],"totalCount"}}; {@code DELETE /snapshot} {@code {"ids":[…]}}</li>
 * <li>{@code POST /conns/{cid}/file} {@code {"path"}} (final id; 404 unknown, 409 not connected, 400 no path) →
 *     {@code {"taskInfo":{"id","status":"STARTED","metadata":{"connection","paths":[…],"compress":"true"},"startTime"},"status":"ACCEPTED"}}
 *     (demisto/content TaniumThreatResponseV2 test_data/request_file_download.json); its task ({@code GET /tasks/{id}}) is of type
 *     {@code fileDownload} with {@code results.completed}, {@code results.failed} and {@code results.fileResults}
 *     (test_files/get_task_by_id.json): a path the endpoint does not have completes with the path among {@code failed}</li>
 * <li>{@code GET /filedownload?limit&offset&sort} → {@code {"fileEvidence":[…],"totalCount"}}, every analyst's evidence, oldest
 *     first, each with {@code uuid, hostname, path, downloaded ("2020-01-15 13:04:02.827"), hash (MD5), size, process_creation_time,
 *     created_by …, evidenceType "file"} and no connection id, a Windows path's backslashes doubled (test_data/filter_get_file_downloads.json,
 *     test_files/get_file_downloads.json; splunk-soar-connectors/taniumthreatresponse undoes the doubling);
 *     {@code GET /filedownload/{uuid}} → {@code {"evidence":{…}}} (test_data/get_file_download_info.json)</li>
 * <li>{@code GET /filedownload/data/{uuid}} → the file in a zip archive, password {@code infected} (ZipCrypto, as the Splunk
 *     connector's {@code ZipFile.extractall(pwd=b"infected")} can open), {@code Content-Type: application/zip} and a
 *     {@code Content-Disposition} file name (which the XSOAR integration reads)</li>
 * <li>{@code DELETE /filedownload} {@code {"ids":[…]}} (seed 002) and {@code DELETE /filedownload/{uuid}} (XSOAR, Splunk) → {@code {}};
 *     an id that is not listed: ignored in a list, 404 alone</li>
 * </ul>
 */
final class ThreatResponseHandler implements SimulatorHandler {

    static final String PREFIX = "/plugin/products/threat-response/api/v1";
    /** Public integrations open Tanium's evidence archives with this password. */
    public static final String ZIP_PASSWORD = "infected";
    /** How recorded evidence lists write when a file was collected (no zone: UTC here). */
    private static final java.time.format.DateTimeFormatter DOWNLOADED = java.time.format.DateTimeFormatter
            .ofPattern("yyyy-MM-dd HH:mm:ss.SSS", java.util.Locale.ROOT).withZone(java.time.ZoneOffset.UTC);

    private final ObjectMapper mapper;
    private final ThreatResponseControl state;
    private final Inventory inventory;

    ThreatResponseHandler(ObjectMapper mapper, ThreatResponseControl state, Inventory inventory) {
        this.mapper = mapper;
        this.state = state;
        this.inventory = inventory;
    }

    @Override
    public Reply handle(String method, String path, String query, String body) throws IOException {
        String rest = path.substring(PREFIX.length());
        String[] segments = rest.length() <= 1 ? new String[0] : rest.substring(1).split("/", -1);
        if (segments.length >= 1 && segments[0].equals("conns")) {
            return connections(method, segments, body);
        }
        if (segments.length == 2 && segments[0].equals("tasks")) {
            return "GET".equals(method) ? task(segments[1]) : notAllowed();
        }
        if (segments.length >= 1 && segments[0].equals("filedownload")) {
            return fileEvidence(method, segments, query, body);
        }
        if (segments.length == 1 && segments[0].equals("snapshot")) {
            return switch (method) {
                case "GET" -> listSnapshots(query);
                case "DELETE" -> deleteSnapshots(body);
                default -> notAllowed();
            };
        }
        return notFound("Not Found");
    }

    private Reply connections(String method, String[] segments, String body) throws IOException {
        if (segments.length == 1) {
            return "GET".equals(method) ? listConnections() : notAllowed();
        }
        if (segments.length == 2 && segments[1].equals("connect") && "POST".equals(method)) {
            return connect(body);
        }
        if (segments.length == 2) {
            return "GET".equals(method) ? connection(decode(segments[1])) : notAllowed();
        }
        if (segments.length == 3 && (segments[1].equals("close") || segments[1].equals("delete"))) {
            if (!"DELETE".equals(method)) {
                return notAllowed();
            }
            String cid = decode(segments[2]);
            boolean found = segments[1].equals("close") ? state.close(cid) : state.delete(cid);
            return found ? Reply.json(200, mapper.createObjectNode()) : notFound("Connection not found: " + cid);
        }
        if (segments.length == 3 && segments[2].equals("snapshot")) {
            return "POST".equals(method) ? snapshot(decode(segments[1])) : notAllowed();
        }
        if (segments.length == 3 && segments[2].equals("file")) {
            return "POST".equals(method) ? file(decode(segments[1]), body) : notAllowed();
        }
        return notFound("Not Found");
    }

    private Reply connect(String body) {
        JsonNode target;
        try {
            target = mapper.readTree(body).path("target");
        } catch (Exception e) {
            return Reply.json(400, text("request body is not JSON"));
        }
        String clientId = target.path("clientId").isValueNode() ? target.path("clientId").asText() : "";
        if (clientId.isBlank()) {
            return Reply.json(400, text("target.clientId is required: {\"target\":{\"clientId\",\"hostname\",\"ip\",\"platform\"}}"));
        }
        Inventory.Endpoint known = theOneMatching("computerID", clientId);
        if (known == null && target.path("hostname").isTextual()) {
            // Not a computer id (a Gateway endpoint id, say): Threat Response reaches the host by its
            // name and lists the connection under the host's real computer id, where a client
            // looking for the id it sent never finds it.
            Inventory.Endpoint byName = theOneMatching("name", target.path("hostname").asText());
            if (byName != null && byName.computerId() != null) {
                known = byName;
                clientId = byName.computerId();
            }
        }
        String hostname = field(target, "hostname", known == null ? clientId : known.name());
        String ip = field(target, "ip", known == null ? "" : known.ipAddress());
        String platform = field(target, "platform", known == null ? "" : known.platform());
        return Reply.json(200, TextNode.valueOf(state.connect(clientId, hostname, ip, platform).initialId));
    }

    /** The inventory's one endpoint matching, as the Gateway's filters match; null for none or several. */
    private Inventory.Endpoint theOneMatching(String path, String value) {
        List<Inventory.Endpoint> matches = inventory.endpoints().stream().filter(e -> e.matches(path, value)).limit(2).toList();
        return matches.size() == 1 ? matches.get(0) : null;
    }

    private Reply listConnections() throws IOException {
        long now = state.now();
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + 400 * state.all().size());
        try (JsonGenerator json = mapper.getFactory().createGenerator(out)) {
            json.writeStartArray();
            for (ThreatResponseControl.Conn connection : state.all()) {
                write(json, connection.view(now));
            }
            json.writeEndArray();
        }
        return new Reply(200, "application/json", out.toByteArray());
    }

    private Reply connection(String cid) throws IOException {
        long now = state.now();
        ThreatResponseControl.Conn connection = state.find(cid, now, true);
        if (connection == null) {
            return notFound("Connection not found: " + cid);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator json = mapper.getFactory().createGenerator(out)) {
            write(json, connection.view(now));
        }
        return new Reply(200, "application/json", out.toByteArray());
    }

    /** The fields and order of a recorded {@code GET /conns} entry. */
    private static void write(JsonGenerator json, ThreatResponseControl.Connection c) throws IOException {
        json.writeStartObject();
        json.writeNullField("sessionId");
        json.writeStringField("ip", c.ip());
        json.writeStringField("hostname", c.hostname());
        json.writeStringField("clientId", c.clientId());
        json.writeStringField("platform", c.platform());
        json.writeStringField("eid", c.eid());
        json.writeNumberField("initiatedAt", c.initiatedAt().toEpochMilli());
        json.writeStringField("status", c.status());
        json.writeStringField("message", c.message());
        if (c.connectedAt() == null) {
            json.writeNullField("connectedAt");
        } else {
            json.writeNumberField("connectedAt", c.connectedAt().toEpochMilli());
        }
        json.writeBooleanField("hasTools", c.connectedAt() != null);
        json.writeStringField("userId", String.valueOf(c.userId()));
        json.writeNumberField("personaId", 0);
        json.writeStringField("id", c.id());
        json.writeEndObject();
    }

    private Reply snapshot(String cid) {
        long now = state.now();
        ThreatResponseControl.Conn connection = state.find(cid, now, false);
        if (connection == null) {
            return notFound("Connection not found: " + cid + " (once connected, a connection is known by its id in GET /conns)");
        }
        state.countSnapshot(connection);
        String status = connection.status(now);
        if (!status.equals("connected")) {
            return Reply.json(409, text("Connection " + cid + " is " + status + ", not connected"));
        }
        ThreatResponseControl.Task task = state.startSnapshot(connection, now);
        ObjectNode reply = mapper.createObjectNode();
        ObjectNode info = reply.putObject("taskInfo").put("id", task.id).put("status", "STARTED");
        info.putObject("metadata").put("connection", task.connectionId);
        info.put("startTime", ThreatResponseControl.iso(task.startedAt));
        reply.put("status", "ACCEPTED");
        return Reply.json(200, reply);
    }

    private Reply file(String cid, String body) {
        String path;
        try {
            JsonNode request = mapper.readTree(body);
            path = request.path("path").isTextual() ? request.path("path").asText() : "";
        } catch (Exception e) {
            return Reply.json(400, text("request body is not JSON"));
        }
        if (path.isBlank()) {
            return Reply.json(400, text("path is required: {\"path\":\"/var/log/auth.log\"}"));
        }
        long now = state.now();
        ThreatResponseControl.Conn connection = state.find(cid, now, false);
        if (connection == null) {
            return notFound("Connection not found: " + cid + " (once connected, a connection is known by its id in GET /conns)");
        }
        state.countFileRequest(connection);
        String status = connection.status(now);
        if (!status.equals("connected")) {
            return Reply.json(409, text("Connection " + cid + " is " + status + ", not connected"));
        }
        ThreatResponseControl.Task task = state.startFile(connection, path, now);
        ObjectNode reply = mapper.createObjectNode();
        ObjectNode info = reply.putObject("taskInfo").put("id", task.id).put("status", "STARTED");
        ObjectNode metadata = info.putObject("metadata").put("connection", task.connectionId);
        metadata.putArray("paths").add(path);
        metadata.put("compress", "true");
        info.put("startTime", ThreatResponseControl.iso(task.startedAt));
        reply.put("status", "ACCEPTED");
        return Reply.json(200, reply);
    }

    private Reply fileEvidence(String method, String[] segments, String query, String body) throws IOException {
        long now = state.now();
        if (segments.length == 1) {
            return switch (method) {
                case "GET" -> listEvidence(query, now);
                case "DELETE" -> deleteEvidence(body);
                default -> notAllowed();
            };
        }
        if (segments.length == 2) {
            String uuid = decode(segments[1]);
            return switch (method) {
                case "GET" -> {
                    ThreatResponseControl.Evidence evidence = state.listedEvidence(uuid, now);
                    if (evidence == null) {
                        yield notFound("Evidence not found: " + uuid);
                    }
                    ObjectNode reply = mapper.createObjectNode();
                    reply.set("evidence", evidence(evidence));
                    yield Reply.json(200, reply);
                }
                case "DELETE" -> state.deleteEvidence(uuid) ? Reply.json(200, mapper.createObjectNode()) : notFound("Evidence not found: " + uuid);
                default -> notAllowed();
            };
        }
        if (segments.length == 3 && segments[1].equals("data")) {
            if (!"GET".equals(method)) {
                return notAllowed();
            }
            ThreatResponseControl.Evidence evidence = state.listedEvidence(decode(segments[2]), now);
            if (evidence == null) {
                return notFound("Evidence not found: " + segments[2]);
            }
            evidence.downloads.incrementAndGet();
            return new Reply(200, "application/zip", zipped(evidence),
                    Map.of("Content-Disposition", "attachment; filename=" + evidence.fileName() + ".zip"));
        }
        return notFound("Not Found");
    }

    private Reply listEvidence(String query, long now) {
        Map<String, String> parameters = parameters(query);
        Page page;
        try {
            page = Page.of(parameters);
        } catch (IllegalArgumentException e) {
            return Reply.json(400, text(e.getMessage()));
        }
        int limit = page.limit();
        int offset = page.offset();
        List<ThreatResponseControl.Evidence> listed = new ArrayList<>(state.listedEvidence(now));
        String sort = parameters.getOrDefault("sort", "");
        if (!sort.isEmpty()) {
            boolean descending = sort.startsWith("-");
            java.util.Comparator<ThreatResponseControl.Evidence> order = switch (descending ? sort.substring(1) : sort) {
                case "downloaded" -> java.util.Comparator.comparingLong(e -> e.createdAt);
                case "size" -> java.util.Comparator.comparingInt(e -> e.content.length);
                case "hostname" -> java.util.Comparator.comparing(e -> e.hostname);
                case "path" -> java.util.Comparator.comparing(e -> e.path);
                case "uuid" -> java.util.Comparator.comparing(e -> e.uuid);
                default -> null;
            };
            if (order == null) {
                return Reply.json(400, text("sort must be one of uuid, hostname, path, downloaded, size (- for descending)"));
            }
            listed.sort(descending ? order.reversed() : order);
        }
        ObjectNode reply = mapper.createObjectNode();
        ArrayNode list = reply.putArray("fileEvidence");
        for (int i = offset; i < listed.size() && i - offset < limit; i++) {
            list.add(evidence(listed.get(i)));
        }
        reply.put("totalCount", listed.size());
        return Reply.json(200, reply);
    }

    /** The fields and order of a recorded evidence entry. */
    private ObjectNode evidence(ThreatResponseControl.Evidence evidence) {
        ObjectNode entry = mapper.createObjectNode().put("uuid", evidence.uuid).put("hostname", evidence.hostname)
                .put("path", evidence.listedPath()).put("downloaded", DOWNLOADED.format(java.time.Instant.ofEpochMilli(evidence.createdAt)))
                .put("hash", evidence.md5()).put("size", evidence.content.length);
        entry.putNull("process_creation_time");
        entry.put("created_by", "").put("created_by_proc", "")
                .put("last_modified", ThreatResponseControl.iso(evidence.createdAt - 3_600_000)).put("last_modified_by", "")
                .put("last_modified_by_proc", "").put("tags", "").put("comments", "");
        entry.putNull("username");
        entry.put("evidenceType", "file");
        return entry;
    }

    private Reply deleteEvidence(String body) {
        JsonNode ids;
        try {
            ids = mapper.readTree(body).path("ids");
        } catch (Exception e) {
            return Reply.json(400, text("request body is not JSON"));
        }
        if (!ids.isArray()) {
            return Reply.json(400, text("expected {\"ids\":[…]}"));
        }
        ids.forEach(id -> state.deleteEvidence(id.asText()));
        return Reply.json(200, mapper.createObjectNode());
    }

    /** The file in a zip archive with the password public integrations open Tanium's with. */
    static byte[] zipped(ThreatResponseControl.Evidence evidence) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(evidence.content.length / 2 + 512);
        try (ZipOutputStream zip = new ZipOutputStream(out, ZIP_PASSWORD.toCharArray())) {
            ZipParameters parameters = new ZipParameters();
            parameters.setFileNameInZip(evidence.fileName());
            parameters.setEncryptFiles(true);
            parameters.setEncryptionMethod(EncryptionMethod.ZIP_STANDARD);
            zip.putNextEntry(parameters);
            zip.write(evidence.content);
            zip.closeEntry();
        }
        return out.toByteArray();
    }

    private Reply task(String id) {
        ThreatResponseControl.Task task;
        try {
            task = state.task(Integer.parseInt(id));
        } catch (NumberFormatException e) {
            task = null;
        }
        if (task == null) {
            return notFound("Task not found: " + id);
        }
        long now = state.now();
        if (task.isFile()) {
            return fileTask(task, now);
        }
        String status = task.status(now);
        ObjectNode reply = mapper.createObjectNode();
        ObjectNode data = reply.putObject("data").put("id", task.id).put("type", "snapshot").put("status", status);
        data.putObject("metadata").put("connection", task.connectionId);
        data.put("startTime", ThreatResponseControl.iso(task.startedAt));
        Long ended = task.endedAt(now);
        if (ended == null) {
            data.putNull("endTime");
        } else {
            data.put("endTime", ThreatResponseControl.iso(ended));
        }
        ObjectNode results = data.putObject("results");
        if (status.equals("COMPLETED")) {
            results.put("uuid", task.uuid).put("name", task.snapshotName()).put("hostname", task.connection.hostname);
        }
        String error = task.error(now);
        if (error == null) {
            data.putNull("error");
        } else {
            data.put("error", error);
        }
        return Reply.json(200, reply);
    }

    /** A file task in the recorded shape: its results list the path as completed or failed. */
    private Reply fileTask(ThreatResponseControl.Task task, long now) {
        String status = task.status(now);
        ObjectNode reply = mapper.createObjectNode();
        ObjectNode data = reply.putObject("data").put("id", task.id).put("type", "fileDownload").put("status", status);
        ObjectNode metadata = data.putObject("metadata").put("connection", task.connectionId);
        metadata.putArray("paths").add(task.path);
        metadata.put("compress", "true");
        ObjectNode results = data.putObject("results");
        ArrayNode completed = results.putArray("completed");
        ArrayNode failed = results.putArray("failed");
        ArrayNode fileResults = results.putArray("fileResults");
        if (status.equals("COMPLETED")) {
            if (task.file == null) {
                failed.add(task.path);
            } else {
                completed.add(task.path);
                ObjectNode response = fileResults.addObject().putObject("response").put("source", task.path)
                        .put("target", "/opt/Tanium/TaniumThreatResponse/files/" + task.uuid).put("totalBytes", task.file.length)
                        .put("transferHash", Integer.toHexString(java.util.Arrays.hashCode(task.file))).put("totalTimeMs", task.doneAt - task.startedAt)
                        .put("avgBytesPerSecond", 0);
                ((ObjectNode) fileResults.get(0)).put("finalPath", response.path("target").asText());
            }
        }
        String error = task.error(now);
        if (error == null) {
            data.putNull("error");
        } else {
            data.put("error", error);
        }
        data.put("startTime", ThreatResponseControl.iso(task.startedAt));
        Long ended = task.endedAt(now);
        if (ended == null) {
            data.putNull("endTime");
        } else {
            data.put("endTime", ThreatResponseControl.iso(ended));
        }
        data.put("createdAt", ThreatResponseControl.iso(task.startedAt)).put("updatedAt", ThreatResponseControl.iso(ended == null ? task.startedAt : ended));
        return Reply.json(200, reply);
    }

    private Reply listSnapshots(String query) {
        Map<String, String> parameters = parameters(query);
        Page page;
        try {
            page = Page.of(parameters);
        } catch (IllegalArgumentException e) {
            return Reply.json(400, text(e.getMessage()));
        }
        int limit = page.limit();
        int offset = page.offset();
        List<ThreatResponseControl.Task> completed = state.snapshots(state.now());
        ObjectNode reply = mapper.createObjectNode();
        ArrayNode list = reply.putArray("snapshots");
        for (int i = offset; i < completed.size() && i - offset < limit; i++) {
            ThreatResponseControl.Task task = completed.get(i);
            list.addObject().put("uuid", task.uuid).putNull("username").put("hostname", task.connection.hostname)
                    .put("created", String.valueOf(task.startedAt)).put("connectionId", task.snapshotConnectionId())
                    .put("size", task.snapshotSize()).put("isUpload", false).put("name", task.snapshotName())
                    .put("recorderVersion", 1).put("evidenceType", "snapshot").put("completed", ThreatResponseControl.iso(task.doneAt));
        }
        reply.put("totalCount", completed.size());
        return Reply.json(200, reply);
    }

    private Reply deleteSnapshots(String body) {
        JsonNode ids;
        try {
            ids = mapper.readTree(body).path("ids");
        } catch (Exception e) {
            return Reply.json(400, text("request body is not JSON"));
        }
        if (!ids.isArray()) {
            return Reply.json(400, text("expected {\"ids\":[…]}"));
        }
        List<String> uuids = new ArrayList<>();
        ids.forEach(id -> uuids.add(id.asText()));
        state.deleteSnapshots(uuids);
        return Reply.json(200, mapper.createObjectNode());
    }

    private static String field(JsonNode target, String name, String fallback) {
        String value = target.path(name).isValueNode() ? target.path(name).asText() : "";
        return value.isBlank() ? fallback : value;
    }

    /** A path segment with its percent-escapes decoded ({@code %3A} for the colons of a connection id); '+' stays '+'. */
    private static String decode(String segment) {
        try {
            return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return segment;
        }
    }

    /** A list's {@code limit} (all, when absent) and {@code offset} (0), as the evidence and snapshot lists read them. */
    private record Page(int limit, int offset) {

        static Page of(Map<String, String> parameters) {
            int limit;
            int offset;
            try {
                limit = parameters.containsKey("limit") ? Integer.parseInt(parameters.get("limit")) : Integer.MAX_VALUE;
                offset = parameters.containsKey("offset") ? Integer.parseInt(parameters.get("offset")) : 0;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("limit and offset must be numbers");
            }
            if (limit < 0 || offset < 0) {
                throw new IllegalArgumentException("limit and offset must not be negative");
            }
            return new Page(limit, offset);
        }
    }

    private static Map<String, String> parameters(String query) {
        Map<String, String> parameters = new HashMap<>();
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
            String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            parameters.putIfAbsent(name, value);
        }
        return parameters;
    }

    private ObjectNode text(String message) {
        return mapper.createObjectNode().put("text", message);
    }

    private Reply notFound(String message) {
        return Reply.json(404, text(message));
    }

    private Reply notAllowed() {
        return Reply.json(405, text("Method Not Allowed"));
    }
}
