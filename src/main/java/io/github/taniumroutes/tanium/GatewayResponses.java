package io.github.taniumroutes.tanium;

import org.apache.camel.Body;
import org.apache.camel.Variable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Reads Gateway GraphQL replies. A non-empty {@code errors} array is a failure even with HTTP 200
 * and partial {@code data}; sensor columns ({@code {name, values[]}}) become one record per row.
 */
@Singleton
@Named("gatewayResponses")
public class GatewayResponses {

    private static final int MAX_ERROR_TEXT = 300;

    private final ObjectMapper mapper;
    private final int maxRowsPerSensor;
    private final GatewayQueries queries;

    @Inject
    public GatewayResponses(ObjectMapper mapper, @ConfigProperty(name = "tanium.enrich.max-rows-per-sensor") int maxRowsPerSensor,
            GatewayQueries queries) {
        this.mapper = mapper;
        this.maxRowsPerSensor = maxRowsPerSensor;
        this.queries = queries;
    }

    /** For tests and tools that pass the sensor list themselves. */
    public GatewayResponses(ObjectMapper mapper, int maxRowsPerSensor) {
        this(mapper, maxRowsPerSensor, null);
    }

    public List<TaniumEndpoint> endpoints(String body) {
        List<TaniumEndpoint> endpoints = new ArrayList<>();
        for (JsonNode edge : edges(body)) {
            endpoints.add(endpoint(edge.path("node")));
        }
        return endpoints;
    }

    private static TaniumEndpoint endpoint(JsonNode node) {
        return new TaniumEndpoint(text(node, "id"), text(node, "name"), text(node, "ipAddress"),
                text(node.path("os"), "platform"), text(node, "computerID"));
    }

    /** A page of a batched lookup's reply, added to its chunk (the endpoints it found and where the next page starts). */
    public void endpointLookupPage(@Body String body, @Variable("lookupChunk") LookupChunk chunk) {
        JsonNode connection = connection(checked(body), "endpoints");
        List<TaniumEndpoint> found = new ArrayList<>();
        for (JsonNode edge : connection.path("edges")) {
            found.add(endpoint(edge.path("node")));
        }
        chunk.add(new GatewayPage<>(found, hasNextPage(connection), text(connection.path("pageInfo"), "endCursor")));
    }

    /**
     * A page of a batched live read's reply, added to its chunk: per field (a group of endpoints that
     * need the same read), each node's id and its readings of the group's sensors.
     */
    public void sensorReadingsPage(@Body String body, @Variable("readChunk") ReadChunk chunk) {
        JsonNode reply = checked(body);
        for (ReadChunk.Group group : chunk.groupsToAsk()) {
            JsonNode connection = connection(reply, group.alias());
            List<Map.Entry<String, Map<String, SensorRows>>> nodes = new ArrayList<>();
            for (JsonNode edge : connection.path("edges")) {
                JsonNode node = edge.path("node");
                nodes.add(new java.util.AbstractMap.SimpleImmutableEntry<>(text(node, "id"), readings(node, group.sensors())));
            }
            group.add(new GatewayPage<>(nodes, hasNextPage(connection), text(connection.path("pageInfo"), "endCursor")));
        }
    }

    private static boolean hasNextPage(JsonNode connection) {
        return connection.path("pageInfo").path("hasNextPage").asBoolean(false);
    }

    private static JsonNode connection(JsonNode reply, String field) {
        JsonNode connection = reply.path("data").path(field);
        if (!connection.path("edges").isArray()) {
            throw new TaniumException("the Gateway reply has no data." + field + ".edges");
        }
        return connection;
    }

    /** The readings of the sensors the route asked for (variable {@code sensors}), else the configured ones. */
    public Map<String, SensorRows> sensorReadingsFor(@Body String body, @Variable("sensors") List<SensorRequest> sensors) {
        return sensorReadings(body, sensors != null ? sensors : queries.sensors());
    }

    /** Sensor name → rows (column name → value), in the order the sensors were requested. */
    public Map<String, SensorRows> sensorReadings(String body, List<SensorRequest> sensors) {
        List<JsonNode> edges = edges(body);
        if (edges.isEmpty()) {
            throw new TaniumException("the live sensor read returned no endpoint (offline or not matching)");
        }
        return readings(edges.get(0).path("node"), sensors);
    }

    private Map<String, SensorRows> readings(JsonNode node, List<SensorRequest> sensors) {
        Map<String, SensorRows> readings = new LinkedHashMap<>();
        for (int i = 0; i < sensors.size(); i++) {
            readings.put(sensors.get(i).name(), rows(node.path(GatewayQueries.alias(i)).path("columns")));
        }
        return readings;
    }

    private SensorRows rows(JsonNode columns) {
        int rowCount = 0;
        for (JsonNode column : columns) {
            rowCount = Math.max(rowCount, column.path("values").size());
        }
        List<Map<String, String>> rows = new ArrayList<>();
        for (int row = 0; row < Math.min(rowCount, maxRowsPerSensor); row++) {
            Map<String, String> record = new LinkedHashMap<>();
            for (JsonNode column : columns) {
                JsonNode value = column.path("values").path(row);
                record.put(column.path("name").asText(), value.isMissingNode() || value.isNull() ? null : value.asText());
            }
            rows.add(record);
        }
        return new SensorRows(rows, rowCount > maxRowsPerSensor ? rowCount : null);
    }

    private List<JsonNode> edges(String body) {
        JsonNode edges = checked(body).path("data").path("endpoints").path("edges");
        if (!edges.isArray()) {
            throw new TaniumException("the Gateway reply has no data.endpoints.edges");
        }
        List<JsonNode> list = new ArrayList<>();
        edges.forEach(list::add);
        return list;
    }

    /** The reply, once it is known to be a JSON object without GraphQL errors. */
    private JsonNode checked(String body) {
        JsonNode reply = parse(body);
        JsonNode errors = reply.path("errors");
        if (errors.isArray() && !errors.isEmpty()) {
            List<String> messages = new ArrayList<>();
            errors.forEach(e -> messages.add(e.path("message").asText("(no message)")));
            String text = String.join("; ", messages);
            throw new TaniumException("GraphQL error: "
                    + (text.length() > MAX_ERROR_TEXT ? text.substring(0, MAX_ERROR_TEXT) + "…" : text));
        }
        return reply;
    }

    private JsonNode parse(String body) {
        try {
            JsonNode reply = body == null ? null : mapper.readTree(body);
            if (reply == null || !reply.isObject()) {
                throw new TaniumException("the Gateway reply is not a JSON object");
            }
            return reply;
        } catch (JsonProcessingException e) {
            throw new TaniumException("the Gateway reply is not JSON: " + e.getOriginalMessage());
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isMissingNode() || value.isNull() ? null : value.asText();
    }
}
