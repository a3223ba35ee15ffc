package io.github.taniumroutes.directconnect;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.taniumroutes.investigation.Investigation;
import io.github.taniumroutes.tanium.TaniumJson;
import io.github.taniumroutes.tanium.TaniumSettings;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/**
 * The Direct Connect requests, built from the GraphQL documents
 * {@code config/graphql/direct-connect-<generation>-<operation>.graphql}: one set per API generation
 * ({@code legacy}: seed 004's names; {@code current}: Tanium's current reference), chosen per Tanium
 * server by {@code tanium.servers.<name>.direct-connect-api}. The documents are the only place the
 * operations' names are written; every value (endpoint id, connection id, process name and pid) travels
 * as a variable. Each document must use the variables its operation is given, or the Gateway would refuse
 * it: checked at start-up.
 */
@Singleton
@Named("directConnectDocuments")
public class DirectConnectDocuments {

    public static final List<String> GENERATIONS = List.of("current", "legacy");
    /** Operation → the variables it is given. */
    static final Map<String, List<String>> OPERATIONS = operations();

    private final ObjectMapper mapper;
    private final TaniumSettings servers;
    /** generation → operation → document */
    private final Map<String, Map<String, String>> documents;

    @Inject
    public DirectConnectDocuments(ObjectMapper mapper, TaniumSettings servers, @ConfigProperty(name = "tanium.graphql.dir") String documentDir) {
        this(mapper, servers, read(Path.of(documentDir)));
    }

    public DirectConnectDocuments(ObjectMapper mapper, TaniumSettings servers, Map<String, Map<String, String>> documents) {
        this.mapper = mapper;
        this.servers = servers;
        this.documents = documents;
        documents.forEach((generation, byOperation) -> OPERATIONS.forEach((operation, variables) -> {
            String document = byOperation.get(operation);
            if (document == null) {
                throw new IllegalArgumentException("no Direct Connect document " + fileName(generation, operation));
            }
            for (String variable : variables) {
                if (!document.contains("$" + variable)) {
                    throw new IllegalArgumentException(fileName(generation, operation) + " must use the variable $" + variable);
                }
            }
        }));
        servers.servers().forEach((name, server) -> generation(name));
    }

    /** The API generation server {@code server} speaks. */
    public String generation(String server) {
        TaniumSettings.Server settings = servers.servers().get(server);
        String generation = settings == null ? "current" : settings.directConnectApi().strip().toLowerCase(Locale.ROOT);
        if (!GENERATIONS.contains(generation)) {
            throw new IllegalArgumentException("tanium.servers." + server + ".direct-connect-api must be one of " + GENERATIONS + ", was "
                    + (settings == null ? null : settings.directConnectApi()));
        }
        return generation;
    }

    /** Opens a session to the investigation's endpoint (its Gateway endpoint id). */
    public String open(Investigation investigation) {
        return request(investigation.getServer(), "open", Map.of("endpointID", investigation.getTarget().endpointId()));
    }

    /** Whether the session is up (current: its status; legacy: a ping's result). */
    public String status(Investigation investigation, String connectionId) {
        return request(investigation.getServer(), "status", Map.of("connectionID", connectionId));
    }

    /** Keeps the session on {@code server} open. */
    public String ping(String server, String connectionId) {
        return request(server, "ping", Map.of("connectionID", connectionId));
    }

    public String close(Investigation investigation, String connectionId) {
        return request(investigation.getServer(), "close", Map.of("connectionID", connectionId));
    }

    /** One triage read of the endpoint over its session: {@code performance}, {@code processes} or {@code alerts}. */
    public String read(Investigation investigation, String item) {
        if (!DirectConnectFlow.TRIAGE.contains(item)) {
            throw new IllegalArgumentException("unknown triage item " + item);
        }
        return request(investigation.getServer(), item, Map.of("endpointID", investigation.getTarget().endpointId()));
    }

    /** Kills the process (name and pid) over the session. */
    public String kill(Investigation investigation, String connectionId, ProcessGuard.KillTarget target) {
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put("connectionID", connectionId);
        variables.put("name", target.name());
        variables.put("pid", target.pid());
        return request(investigation.getServer(), "kill", variables);
    }

    /** The request as the API Gateway takes it: {@code {"query": document, "variables": {...}}}. */
    String request(String server, String operation, Map<String, ?> variables) {
        ObjectNode body = mapper.createObjectNode().put("query", documents.get(generation(server)).get(operation));
        body.set("variables", mapper.valueToTree(variables));
        return TaniumJson.write(mapper, body);
    }

    static String fileName(String generation, String operation) {
        return "direct-connect-" + generation + "-" + operation + ".graphql";
    }

    private static Map<String, Map<String, String>> read(Path dir) {
        Map<String, Map<String, String>> all = new LinkedHashMap<>();
        for (String generation : GENERATIONS) {
            Map<String, String> byOperation = new LinkedHashMap<>();
            for (String operation : OPERATIONS.keySet()) {
                Path file = dir.resolve(fileName(generation, operation));
                try {
                    byOperation.put(operation, Files.readString(file));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read Direct Connect document " + file.toAbsolutePath(), e);
                }
            }
            all.put(generation, byOperation);
        }
        return all;
    }

    private static Map<String, List<String>> operations() {
        Map<String, List<String>> operations = new LinkedHashMap<>();
        operations.put("open", List.of("endpointID"));
        operations.put("status", List.of("connectionID"));
        operations.put("ping", List.of("connectionID"));
        operations.put("close", List.of("connectionID"));
        operations.put("performance", List.of("endpointID"));
        operations.put("processes", List.of("endpointID"));
        operations.put("alerts", List.of("endpointID"));
        operations.put("kill", List.of("connectionID", "name", "pid"));
        return java.util.Collections.unmodifiableMap(operations);
    }
}
