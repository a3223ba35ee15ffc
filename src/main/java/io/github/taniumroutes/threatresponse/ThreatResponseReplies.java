package io.github.taniumroutes.threatresponse;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.taniumroutes.tanium.TaniumException;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/**
 * Reads Threat Response replies defensively. The contract's shapes come first (a bare JSON string
 * from connect, an unpaged array from {@code GET /conns}, {@code taskInfo.id} from snapshot,
 * {@code data.status} from a task); newer versions wrap replies in {@code {"data": …}}, and a
 * generated third-party workflow uses {@code {"data":{"id"}}} and {@code {"data":{"taskId"}}}, so
 * those are accepted too. A reply that has none of them is a {@link TaniumException} naming what was
 * missing, never a NullPointerException later.
 */
@Singleton
@Named("threatResponseReplies")
public class ThreatResponseReplies {

    /** A task as {@code GET /tasks/{id}} reports it; status STARTED, COMPLETED or FAILED. */
    public record Task(String status, JsonNode results, String error) {
    }

    private final ObjectMapper mapper;

    @Inject
    public ThreatResponseReplies(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public String connectionId(String body) {
        JsonNode reply = read(body, "connect");
        String id = firstText(reply, reply.path("data").path("id"), reply.path("id"), reply.path("data"));
        return require(id, "connect", "connection id");
    }

    public List<LiveConnection> connections(String body) {
        JsonNode reply = read(body, "GET /conns");
        JsonNode list = reply.isArray() ? reply : reply.path("data");
        if (!list.isArray()) {
            throw new TaniumException("Threat Response's connection list is not an array");
        }
        List<LiveConnection> connections = new ArrayList<>(list.size());
        for (JsonNode entry : list) {
            connections.add(new LiveConnection(text(entry.path("id")), text(entry.path("status")),
                    text(entry.path("clientId")), text(entry.path("userId")), text(entry.path("initiatedAt")),
                    text(entry.path("message"))));
        }
        return connections;
    }

    public String snapshotTaskId(String body) {
        JsonNode reply = read(body, "snapshot");
        String id = firstText(reply.path("taskInfo").path("id"), reply.path("data").path("taskInfo").path("id"),
                reply.path("data").path("taskId"), reply.path("taskId"));
        return require(id, "snapshot", "task id");
    }

    public Task task(String body) {
        JsonNode reply = read(body, "GET /tasks");
        JsonNode task = reply.has("data") && reply.path("data").isObject() ? reply.path("data") : reply;
        String status = require(text(task.path("status")), "GET /tasks", "task status");
        JsonNode results = task.path("results");
        return new Task(status, results.isMissingNode() || results.isNull() ? null : results, errorText(task.path("error")));
    }

    /** The id of the user behind our token, from {@code GET /api/v2/session/current}. */
    public String userId(String body) {
        JsonNode reply = read(body, "GET /api/v2/session/current");
        String id = firstText(reply.path("data").path("id"), reply.path("data").path("user").path("id"), reply.path("id"));
        return require(id, "GET /api/v2/session/current", "user id");
    }

    private JsonNode read(String body, String call) {
        if (body == null || body.isBlank()) {
            throw new TaniumException("Threat Response replied to " + call + " with an empty body");
        }
        try {
            return mapper.readTree(body);
        } catch (JsonProcessingException e) {
            throw new TaniumException("Threat Response's reply to " + call + " is not JSON");
        }
    }

    private static String firstText(JsonNode... candidates) {
        for (JsonNode candidate : candidates) {
            String text = text(candidate);
            if (text != null && !text.isBlank()) {
                return text;
            }
        }
        return null;
    }

    private static String text(JsonNode node) {
        return node == null || !node.isValueNode() || node.isNull() ? null : node.asText();
    }

    private static String errorText(JsonNode error) {
        if (error == null || error.isMissingNode() || error.isNull()) {
            return null;
        }
        return error.isValueNode() ? error.asText() : error.toString();
    }

    private static String require(String value, String call, String what) {
        if (value == null) {
            throw new TaniumException("Threat Response's reply to " + call + " carries no " + what);
        }
        return value;
    }
}
