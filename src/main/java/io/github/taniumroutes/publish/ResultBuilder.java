package io.github.taniumroutes.publish;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.taniumroutes.alert.CanonicalAlert;
import io.github.taniumroutes.tanium.SensorRows;
import io.github.taniumroutes.tanium.TaniumEndpoint;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.apache.camel.Variable;

/**
 * Writes the result message of the enrichment step (schema: config/schemas/result.schema.json).
 * The route fills the variables named below as it goes; this only turns them into JSON.
 */
@Singleton
@Named("results")
public class ResultBuilder {

    public static final int SCHEMA_VERSION = 1;
    static final String STEP = "enrich";

    private final ObjectMapper mapper;

    @Inject
    public ResultBuilder(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public String enrichmentResult(@Variable("alert") CanonicalAlert alert,
            @Variable("taniumServer") String taniumServer,
            @Variable("outcome") String outcome,
            @Variable("reason") String reason,
            @Variable("endpoints") List<TaniumEndpoint> endpoints,
            @Variable("sensorReadings") Map<String, SensorRows> sensorReadings,
            @Variable("taniumCalls") Integer taniumCalls,
            @Variable("receivedAt") Long receivedAt,
            @Variable("enrichStartedAt") Long enrichStartedAt) {
        long now = System.currentTimeMillis();
        ObjectNode result = mapper.createObjectNode()
                .put("schemaVersion", SCHEMA_VERSION)
                .put("resultId", ResultIds.of(alert.id(), STEP))
                .put("alertId", alert.id())
                .put("step", STEP)
                .put("outcome", outcome)
                .put("taniumServer", taniumServer);
        if (reason != null) {
            result.put("reason", reason);
        }
        if (endpoints != null && endpoints.size() == 1) {
            result.set("endpoint", mapper.valueToTree(endpoints.get(0)));
        } else if (endpoints != null && endpoints.size() > 1) {
            result.set("candidates", mapper.valueToTree(endpoints));
        }
        if (sensorReadings != null) {
            result.set("sensors", mapper.valueToTree(sensorReadings));
        }
        result.put("taniumCalls", taniumCalls == null ? 0 : taniumCalls);
        ObjectNode timings = result.putObject("timings");
        if (alert.time() != null) {
            timings.put("alertTime", alert.time());
        }
        timings.put("receivedAt", Instant.ofEpochMilli(receivedAt).toString())
                .put("publishedAt", Instant.ofEpochMilli(now).toString())
                .put("enrichMs", enrichStartedAt == null ? 0 : now - enrichStartedAt)
                .put("pipelineMs", now - receivedAt);
        if (alert.time() != null) {
            timings.put("alertAgeMs", Duration.between(Instant.parse(alert.time()), Instant.ofEpochMilli(now)).toMillis());
        }
        result.set("alert", mapper.valueToTree(alert));
        try {
            return mapper.writeValueAsString(result);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a result", e);
        }
    }

    /** Results are keyed by endpoint so one endpoint's events stay in order; before lookup, by host identity. */
    public byte[] resultKey(@Variable("alert") CanonicalAlert alert, @Variable("endpoints") List<TaniumEndpoint> endpoints) {
        String key;
        if (endpoints != null && endpoints.size() == 1 && endpoints.get(0).id() != null) {
            key = endpoints.get(0).id();
        } else {
            key = alert.hostIdentity() != null ? alert.hostIdentity() : alert.taniumEndpointId();
        }
        return key.getBytes(StandardCharsets.UTF_8);
    }
}
