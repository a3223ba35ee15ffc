package io.github.taniumroutes.simulator;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Threat Response's alerts under {@code /plugin/products/threat-response/api/v1/alerts} (TANIUM_API.md
 * §3, "Alerts"): {@code GET /alerts?state=&sort=-createdAt&limit=&offset=} lists them (a bare array; with
 * {@link ThreatResponseAlerts#wrapped} {@code {"data": […]}}, as newer versions answer), {@code GET
 * /alerts/{id}} one, and {@code PUT /alerts/{id}} {@code {"state"}} sets its state (400 for a state
 * Threat Response does not have, 404 for an unknown alert).
 */
final class ThreatResponseAlertsHandler implements SimulatorHandler {

    static final String PREFIX = ThreatResponseHandler.PREFIX + "/alerts";

    private final ObjectMapper mapper;
    private final ThreatResponseAlerts alerts;

    ThreatResponseAlertsHandler(ObjectMapper mapper, ThreatResponseAlerts alerts) {
        this.mapper = mapper;
        this.alerts = alerts;
    }

    @Override
    public Reply handle(String method, String path, String query, String body) throws Exception {
        String rest = path.substring(PREFIX.length());
        if (rest.isEmpty() || rest.equals("/")) {
            return "GET".equals(method) ? list(query) : Reply.json(405, text("Method Not Allowed"));
        }
        long id;
        try {
            id = Long.parseLong(rest.substring(1));
        } catch (NumberFormatException e) {
            return Reply.json(404, text("Not Found"));
        }
        return switch (method) {
            case "GET" -> {
                ObjectNode alert = alerts.get(id);
                yield alert == null ? Reply.json(404, text("Alert not found: " + id)) : Reply.json(200, wrap(alert));
            }
            case "PUT" -> update(id, body);
            default -> Reply.json(405, text("Method Not Allowed"));
        };
    }

    private Reply list(String query) {
        Map<String, String> params = params(query);
        int limit;
        int offset;
        try {
            limit = Integer.parseInt(params.getOrDefault("limit", "100"));
            offset = Integer.parseInt(params.getOrDefault("offset", "0"));
        } catch (NumberFormatException e) {
            return Reply.json(400, text("limit and offset must be numbers"));
        }
        if (limit < 1 || offset < 0) {
            return Reply.json(400, text("limit must be positive and offset zero or more"));
        }
        String sort = params.getOrDefault("sort", "-createdAt");
        List<ObjectNode> page = alerts.page(params.get("state"), !"createdAt".equals(sort), offset, Math.min(limit, 500));
        ArrayNode list = mapper.createArrayNode();
        page.forEach(list::add);
        return Reply.json(200, wrap(list));
    }

    private Reply update(long id, String body) {
        JsonNode request;
        try {
            request = mapper.readTree(body);
        } catch (Exception e) {
            return Reply.json(400, text("request body is not JSON"));
        }
        String state = request == null ? "" : request.path("state").asText("").toLowerCase(Locale.ROOT);
        if (!ThreatResponseAlerts.STATES.contains(state)) {
            return Reply.json(400, text("state must be one of " + ThreatResponseAlerts.STATES));
        }
        ObjectNode updated = alerts.setState(id, state);
        return updated == null ? Reply.json(404, text("Alert not found: " + id)) : Reply.json(200, wrap(updated));
    }

    private JsonNode wrap(JsonNode reply) {
        if (!alerts.isWrapped()) {
            return reply;
        }
        ObjectNode wrapper = mapper.createObjectNode();
        wrapper.set("data", reply);
        return wrapper;
    }

    private ObjectNode text(String message) {
        return mapper.createObjectNode().put("text", message);
    }

    private static Map<String, String> params(String query) {
        Map<String, String> params = new HashMap<>();
        if (query == null || query.isEmpty()) {
            return params;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.put(key, value);
        }
        return params;
    }
}
