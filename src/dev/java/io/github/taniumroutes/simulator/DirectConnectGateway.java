package io.github.taniumroutes.simulator;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.taniumroutes.simulator.DirectConnectControl.Generation;
import io.github.taniumroutes.simulator.DirectConnectControl.State;

/**
 * Direct Connect on the API Gateway's GraphQL endpoint, in both generations (state in
 * {@link DirectConnectControl}). Shapes and where they come from:
 * <ul>
 * <li>Seed 004 (Tanium's "Direct Endpoint Connect" how-to on developer.tanium.com): {@code openDirectConnection(input:
 * {endpointID}) {connectionID}}, {@code pingDirectConnection(input: {connectionID}) {result}},
 * {@code closeDirectConnection(input: {connectionID}) {result}}, {@code killProcess(input: {connectionID, name, pid, signal})
 * {result}}, and {@code directEndpoint(input: {endpointID})} with {@code performance {cpuUsagePercent}},
 * {@code processes {all {pid ppid name commandLine userName groupName memoryResidentBytes}}} and
 * {@code alerts {all {schema key type ref topProcessesExpr labels pendingAt start resolvedAt leadup value}}}.</li>
 * <li>Tanium's current reference (docs.tanium.com, "Reference: API Gateway examples for Direct Connect"):
 * {@code directConnectOpen(input: {endpointID}) {connectionID status}} with status READY, CONNECTING or UNKNOWN, and
 * the names {@code directConnectConnectionStatus}, {@code directConnectPing}, {@code directConnectClose},
 * {@code directConnectProcessTerminate}, {@code directConnectEndpoint}. Swimlane's public Tanium connector documents
 * {@code directConnectEndpoint} answering {@code processes {all {…}}} and {@code alerts {all {…}}} in seed 004's shapes.</li>
 * <li>No public source read gives the arguments of the current status, ping, close and terminate calls, nor what any
 * generation answers for a session that has closed: chosen here are seed 004's input objects ({@code connectionID}; for
 * the terminate, {@code connectionID, name, pid, signal}), {@code directConnectConnectionStatus {status}}, {@code result}
 * false from a ping while the session is still connecting, and a GraphQL error (HTTP 200, as the Gateway reports errors)
 * naming the connection for a session that is closed or unknown, and for a read of an endpoint without a ready session.
 * A kill of a pid that does not run, or runs under another name, answers {@code result: false}.</li>
 * </ul>
 */
final class DirectConnectGateway {

    private static final Map<String, Generation> FIELDS = Map.ofEntries(
            Map.entry("openDirectConnection", Generation.LEGACY), Map.entry("pingDirectConnection", Generation.LEGACY),
            Map.entry("closeDirectConnection", Generation.LEGACY), Map.entry("killProcess", Generation.LEGACY),
            Map.entry("directEndpoint", Generation.LEGACY),
            Map.entry("directConnectOpen", Generation.CURRENT), Map.entry("directConnectConnectionStatus", Generation.CURRENT),
            Map.entry("directConnectPing", Generation.CURRENT), Map.entry("directConnectClose", Generation.CURRENT),
            Map.entry("directConnectProcessTerminate", Generation.CURRENT), Map.entry("directConnectEndpoint", Generation.CURRENT));

    private final ObjectMapper mapper;
    private final DirectConnectControl state;

    DirectConnectGateway(ObjectMapper mapper, DirectConnectControl state) {
        this.mapper = mapper;
        this.state = state;
    }

    /** Whether the document asks for Direct Connect at all. */
    boolean serves(GraphQlDocument document) {
        return FIELDS.keySet().stream().anyMatch(name -> !document.fields(name).isEmpty());
    }

    /** The reply to every Direct Connect field of the document (data, and errors for those that failed). */
    ObjectNode handle(GraphQlDocument document) {
        ObjectNode reply = mapper.createObjectNode();
        ObjectNode data = reply.putObject("data");
        ArrayNode errors = mapper.createArrayNode();
        for (Map.Entry<String, Generation> known : FIELDS.entrySet()) {
            for (GraphQlDocument.Field field : document.fields(known.getKey())) {
                if (!state.serves(known.getValue())) {
                    // A server of the other generation does not know the name: the Gateway's validation error.
                    reply.remove("data");
                    reply.putNull("data");
                    errors.addObject().put("message", "Cannot query field \"" + field.name() + "\" on type \""
                            + (field.name().startsWith("direct") && field.name().endsWith("ndpoint") ? "Query" : "Mutation") + "\".");
                    reply.set("errors", errors);
                    return reply;
                }
                JsonNode answer;
                try {
                    answer = answer(field, document);
                } catch (Refusal refusal) {
                    ObjectNode error = errors.addObject().put("message", refusal.getMessage());
                    error.putArray("path").add(field.alias());
                    data.putNull(field.alias());
                    continue;
                }
                data.set(field.alias(), answer);
            }
        }
        if (!errors.isEmpty()) {
            reply.set("errors", errors);
        }
        return reply;
    }

    private JsonNode answer(GraphQlDocument.Field field, GraphQlDocument document) {
        Map<?, ?> input = field.arguments().get("input") instanceof Map<?, ?> map ? map : Map.of();
        return switch (field.name()) {
            case "openDirectConnection", "directConnectOpen" -> open(field.name(), text(input, "endpointID"));
            case "pingDirectConnection", "directConnectPing" -> result(ping(text(input, "connectionID")));
            case "directConnectConnectionStatus" -> status(text(input, "connectionID"));
            case "closeDirectConnection", "directConnectClose" -> result(close(text(input, "connectionID")));
            case "killProcess", "directConnectProcessTerminate" -> result(kill(input));
            case "directEndpoint", "directConnectEndpoint" -> endpoint(text(input, "endpointID"), document);
            default -> throw new Refusal("unknown field " + field.name());
        };
    }

    private JsonNode open(String name, String endpointId) {
        DirectConnectControl.Conn connection = state.open(endpointId);
        if (connection == null) {
            throw new Refusal("endpoint " + endpointId + " not found");
        }
        ObjectNode opened = mapper.createObjectNode().put("connectionID", connection.id);
        if ("directConnectOpen".equals(name)) {
            opened.put("status", state.use(connection.id) == State.READY ? "READY" : "CONNECTING");
        }
        return opened;
    }

    private boolean ping(String connectionId) {
        State now = state.ping(connectionId);
        if (now == State.CLOSED) {
            throw notOpen(connectionId);
        }
        return now == State.READY;
    }

    private JsonNode status(String connectionId) {
        State now = state.use(connectionId);
        if (now == State.CLOSED) {
            throw notOpen(connectionId);
        }
        return mapper.createObjectNode().put("status", now.name());
    }

    private boolean close(String connectionId) {
        if (state.endpointOf(connectionId) == null) {
            throw notOpen(connectionId);
        }
        return state.close(connectionId);
    }

    private boolean kill(Map<?, ?> input) {
        String connectionId = text(input, "connectionID");
        if (state.use(connectionId) != State.READY) {
            throw notOpen(connectionId);
        }
        return state.kill(connectionId, text(input, "pid"), text(input, "name"), text(input, "signal"));
    }

    private JsonNode endpoint(String endpointId, GraphQlDocument document) {
        if (state.readySession(endpointId) == null) {
            throw new Refusal("no open Direct Connect connection to endpoint " + endpointId);
        }
        ObjectNode endpoint = mapper.createObjectNode();
        if (document.mentions("performance")) {
            endpoint.set("performance", state.performance(endpointId));
        }
        if (document.mentions("processes")) {
            ArrayNode all = endpoint.putObject("processes").putArray("all");
            state.processes(endpointId).forEach(all::add);
        }
        if (document.mentions("alerts")) {
            endpoint.putObject("alerts").set("all", state.alerts(endpointId));
        }
        return endpoint;
    }

    private JsonNode result(boolean value) {
        return mapper.createObjectNode().put("result", value);
    }

    private static Refusal notOpen(String connectionId) {
        return new Refusal("Direct Connect connection " + connectionId + " is not open");
    }

    private static String text(Map<?, ?> input, String key) {
        Object value = input.get(key);
        return value == null ? null : value instanceof List<?> ? null : String.valueOf(value);
    }

    /** A field Tanium answers with an error (HTTP 200, in {@code errors}). */
    private static final class Refusal extends RuntimeException {
        Refusal(String message) {
            super(message, null, false, false);
        }
    }
}
