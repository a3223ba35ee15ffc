package io.github.taniumroutes.directconnect;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.taniumroutes.tanium.TaniumException;
import io.github.taniumroutes.tanium.TaniumJson;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/**
 * Reads the Gateway's Direct Connect replies, whichever API generation asked: each document asks one
 * field, so the answer is the one field under {@code data}, whatever it is named. A non-empty
 * {@code errors} array is a failure even with HTTP 200 and partial data; only for a session's status is it
 * an answer (the session is closed, or unknown to Tanium).
 */
@Singleton
@Named("directConnectReplies")
public class DirectConnectReplies {

    private static final int MAX_ERROR_TEXT = 300;
    private static final TypeReference<Map<String, Object>> RECORD = new TypeReference<>() {
    };

    /** A session's state as a reply says it: ready, still coming up, or closed (with why). */
    public enum State {
        READY, CONNECTING, CLOSED
    }

    public record Status(State state, String detail) {
    }

    public record Opened(String connectionId, String status) {
    }

    private final ObjectMapper mapper;

    @Inject
    public DirectConnectReplies(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** {@code openDirectConnection {connectionID}} / {@code directConnectOpen {connectionID status}}. */
    public Opened opened(String reply) {
        JsonNode field = field(reply, "open");
        String id = field.path("connectionID").asText("");
        if (id.isEmpty()) {
            throw new TaniumException("Tanium's reply to the Direct Connect open names no connectionID");
        }
        return new Opened(id, field.path("status").isTextual() ? field.path("status").asText() : null);
    }

    /**
     * A session's status: {@code {status}} (READY; CONNECTING and UNKNOWN are not ready yet; anything else
     * is closed) or a ping's {@code {result}} (true: ready; false: not yet). Errors mean the session is
     * closed or unknown to Tanium.
     */
    public Status status(String reply) {
        JsonNode root = TaniumJson.read(mapper, reply, "Direct Connect status");
        String errors = errors(root);
        if (errors != null) {
            return new Status(State.CLOSED, errors);
        }
        JsonNode field = only(root, "status");
        if (field.path("status").isTextual()) {
            String status = field.path("status").asText().toUpperCase(Locale.ROOT);
            return switch (status) {
                case "READY" -> new Status(State.READY, status);
                case "CONNECTING", "UNKNOWN" -> new Status(State.CONNECTING, status);
                default -> new Status(State.CLOSED, "Tanium reports the session " + status);
            };
        }
        if (field.path("result").isBoolean()) {
            return field.path("result").asBoolean() ? new Status(State.READY, "ping: true") : new Status(State.CONNECTING, "ping: false");
        }
        throw new TaniumException("Tanium's reply to the Direct Connect status has neither status nor result");
    }

    /** {@code performance {cpuUsagePercent}} of the endpoint. */
    public Map<String, Object> performance(String reply) {
        return mapper.convertValue(field(reply, "performance read").path("performance"), RECORD);
    }

    /** {@code processes {all [...]}}: every record, as Tanium gives it. */
    public List<Map<String, Object>> processes(String reply) {
        return records(field(reply, "process list").path("processes").path("all"), "process list");
    }

    /** {@code alerts {all [...]}}. */
    public List<Map<String, Object>> alerts(String reply) {
        return records(field(reply, "alerts read").path("alerts").path("all"), "alerts read");
    }

    /** A mutation's {@code {result}} (ping, close, kill): true or false. */
    public boolean result(String reply, String what) {
        JsonNode result = field(reply, what).path("result");
        if (!result.isBoolean()) {
            throw new TaniumException("Tanium's reply to the Direct Connect " + what + " has no result");
        }
        return result.asBoolean();
    }

    private List<Map<String, Object>> records(JsonNode all, String what) {
        if (!all.isArray()) {
            throw new TaniumException("Tanium's reply to the Direct Connect " + what + " has no list");
        }
        List<Map<String, Object>> records = new ArrayList<>();
        all.forEach(record -> records.add(mapper.convertValue(record, RECORD)));
        return records;
    }

    /** The one field under {@code data}; errors are a failure. */
    private JsonNode field(String reply, String what) {
        JsonNode root = TaniumJson.read(mapper, reply, "Direct Connect " + what);
        String errors = errors(root);
        if (errors != null) {
            throw new TaniumException("GraphQL error from the Direct Connect " + what + ": " + errors);
        }
        return only(root, what);
    }

    private static JsonNode only(JsonNode root, String what) {
        JsonNode data = root.path("data");
        Iterator<JsonNode> fields = data.elements();
        if (!data.isObject() || !fields.hasNext()) {
            throw new TaniumException("Tanium's reply to the Direct Connect " + what + " has no data");
        }
        JsonNode field = fields.next();
        if (!field.isObject()) {
            throw new TaniumException("Tanium's reply to the Direct Connect " + what + " holds no object");
        }
        return field;
    }

    private static String errors(JsonNode root) {
        JsonNode errors = root.path("errors");
        if (!errors.isArray() || errors.isEmpty()) {
            return null;
        }
        List<String> messages = new ArrayList<>();
        errors.forEach(e -> messages.add(e.path("message").asText("(no message)")));
        String text = String.join("; ", messages);
        return text.length() > MAX_ERROR_TEXT ? text.substring(0, MAX_ERROR_TEXT) + "…" : text;
    }
}
