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
 * type is configuration from a closed set and is written as a literal too.
 */
@Singleton
@Named("gatewayQueries")
public class GatewayQueries {

    /** Marks where the aliased sensorReadings fields go; a GraphQL comment, so the document stays valid as written. */
    static final String SENSOR_READINGS_MARKER = "#SENSOR_READINGS#";
    private static final Set<String> HASH_TYPES = Set.of("MD5", "SHA1", "SHA256");

    private final ObjectMapper mapper;
    private final String endpointLookup;
    private final String sensorReadingsTemplate;
    private final List<SensorRequest> sensors;
    private final String hashType;

    @Inject
    public GatewayQueries(ObjectMapper mapper,
            @ConfigProperty(name = "tanium.graphql.dir") String documentDir,
            @ConfigProperty(name = "tanium.enrich.sensors") List<String> sensorNames,
            @ConfigProperty(name = "tanium.enrich.hash-type") String hashType) {
        this(mapper, read(Path.of(documentDir, "endpoint-lookup.graphql")),
                read(Path.of(documentDir, "sensor-readings.graphql")), sensorNames, hashType);
    }

    GatewayQueries(ObjectMapper mapper, String endpointLookup, String sensorReadingsTemplate,
            List<String> sensorNames, String hashType) {
        this.mapper = mapper;
        this.endpointLookup = endpointLookup;
        this.sensorReadingsTemplate = sensorReadingsTemplate;
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
        StringBuilder fields = new StringBuilder();
        for (int i = 0; i < sensors.size(); i++) {
            fields.append(sensorField(i, sensors.get(i), alert)).append('\n');
        }
        String document = sensorReadingsTemplate.replace(SENSOR_READINGS_MARKER, fields.toString().strip());
        ObjectNode variables = mapper.createObjectNode()
                .put("hostname", endpoint.name())
                .put("id", endpoint.id());
        return request(document, variables);
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
