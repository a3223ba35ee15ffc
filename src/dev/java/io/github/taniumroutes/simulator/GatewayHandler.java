package io.github.taniumroutes.simulator;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The API Gateway's GraphQL endpoint ({@code POST /plugin/products/gateway/graphql}): endpoint
 * lookups by id, name or IP address, and live sensor readings, in the shapes of Tanium's SOAR guide,
 * and Direct Connect ({@link DirectConnectGateway}). Errors come back the way the Gateway reports them:
 * an {@code errors} array with HTTP 200.
 * <p>
 * As a GraphQL server does, it answers every {@code endpoints} field of a document under its alias,
 * each with its own arguments and its own {@code sensorReadings}; a filter may combine filters
 * ({@code filters: [...]}, with {@code any: true} for "any of them", else all). The connection is
 * paged as the Gateway's schema describes it (Tanium's "Paginated query syntax" page): {@code first}
 * records after the opaque cursor {@code after}, each edge with its {@code cursor}, and
 * {@code pageInfo { hasNextPage endCursor }}. Without {@code first} every match is one page (the
 * Gateway's default page size is not documented in the sources); {@link Faults#gatewayPageLimit}
 * makes the server answer fewer than asked, as a server that caps its pages does. Endpoints marked
 * offline ({@link Faults#offline}) are known to the Data Service ({@code tds}) but do not answer a live
 * question ({@code ts}): they are missing from its reply, not an error.
 */
final class GatewayHandler implements SimulatorHandler {

    static final String PATH = "/plugin/products/gateway/graphql";
    private static final List<String> HASH_TYPES = List.of("MD5", "SHA1", "SHA256");

    private final ObjectMapper mapper;
    private final Inventory inventory;
    private final Faults faults;
    private final DirectConnectGateway directConnect;

    GatewayHandler(ObjectMapper mapper, Inventory inventory, Faults faults, DirectConnectControl directConnect) {
        this.mapper = mapper;
        this.inventory = inventory;
        this.faults = faults;
        this.directConnect = new DirectConnectGateway(mapper, directConnect);
    }

    @Override
    public Reply handle(String method, String path, String query, String body) throws Exception {
        if (!"POST".equals(method)) {
            return Reply.json(405, errors("only POST is supported"));
        }
        JsonNode request;
        try {
            request = mapper.readTree(body);
        } catch (Exception e) {
            return Reply.json(400, errors("request body is not JSON"));
        }
        String document = request.path("query").asText(null);
        if (document == null) {
            return Reply.json(400, errors("missing query"));
        }
        JsonNode variables = request.path("variables");
        GraphQlDocument parsed;
        List<GraphQlDocument.Field> endpointFields;
        try {
            parsed = GraphQlDocument.parse(document, variables);
            endpointFields = parsed.fields("endpoints");
        } catch (GraphQlDocument.SyntaxError e) {
            return Reply.json(400, errors("Syntax Error: " + e.getMessage()));
        }
        if (faults.graphqlFailure() || faults.graphqlFailureFor(body)) {
            ObjectNode reply = errors("simulated Gateway failure");
            reply.putNull("data");
            return Reply.json(200, reply);
        }
        if (directConnect.serves(parsed)) {
            return Reply.json(200, directConnect.handle(parsed));
        }
        if (endpointFields.isEmpty()) {
            return Reply.json(200, errors("the simulator serves only the endpoints query and Direct Connect"));
        }
        ObjectNode reply = mapper.createObjectNode();
        ObjectNode data = reply.putObject("data");
        ArrayNode errors = mapper.createArrayNode();
        for (GraphQlDocument.Field field : endpointFields) {
            try {
                data.set(field.alias(), endpoints(field.alias(), field.arguments(), parsed.fieldsWithin(field, "sensorReadings"), errors));
            } catch (IllegalArgumentException e) {
                data.putNull(field.alias());
                errors.addObject().put("message", e.getMessage()).putArray("path").add(field.alias());
            }
        }
        if (!errors.isEmpty()) {
            reply.set("errors", errors);
        }
        return Reply.json(200, reply);
    }

    private ObjectNode endpoints(String alias, Map<String, Object> arguments, List<GraphQlDocument.Field> sensorFields, ArrayNode errors) {
        ObjectNode connection = mapper.createObjectNode();
        ArrayNode edges = connection.putArray("edges");
        boolean live = arguments.get("source") instanceof Map<?, ?> source && source.containsKey("ts");
        int first = arguments.get("first") == null ? Integer.MAX_VALUE : Integer.parseInt(arguments.get("first").toString());
        if (first < 0) {
            throw new IllegalArgumentException("first must not be negative");
        }
        int pageSize = Math.min(first, faults.gatewayPageLimit() > 0 ? faults.gatewayPageLimit() : Integer.MAX_VALUE);
        int after = arguments.get("after") == null ? -1 : position(arguments.get("after").toString());
        List<Integer> matches = new ArrayList<>();
        List<Inventory.Endpoint> all = inventory.endpoints();
        for (int i = after + 1; i < all.size(); i++) {
            Inventory.Endpoint endpoint = all.get(i);
            if ((!live || !faults.isOffline(endpoint.id())) && matches(endpoint, arguments.get("filter"))) {
                matches.add(i);
            }
        }
        List<Integer> page = matches.subList(0, Math.min(pageSize, matches.size()));
        for (int index = 0; index < page.size(); index++) {
            Inventory.Endpoint endpoint = all.get(page.get(index));
            ObjectNode edge = edges.addObject().put("cursor", cursor(page.get(index)));
            ObjectNode node = edge.putObject("node");
            node.put("name", endpoint.name()).put("id", endpoint.id()).put("computerID", endpoint.computerId())
                    .put("ipAddress", endpoint.ipAddress());
            node.putObject("os").put("platform", endpoint.platform());
            for (GraphQlDocument.Field field : sensorFields) {
                readSensors(node, alias, field, endpoint, index, errors);
            }
        }
        ObjectNode pageInfo = connection.putObject("pageInfo");
        pageInfo.put("hasNextPage", matches.size() > page.size());
        if (page.isEmpty()) {
            pageInfo.putNull("endCursor");
        } else {
            pageInfo.put("endCursor", cursor(page.get(page.size() - 1)));
        }
        return connection;
    }

    /** An opaque cursor, as the Gateway's are: here, the endpoint's place in the inventory. */
    private static String cursor(int position) {
        return Base64.getEncoder().encodeToString(("endpoint:" + position).getBytes(StandardCharsets.UTF_8));
    }

    private static int position(String cursor) {
        try {
            String decoded = new String(Base64.getDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (decoded.startsWith("endpoint:")) {
                return Integer.parseInt(decoded.substring("endpoint:".length()));
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new IllegalArgumentException("invalid cursor: " + cursor);
    }

    @SuppressWarnings("unchecked")
    private void readSensors(ObjectNode node, String connection, GraphQlDocument.Field field, Inventory.Endpoint endpoint, int index,
            ArrayNode errors) {
        Object sensors = field.arguments().get("sensors");
        if (!(sensors instanceof List<?> list)) {
            errors.addObject().put("message", "sensorReadings needs a sensors list");
            node.putNull(field.alias());
            return;
        }
        ArrayNode columns = node.putObject(field.alias()).putArray("columns");
        for (Object item : list) {
            Map<String, Object> sensor = (Map<String, Object>) item;
            String name = String.valueOf(sensor.get("name"));
            String problem = problem(name, (List<Object>) sensor.get("params"));
            if (problem != null) {
                ObjectNode error = errors.addObject().put("message", problem);
                error.putArray("path").add(connection).add("edges").add(index).add("node").add(field.alias());
                node.putNull(field.alias());
                return;
            }
            Inventory.SensorData data = endpoint.sensors().get(name);
            List<String> names = data == null ? List.of() : data.columns();
            for (int c = 0; c < names.size(); c++) {
                ObjectNode column = columns.addObject().put("name", names.get(c));
                ArrayNode values = column.putArray("values");
                for (List<String> row : data.rows()) {
                    values.add(c < row.size() ? row.get(c) : null);
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    private String problem(String sensor, List<Object> params) {
        if (!inventory.knowsSensor(sensor)) {
            return "Sensor not found: " + sensor;
        }
        for (Object p : params == null ? List.of() : params) {
            Map<String, Object> param = (Map<String, Object>) p;
            if ("HashType".equals(param.get("name")) && !HASH_TYPES.contains(String.valueOf(param.get("value")))) {
                return "Invalid value for parameter HashType: " + param.get("value");
            }
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private static boolean matches(Inventory.Endpoint endpoint, Object filter) {
        if (!(filter instanceof Map<?, ?> map)) {
            return true;
        }
        if (map.containsKey("filters")) {
            List<Object> filters = (List<Object>) map.get("filters");
            boolean any = Boolean.TRUE.equals(map.get("any"));
            List<Boolean> results = new ArrayList<>();
            for (Object f : filters) {
                results.add(matches(endpoint, f));
            }
            return any ? results.contains(true) : !results.contains(false);
        }
        Object op = map.get("op");
        if (op != null && !"EQ".equals(op)) {
            return false;
        }
        return endpoint.matches(String.valueOf(map.get("path")), (String) map.get("value"));
    }

    private ObjectNode errors(String message) {
        ObjectNode reply = mapper.createObjectNode();
        reply.putArray("errors").addObject().put("message", message);
        return reply;
    }
}
