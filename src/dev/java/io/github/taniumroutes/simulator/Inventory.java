package io.github.taniumroutes.simulator;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The simulated estate: endpoints and what each sensor reads on them, loaded from a JSON file
 * (config/simulator/inventory.json). Sensor data is kept as columns and rows.
 */
public final class Inventory {

    public record SensorData(List<String> columns, List<List<String>> rows) {
    }

    /**
     * {@code id} is the Gateway's endpoint id; {@code computerId} the Tanium client's computer id, which Threat Response calls clientId.
     * {@code operatingSystem} is what the {@code Operating System} sensor reads ({@code os.name} in the file, e.g. "Windows 10
     * Enterprise"); {@code platform} the Gateway's {@code os.platform} (Windows, Linux, Mac). {@code directConnect} is what a Direct
     * Connect session reads on it ({@code performance}, {@code processes}, {@code alerts}, in the shapes of seed 004); an empty object
     * when the file gives none.
     */
    public record Endpoint(String id, String computerId, String name, String ipAddress, String platform, String operatingSystem,
            Map<String, SensorData> sensors, JsonNode directConnect) {

        /** Tanium's name filters compare case-insensitively. */
        boolean matches(String path, String value) {
            if (value == null) {
                return false;
            }
            return switch (path) {
                case "id" -> value.equals(id);
                case "computerID" -> value.equals(computerId);
                case "name", "computerName" -> value.toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT));
                case "ipAddress" -> value.equals(ipAddress);
                default -> false;
            };
        }
    }

    private final List<Endpoint> endpoints;
    private final List<String> knownSensors;

    public Inventory(List<Endpoint> endpoints, List<String> knownSensors) {
        this.endpoints = List.copyOf(endpoints);
        this.knownSensors = List.copyOf(knownSensors);
    }

    public List<Endpoint> endpoints() {
        return endpoints;
    }

    /** The endpoint with this Gateway id, or null. */
    public Endpoint endpoint(String endpointId) {
        return endpoints.stream().filter(e -> e.id().equals(endpointId)).findFirst().orElse(null);
    }

    /** The computer id of the endpoint with this Gateway id, or null. */
    public String computerIdOf(String endpointId) {
        return endpoints.stream().filter(e -> e.id().equals(endpointId)).map(Endpoint::computerId).findFirst().orElse(null);
    }

    public boolean knowsSensor(String name) {
        return knownSensors.contains(name);
    }

    public static Inventory load(ObjectMapper mapper, Path file) throws IOException {
        JsonNode root = mapper.readTree(file.toFile());
        List<Endpoint> endpoints = new ArrayList<>();
        List<String> sensors = new ArrayList<>();
        root.path("sensors").forEach(s -> sensors.add(s.asText()));
        for (JsonNode e : root.path("endpoints")) {
            Map<String, SensorData> data = new LinkedHashMap<>();
            e.path("sensors").fields().forEachRemaining(entry -> {
                List<String> columns = new ArrayList<>();
                entry.getValue().path("columns").forEach(c -> columns.add(c.asText()));
                List<List<String>> rows = new ArrayList<>();
                for (JsonNode row : entry.getValue().path("rows")) {
                    List<String> values = new ArrayList<>();
                    row.forEach(v -> values.add(v.asText()));
                    rows.add(values);
                }
                data.put(entry.getKey(), new SensorData(columns, rows));
                if (!sensors.contains(entry.getKey())) {
                    sensors.add(entry.getKey());
                }
            });
            String platform = e.path("os").path("platform").asText();
            JsonNode directConnect = e.path("directConnect").isObject() ? e.get("directConnect") : mapper.createObjectNode();
            endpoints.add(new Endpoint(e.path("id").asText(), e.path("computerID").asText(null), e.path("name").asText(), e.path("ipAddress").asText(),
                    platform, e.path("os").path("name").asText(platform), data, directConnect));
        }
        return new Inventory(endpoints, sensors);
    }
}
