package io.github.taniumroutes.simulator;

import java.util.ArrayList;
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
        List<GraphQlDocument.Field> endpointFields;
        List<GraphQlDocument.Field> sensorFields;
        GraphQlDocument parsed;
        try {
            parsed = GraphQlDocument.parse(document, variables);
            endpointFields = parsed.fields("endpoints");
            sensorFields = parsed.fields("sensorReadings");
        } catch (GraphQlDocument.SyntaxError e) {
            return Reply.json(400, errors("Syntax Error: " + e.getMessage()));
        }
        if (faults.graphqlFailure()) {
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
        return Reply.json(200, endpoints(endpointFields.get(0).arguments(), sensorFields));
    }

    private ObjectNode endpoints(Map<String, Object> arguments, List<GraphQlDocument.Field> sensorFields) {
        ObjectNode reply = mapper.createObjectNode();
        ArrayNode errors = mapper.createArrayNode();
        ArrayNode edges = reply.putObject("data").putObject("endpoints").putArray("edges");
        int first = arguments.get("first") == null ? Integer.MAX_VALUE : Integer.parseInt(arguments.get("first").toString());
        List<Inventory.Endpoint> matches = inventory.endpoints().stream()
                .filter(e -> matches(e, arguments.get("filter"))).limit(first).toList();
        for (int index = 0; index < matches.size(); index++) {
            Inventory.Endpoint endpoint = matches.get(index);
            ObjectNode node = edges.addObject().putObject("node");
            node.put("name", endpoint.name()).put("id", endpoint.id()).put("computerID", endpoint.computerId())
                    .put("ipAddress", endpoint.ipAddress());
            node.putObject("os").put("platform", endpoint.platform());
            for (GraphQlDocument.Field field : sensorFields) {
                readSensors(node, field, endpoint, index, errors);
            }
        }
        ObjectNode pageInfo = ((ObjectNode) reply.path("data").path("endpoints")).putObject("pageInfo");
        pageInfo.put("hasNextPage", false).putNull("endCursor");
        if (!errors.isEmpty()) {
            reply.set("errors", errors);
        }
        return reply;
    }

    @SuppressWarnings("unchecked")
    private void readSensors(ObjectNode node, GraphQlDocument.Field field, Inventory.Endpoint endpoint, int index, ArrayNode errors) {
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
                error.putArray("path").add("endpoints").add("edges").add(index).add("node").add(field.alias());
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
