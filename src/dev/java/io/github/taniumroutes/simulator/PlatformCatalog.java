package io.github.taniumroutes.simulator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What the simulated Tanium Server has defined before anyone calls it: action groups, filter groups, packages and
 * sensors, loaded from {@code platform.json} (config/simulator/platform.json; see its {@code _comment}). The simulator
 * looks for the file beside the inventory file, then at config/simulator/platform.json; without one the catalog is
 * empty and every by-name lookup is a 404.
 */
final class PlatformCatalog {

    static final String FILE_NAME = "platform.json";
    static final Path DEFAULT_FILE = Path.of("config", "simulator", FILE_NAME);
    private static final String MODEL_PREFIX = "com.tanium.components.parameters::";

    /** An action group or a filter group; {@code filter} null with {@code none} true targets No Computers, null alone all. */
    record NamedGroup(long id, String name, String text, GroupText.Node filter, boolean none) {
        boolean includes(Inventory.Endpoint endpoint) {
            return !none && (filter == null || filter.matches(endpoint));
        }
    }

    /** One parameter of a package or sensor definition, with what the simulator needs to check or apply it. */
    record Parameter(String key, String model, JsonNode definition, String column) {
        String defaultValue() {
            return definition.path("defaultValue").asText("");
        }

        /** Separators and other display-only parameters have no key and take no value. */
        boolean takesValue() {
            return key != null && !key.isEmpty();
        }
    }

    /** A package as {@code GET /packages/by-name/{name}} shows it ({@code json}), with its parsed parameters. */
    record Package(long id, String name, ObjectNode json, List<Parameter> parameters) {
        Parameter parameter(String key) {
            return parameters.stream().filter(p -> key.equals(p.key())).findFirst().orElse(null);
        }
    }

    /** A sensor: its columns and parameters; {@code json} is what {@code GET /sensors/by-name/{name}} shows. */
    record Sensor(long id, String name, long hash, List<String> columns, List<Parameter> parameters, ObjectNode json) {
    }

    private final List<NamedGroup> actionGroups = new ArrayList<>();
    private final List<NamedGroup> filterGroups = new ArrayList<>();
    private final Map<String, Package> packages = new LinkedHashMap<>();
    private final Map<String, Sensor> sensors = new LinkedHashMap<>();

    private PlatformCatalog() {
    }

    static PlatformCatalog empty() {
        return new PlatformCatalog();
    }

    /** The catalog beside {@code inventoryFile}, else the default file, else an empty one. */
    static PlatformCatalog near(ObjectMapper mapper, Path inventoryFile) throws IOException {
        Path beside = inventoryFile.toAbsolutePath().getParent() == null ? null : inventoryFile.toAbsolutePath().getParent().resolve(FILE_NAME);
        if (beside != null && Files.isRegularFile(beside)) {
            return load(mapper, beside);
        }
        return Files.isRegularFile(DEFAULT_FILE) ? load(mapper, DEFAULT_FILE) : empty();
    }

    static PlatformCatalog load(ObjectMapper mapper, Path file) throws IOException {
        JsonNode root = mapper.readTree(file.toFile());
        PlatformCatalog catalog = new PlatformCatalog();
        try {
            for (JsonNode g : root.path("actionGroups")) {
                catalog.actionGroups.add(group(g));
            }
            for (JsonNode g : root.path("filterGroups")) {
                catalog.filterGroups.add(group(g));
            }
        } catch (GroupText.SyntaxError e) {
            throw new IOException(file + ": a group's text does not parse: " + e.getMessage(), e);
        }
        for (JsonNode p : root.path("packages")) {
            Package pkg = catalog.packageOf(mapper, p);
            catalog.packages.put(pkg.name(), pkg);
        }
        for (JsonNode s : root.path("sensors")) {
            Sensor sensor = sensorOf(mapper, s);
            catalog.sensors.put(sensor.name(), sensor);
        }
        return catalog;
    }

    private static NamedGroup group(JsonNode g) throws GroupText.SyntaxError {
        boolean none = g.has("text") && g.get("text").isNull();
        String text = g.path("text").isTextual() ? g.get("text").asText() : null;
        GroupText.Node filter = text == null || text.isBlank() ? null : GroupText.parse(text);
        return new NamedGroup(g.path("id").asLong(), g.path("name").asText(), text == null ? "" : text, filter, none);
    }

    private Package packageOf(ObjectMapper mapper, JsonNode p) {
        ObjectNode json = mapper.createObjectNode();
        long id = p.path("id").asLong();
        String name = p.path("name").asText();
        json.put("id", id);
        json.set("content_set", p.has("content_set") ? p.get("content_set").deepCopy() : mapper.createObjectNode().put("id", 0).put("name", ""));
        json.put("name", name).put("display_name", p.path("display_name").asText(name));
        json.put("creation_time", "2020-05-20T14:25:48Z").put("modification_time", "2020-05-20T14:25:48Z").put("last_modified_by", "taniumconsole");
        json.putObject("mod_user").put("id", 2).put("name", "taniumconsole").put("domain", "").put("display_name", "");
        json.putArray("files");
        json.put("command", p.path("command").asText()).put("command_timeout", p.path("command_timeout").asInt(600))
                .put("expire_seconds", p.path("expire_seconds").asInt(600)).put("verify_expire_seconds", p.path("verify_expire_seconds").asInt(600))
                .put("skip_lock_flag", false).put("hidden_flag", false).put("process_group_flag", true)
                .put("available_time", "2020-05-20T14:25:55Z").put("deleted_flag", false).put("last_update", "2020-05-20T14:25:48Z")
                .put("source_id", 0).put("source_hash", String.format("%064x", GroupText.hash(name)))
                .put("verify_group_id", 0);
        json.putObject("verify_group").put("id", 0);
        JsonNode definition = p.path("parameter_definition");
        List<Parameter> parameters = new ArrayList<>();
        if (definition.isObject()) {
            ObjectNode served = definition.deepCopy();
            for (JsonNode parameter : served.path("parameters")) {
                parameters.add(parameterOf((ObjectNode) parameter));
            }
            json.put("parameter_definition", served.toString());
        } else {
            json.put("parameter_definition", definition.asText(""));
        }
        return new Package(id, name, json, List.copyOf(parameters));
    }

    private static Sensor sensorOf(ObjectMapper mapper, JsonNode s) {
        String name = s.path("name").asText();
        long hash = s.has("hash") ? s.get("hash").asLong() : GroupText.hash(name);
        List<String> columns = new ArrayList<>();
        s.path("columns").forEach(c -> columns.add(c.asText()));
        if (columns.isEmpty()) {
            columns.add(name);
        }
        List<Parameter> parameters = new ArrayList<>();
        ArrayNode served = mapper.createArrayNode();
        for (JsonNode p : s.path("parameters")) {
            ObjectNode parameter = p.deepCopy();
            parameters.add(parameterOf(parameter));
            parameter.remove("_column");
            served.add(parameter);
        }
        ObjectNode json = mapper.createObjectNode();
        json.put("id", s.path("id").asLong()).put("name", name).put("hash", hash).put("category", s.path("category").asText(""))
                .put("description", s.path("description").asText("")).put("source_id", 0).put("value_type", "String")
                .put("max_age_seconds", 600).put("ignore_case_flag", true).put("keep_duplicates_flag", false)
                .put("creation_time", "2020-05-20T14:25:48Z").put("modification_time", "2020-05-20T14:25:48Z")
                .put("last_modified_by", "taniumconsole");
        json.putObject("content_set").put("id", 4).put("name", s.path("category").asText(""));
        ArrayNode subcolumns = json.putArray("subcolumns");
        if (columns.size() > 1) {
            for (int i = 0; i < columns.size(); i++) {
                subcolumns.addObject().put("name", columns.get(i)).put("index", i).put("value_type", "String").put("hidden_flag", false)
                        .put("ignore_case_flag", true);
            }
        }
        if (served.isEmpty()) {
            json.put("parameter_definition", "");
        } else {
            ObjectNode definition = mapper.createObjectNode();
            definition.set("parameters", served);
            definition.put("parameterType", MODEL_PREFIX + "ParametersArray").put("model", MODEL_PREFIX + "ParametersArray");
            json.put("parameter_definition", definition.toString());
        }
        return new Sensor(s.path("id").asLong(), name, hash, List.copyOf(columns), List.copyOf(parameters), json);
    }

    private static Parameter parameterOf(ObjectNode parameter) {
        String model = parameter.path("model").asText(parameter.path("parameterType").asText(""));
        String column = parameter.path("_column").asText(null);
        return new Parameter(parameter.path("key").asText(null), model.substring(model.indexOf("::") + 2), parameter, column);
    }

    List<NamedGroup> actionGroups() {
        return actionGroups;
    }

    NamedGroup actionGroup(long id) {
        return actionGroups.stream().filter(g -> g.id() == id).findFirst().orElse(null);
    }

    NamedGroup actionGroup(String name) {
        return actionGroups.stream().filter(g -> g.name().equals(name)).findFirst().orElse(null);
    }

    List<NamedGroup> filterGroups() {
        return filterGroups;
    }

    NamedGroup filterGroup(long id) {
        return filterGroups.stream().filter(g -> g.id() == id).findFirst().orElse(null);
    }

    NamedGroup filterGroup(String name) {
        return filterGroups.stream().filter(g -> g.name().equals(name)).findFirst().orElse(null);
    }

    Package packageNamed(String name) {
        return packages.get(name);
    }

    Package packageWithId(long id) {
        return packages.values().stream().filter(p -> p.id() == id).findFirst().orElse(null);
    }

    Sensor sensor(String name) {
        return sensors.get(name);
    }

    List<Sensor> sensors() {
        return List.copyOf(sensors.values());
    }
}
