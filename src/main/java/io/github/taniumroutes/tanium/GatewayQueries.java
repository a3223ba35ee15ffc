package io.github.taniumroutes.tanium;

import org.apache.camel.Variable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.taniumroutes.alert.CanonicalAlert;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Builds the Gateway GraphQL request bodies from the documents in {@code config/graphql}. Alert
 * values only ever travel as variables, except the one parameter the Gateway cannot take as a
 * variable (Network Details' HOSTORIP), which is written as an escaped string literal. The hash
 * type is configuration from a closed set and is written as a literal too. A batch's requests for many
 * hosts or endpoints ({@link #endpointLookups}, {@link #sensorReadingsOfMany}) follow the same rules:
 * their variable names are numbered by this class, their values are the alerts' and the Gateway's.
 */
@Singleton
@Named("gatewayQueries")
public class GatewayQueries {

    /** Marks where the aliased sensorReadings fields go; a GraphQL comment, so the document stays valid as written. */
    static final String SENSOR_READINGS_MARKER = "#SENSOR_READINGS#";
    static final String MORE_VARIABLES_MARKER = "#MORE_VARIABLES#";
    static final String MORE_FILTERS_MARKER = "#MORE_FILTERS#";
    static final String READ_MARKER = "#READ#";
    static final String MORE_IDS_MARKER = "#MORE_IDS#";
    /** Matches asked per host of a batched lookup, as the single lookup asks ({@code first: 10}): more than one is ambiguous anyway. */
    static final int MATCHES_PER_HOST = 10;
    private static final Set<String> HASH_TYPES = Set.of("MD5", "SHA1", "SHA256");

    private final ObjectMapper mapper;
    private final String endpointLookup;
    private final String sensorReadingsTemplate;
    private final String endpointLookupsTemplate;
    /** The field of one read of sensor-readings-of-many.graphql (between its #READ# lines). */
    private final String readFieldTemplate;
    private final List<SensorRequest> sensors;
    private final String hashType;

    @Inject
    public GatewayQueries(ObjectMapper mapper,
            @ConfigProperty(name = "tanium.graphql.dir") String documentDir,
            @ConfigProperty(name = "tanium.enrich.sensors") List<String> sensorNames,
            @ConfigProperty(name = "tanium.enrich.hash-type") String hashType) {
        this(mapper, read(Path.of(documentDir, "endpoint-lookup.graphql")),
                read(Path.of(documentDir, "sensor-readings.graphql")), read(Path.of(documentDir, "endpoint-lookups.graphql")),
                read(Path.of(documentDir, "sensor-readings-of-many.graphql")), sensorNames, hashType);
    }

    GatewayQueries(ObjectMapper mapper, String endpointLookup, String sensorReadingsTemplate, String endpointLookupsTemplate,
            String sensorReadingsOfManyTemplate, List<String> sensorNames, String hashType) {
        this.mapper = mapper;
        this.endpointLookup = endpointLookup;
        this.sensorReadingsTemplate = sensorReadingsTemplate;
        this.endpointLookupsTemplate = endpointLookupsTemplate;
        String[] parts = sensorReadingsOfManyTemplate.split(READ_MARKER, -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("sensor-readings-of-many.graphql must hold one field between two " + READ_MARKER + " lines");
        }
        this.readFieldTemplate = parts[1];
        for (String marker : List.of(MORE_VARIABLES_MARKER, MORE_FILTERS_MARKER)) {
            if (!endpointLookupsTemplate.contains(marker)) {
                throw new IllegalArgumentException("endpoint-lookups.graphql must contain the line " + marker);
            }
        }
        for (String part : List.of("read0:", "$first0", "$after0", "$id0", MORE_IDS_MARKER, SENSOR_READINGS_MARKER)) {
            if (!readFieldTemplate.contains(part)) {
                throw new IllegalArgumentException("the field of sensor-readings-of-many.graphql must contain " + part);
            }
        }
        this.sensors = sensorNames.stream().filter(n -> !n.isBlank()).map(SensorRequest::named).toList();
        this.hashType = hashType.strip().toUpperCase(Locale.ROOT);
        if (!HASH_TYPES.contains(this.hashType)) {
            throw new IllegalArgumentException("tanium.enrich.hash-type must be one of " + HASH_TYPES + ", was " + hashType);
        }
        if (!sensorReadingsTemplate.contains(SENSOR_READINGS_MARKER)) {
            throw new IllegalArgumentException("sensor-readings.graphql must contain the line " + SENSOR_READINGS_MARKER);
        }
    }

    public List<SensorRequest> sensors() {
        return sensors;
    }

    /** The sensors to read for one alert: the policy rule's override when it has one, else the configured ones. */
    public List<SensorRequest> sensorsFor(@Variable("sensorOverride") List<String> override) {
        return override == null || override.isEmpty()
                ? sensors
                : override.stream().filter(n -> !n.isBlank()).map(SensorRequest::named).toList();
    }

    /** Finds the alert's endpoint in the Tanium Data Service: by Tanium id if the alert has one, else hostname, else IP. */
    public String endpointLookup(@Variable("alert") CanonicalAlert alert) {
        EndpointLookup lookup = EndpointLookup.of(alert);
        return request(endpointLookup, mapper.createObjectNode().put("path", lookup.path()).put("value", lookup.value()));
    }

    /** One live read of every configured sensor, each as an aliased field ({@code sensor0}, {@code sensor1} …). */
    public String sensorReadings(CanonicalAlert alert, TaniumEndpoint endpoint) {
        return sensorReadingsFor(alert, endpoint, sensors);
    }

    /** One live read of {@code sensors} for the endpoint (the route passes the alert's sensor list). */
    public String sensorReadingsFor(@Variable("alert") CanonicalAlert alert, @Variable("endpoint") TaniumEndpoint endpoint,
            @Variable("sensors") List<SensorRequest> sensors) {
        String document = sensorReadingsTemplate.replace(SENSOR_READINGS_MARKER, sensorFields(alert, sensors));
        ObjectNode variables = mapper.createObjectNode()
                .put("hostname", endpoint.name())
                .put("id", endpoint.id());
        return request(document, variables);
    }

    /** The aliased sensorReadings fields of one alert's read, as its request writes them: two alerts whose fields are equal need the same read. */
    String sensorFields(CanonicalAlert alert, List<SensorRequest> sensors) {
        StringBuilder fields = new StringBuilder();
        for (int i = 0; i < sensors.size(); i++) {
            fields.append(sensorField(i, sensors.get(i), alert)).append('\n');
        }
        return fields.toString().strip();
    }

    /**
     * One Data Service lookup of every host of the chunk (the page after {@code chunk.after()}): one
     * filter per host, any of them matching, each host's path and value as variables.
     */
    public String endpointLookups(@Variable("lookupChunk") LookupChunk chunk) {
        List<LookupChunk.Host> hosts = chunk.hosts();
        StringBuilder moreVariables = new StringBuilder();
        StringBuilder moreFilters = new StringBuilder();
        ObjectNode variables = mapper.createObjectNode().put("first", hosts.size() * MATCHES_PER_HOST);
        putCursor(variables, "after", chunk.after());
        for (int i = 0; i < hosts.size(); i++) {
            if (i > 0) {
                moreVariables.append(", $path").append(i).append(": String, $value").append(i).append(": String");
                moreFilters.append(", {path: $path").append(i).append(", op: EQ, value: $value").append(i).append('}');
            }
            variables.put("path" + i, hosts.get(i).lookup().path()).put("value" + i, hosts.get(i).lookup().value());
        }
        String document = endpointLookupsTemplate.replace(MORE_VARIABLES_MARKER, moreVariables.toString())
                .replace(MORE_FILTERS_MARKER, moreFilters.toString());
        return request(document, variables);
    }

    /**
     * One request of the chunk's live reads: a field per group of endpoints that need the same read
     * (only the groups with a page still to ask), each filtered on its endpoints' ids, which travel
     * as variables; the sensor fields are those of the endpoints' own reads.
     */
    public String sensorReadingsOfMany(@Variable("readChunk") ReadChunk chunk) {
        StringBuilder definitions = new StringBuilder();
        StringBuilder fields = new StringBuilder();
        ObjectNode variables = mapper.createObjectNode();
        int id = 0;
        for (ReadChunk.Group group : chunk.groupsToAsk()) {
            String n = group.alias().substring("read".length());
            List<ReadChunk.Read> reads = group.reads();
            definitions.append(definitions.length() == 0 ? "" : ", ").append("$first").append(n).append(": Int, $after").append(n).append(": Cursor");
            variables.put("first" + n, reads.size());
            putCursor(variables, "after" + n, group.after());
            StringBuilder moreIds = new StringBuilder();
            int firstId = id;
            for (ReadChunk.Read read : reads) {
                definitions.append(", $id").append(id).append(": String");
                variables.put("id" + id, read.endpoint().id());
                if (id > firstId) {
                    moreIds.append(", {path: \"id\", op: EQ, value: $id").append(id).append('}');
                }
                id++;
            }
            // The template's own names first; the sensor fields (which may hold an alert's HOSTORIP literal) last.
            fields.append(readFieldTemplate.replace("$id0}", "$id" + firstId + "}")
                    .replace("read0:", group.alias() + ":")
                    .replace("$first0", "$first" + n)
                    .replace("$after0", "$after" + n)
                    .replace(MORE_IDS_MARKER, moreIds.toString())
                    .replace(SENSOR_READINGS_MARKER, group.fields()));
        }
        return request("query SensorReadingsOfMany(" + definitions + ") {" + fields + "}\n", variables);
    }

    private static void putCursor(ObjectNode variables, String name, String cursor) {
        if (cursor == null) {
            variables.putNull(name);
        } else {
            variables.put(name, cursor);
        }
    }

    /** The alias under which sensor {@code index}'s columns come back. */
    public static String alias(int index) {
        return "sensor" + index;
    }

    private String sensorField(int index, SensorRequest sensor, CanonicalAlert alert) {
        StringBuilder params = new StringBuilder();
        if (sensor.takesHostOrIp()) {
            String hostOrIp = alert.hostIdentity() == null ? "" : alert.hostIdentity();
            params.append("{name: \"HOSTORIP\", value: ").append(GraphQlLiteral.quote(hostOrIp)).append("}");
        }
        if (sensor.takesHashType()) {
            // A literal from a closed set (checked at start-up), not a variable: a declared variable that
            // no sensor uses would make the whole document invalid (GraphQL spec, "All Variables Used").
            params.append(params.length() > 0 ? ", " : "").append("{name: \"HashType\", value: ")
                    .append(GraphQlLiteral.quote(hashType)).append("}");
        }
        String paramList = params.length() == 0 ? "" : ", params: [" + params + "]";
        return alias(index) + ": sensorReadings(sensors: [{name: " + GraphQlLiteral.quote(sensor.name()) + paramList
                + "}]) { columns { name values } }";
    }

    private String request(String query, ObjectNode variables) {
        ObjectNode body = mapper.createObjectNode().put("query", query);
        body.set("variables", variables);
        try {
            return mapper.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a GraphQL request", e);
        }
    }

    private static String read(Path document) {
        try {
            return Files.readString(document);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read GraphQL document " + document.toAbsolutePath(), e);
        }
    }
}
