package io.github.taniumroutes.e2e;

import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Simulator inventories of many endpoints (ids from 100000, names scale-<n>), for the scale tests and benchmarks. */
public final class LargeEstates {

    private LargeEstates() {
    }

    public static String endpointId(int index) {
        return String.valueOf(100_000 + index);
    }

    public static String hostname(int index) {
        return "scale-" + index;
    }

    /** An estate of {@code size} endpoints, with the sensors of config/simulator/inventory.json. */
    public static Path inventory(int size) throws Exception {
        ObjectNode inventory = Investigations.MAPPER.createObjectNode();
        JsonNode base = Investigations.MAPPER.readTree(Path.of("config/simulator/inventory.json").toFile());
        inventory.set("sensors", base.path("sensors"));
        ArrayNode endpoints = inventory.putArray("endpoints");
        for (int i = 0; i < size; i++) {
            ObjectNode endpoint = endpoints.addObject().put("id", endpointId(i)).put("computerID", "77" + endpointId(i)).put("name", hostname(i))
                    .put("ipAddress", "10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255));
            endpoint.putObject("os").put("platform", "Linux");
            endpoint.putObject("sensors");
        }
        Path file = Path.of("target", "scale-inventory-" + size + ".json");
        Files.createDirectories(file.getParent());
        Investigations.MAPPER.writeValue(file.toFile(), inventory);
        return file;
    }
}
