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
            JsonNode node = edge.path("node");
            endpoints.add(new TaniumEndpoint(text(node, "id"), text(node, "name"), text(node, "ipAddress"),
                    text(node.path("os"), "platform"), text(node, "computerID")));
        }
        return endpoints;
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
        JsonNode node = edges.get(0).path("node");
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
        JsonNode reply = parse(body);
        JsonNode errors = reply.path("errors");
        if (errors.isArray() && !errors.isEmpty()) {
            List<String> messages = new ArrayList<>();
            errors.forEach(e -> messages.add(e.path("message").asText("(no message)")));
            String text = String.join("; ", messages);
            throw new TaniumException("GraphQL error: "
                    + (text.length() > MAX_ERROR_TEXT ? text.substring(0, MAX_ERROR_TEXT) + "…" : text));
        }
        JsonNode edges = reply.path("data").path("endpoints").path("edges");
        if (!edges.isArray()) {
            throw new TaniumException("the Gateway reply has no data.endpoints.edges");
        }
        List<JsonNode> list = new ArrayList<>();
        edges.forEach(list::add);
        return list;
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
