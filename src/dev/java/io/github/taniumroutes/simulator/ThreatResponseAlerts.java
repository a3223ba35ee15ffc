package io.github.taniumroutes.simulator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Threat Response's alerts (its detections), as {@code GET /plugin/products/threat-response/api/v1/alerts}
 * lists them and {@code PUT /alerts/{id}} changes their state: the fields of the recorded alert in
 * config/samples/tanium-threat-response.json and XSOAR's test_data/get_alert_raw_response.json, ids
 * counting up, {@code createdAt} as the time it was raised here. States as XSOAR's integration sends
 * them: {@code unresolved}, {@code inprogress}, {@code ignored}, {@code resolved} (lower case).
 */
public final class ThreatResponseAlerts {

    /** The states an alert can be put in. */
    public static final Set<String> STATES = Set.of("unresolved", "inprogress", "ignored", "resolved");

    private final ObjectMapper mapper = new ObjectMapper();
    private final Map<Long, ObjectNode> alerts = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final Counters stateChanges = new Counters();
    /** Newer Threat Response versions wrap their replies in {@code {"data": …}}; older ones do not. */
    private volatile boolean wrapped;

    /** Raises an alert about an endpoint of the inventory; returns its id. */
    public long raise(Inventory.Endpoint endpoint, String intelName, String severity) {
        long id = ids.incrementAndGet();
        String now = Instant.now().toString();
        ObjectNode alert = mapper.createObjectNode().put("id", id).put("state", "unresolved").put("type", "detect.match")
                .put("guid", "00000000-0000-0000-0000-" + String.format("%012d", id)).put("priority", severity).put("severity", severity)
                .put("intelDocId", 700).put("computerName", endpoint.name()).put("computerIpAddress", endpoint.ipAddress())
                .put("eid", endpoint.id()).put("matchType", "process")
                .put("details", "{\"match\":{\"type\":\"process\",\"properties\":{\"pid\":" + (4000 + id) + ",\"name\":\"C:\\\\Temp\\\\evil.exe\"}}}")
                .put("alertedAt", now).put("createdAt", now).put("updatedAt", now);
        alert.putObject("intelDoc").put("id", 700).put("name", intelName);
        alerts.put(id, alert);
        return id;
    }

    public ThreatResponseAlerts wrapped(boolean wrap) {
        this.wrapped = wrap;
        return this;
    }

    public ThreatResponseAlerts reset() {
        alerts.clear();
        stateChanges.clear();
        wrapped = false;
        return this;
    }

    /** The alert's state now, or null when there is no such alert. */
    public String state(long id) {
        ObjectNode alert = alerts.get(id);
        return alert == null ? null : alert.path("state").asText();
    }

    /** How often the alert's state was set (to any state, the same one included). */
    public int stateChanges(long id) {
        return stateChanges.count(String.valueOf(id));
    }

    boolean isWrapped() {
        return wrapped;
    }

    /** A page of alerts: in {@code state} (any when null), newest first unless {@code newestFirst} is false. */
    List<ObjectNode> page(String state, boolean newestFirst, int offset, int limit) {
        Comparator<ObjectNode> byCreated = Comparator.comparing((ObjectNode a) -> a.path("createdAt").asText())
                .thenComparingLong(a -> a.path("id").asLong());
        List<ObjectNode> all = new ArrayList<>(alerts.values().stream().filter(a -> state == null || state.equals(a.path("state").asText()))
                .sorted(newestFirst ? byCreated.reversed() : byCreated).toList());
        if (offset >= all.size()) {
            return List.of();
        }
        return all.subList(offset, Math.min(all.size(), offset + limit)).stream().map(ObjectNode::deepCopy).toList();
    }

    ObjectNode get(long id) {
        ObjectNode alert = alerts.get(id);
        return alert == null ? null : alert.deepCopy();
    }

    /** Sets the alert's state; null when there is no such alert. */
    ObjectNode setState(long id, String state) {
        ObjectNode alert = alerts.get(id);
        if (alert == null) {
            return null;
        }
        synchronized (alert) {
            alert.put("state", state.toLowerCase(Locale.ROOT)).put("updatedAt", Instant.now().toString());
        }
        stateChanges.increment(String.valueOf(id));
        return alert.deepCopy();
    }

    /**
     * Applies a control document: {@code {"reset": true, "wrapped": true, "raise": {"endpoint": "1003",
     * "intel": "Testing eicar", "severity": "high"}}} ({@code raise} may be a list).
     */
    void apply(JsonNode settings, Inventory inventory) {
        if (settings == null || !settings.isObject()) {
            throw new IllegalArgumentException("expected a JSON object");
        }
        if (settings.path("reset").asBoolean(false)) {
            reset();
        }
        if (settings.has("wrapped")) {
            wrapped(settings.get("wrapped").asBoolean());
        }
        JsonNode raise = settings.path("raise");
        for (JsonNode one : raise.isArray() ? raise : mapper.createArrayNode().add(raise)) {
            if (one.isMissingNode() || one.isNull()) {
                continue;
            }
            String endpointId = one.path("endpoint").asText("");
            Inventory.Endpoint endpoint = inventory.endpoints().stream().filter(e -> e.id().equals(endpointId)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("raise needs the \"endpoint\" id of an inventory endpoint"));
            raise(endpoint, one.path("intel").asText("Simulated detection"), one.path("severity").asText("high"));
        }
    }

    JsonNode describe() {
        ObjectNode description = mapper.createObjectNode().put("alerts", alerts.size()).put("wrapped", wrapped);
        description.set("stateChanges", mapper.valueToTree(stateChanges.snapshot()));
        return description;
    }
}
