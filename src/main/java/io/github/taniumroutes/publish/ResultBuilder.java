package io.github.taniumroutes.publish;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.taniumroutes.investigation.Investigation;
import io.github.taniumroutes.investigation.InvestigationRequest;
import io.github.taniumroutes.investigation.Target;

import io.github.taniumroutes.alert.CanonicalAlert;
import io.github.taniumroutes.policy.Decision;
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
    private final OutcomeBudget budget;
    private final ResultTrimmer trimmer;

    /** With the default budget (outcomes.max-bytes 921600), for tests. */
    public ResultBuilder(ObjectMapper mapper) {
        this(mapper, new OutcomeBudget(921_600, 65_536, 1_048_576));
    }

    @Inject
    public ResultBuilder(ObjectMapper mapper, OutcomeBudget budget) {
        this.mapper = mapper;
        this.budget = budget;
        this.trimmer = new ResultTrimmer(mapper);
    }

    public String enrichmentResult(@Variable("alert") CanonicalAlert alert,
            @Variable("taniumServer") String taniumServer,
            @Variable("outcome") String outcome,
            @Variable("reason") String reason,
            @Variable("endpoints") List<TaniumEndpoint> endpoints,
            @Variable("sensorReadings") Map<String, SensorRows> sensorReadings,
            @Variable("taniumCalls") Integer taniumCalls,
            @Variable("receivedAt") Long receivedAt,
            @Variable("enrichStartedAt") Long enrichStartedAt,
            @Variable("decision") Decision decision) {
        long now = System.currentTimeMillis();
        boolean ambiguous = endpoints != null && endpoints.size() > 1;
        Timings timings = new Timings(alert.time(),
                Instant.ofEpochMilli(receivedAt).toString(),
                Instant.ofEpochMilli(now).toString(),
                enrichStartedAt == null ? 0 : now - enrichStartedAt,
                now - receivedAt,
                alert.time() == null ? null : Duration.between(Instant.parse(alert.time()), Instant.ofEpochMilli(now)).toMillis());
        Result result = new Result(SCHEMA_VERSION, ResultIds.of(alert.id(), STEP), alert.id(), STEP, outcome, taniumServer,
                reason, theEndpoint(endpoints), ambiguous ? endpoints : null, sensorReadings,
                taniumCalls == null ? 0 : taniumCalls, timings, decision, alert);
        return withinBudget(result);
    }

    /** The result document, in the order of config/schemas/result.schema.json; absent parts are left out. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Result(int schemaVersion, String resultId, String alertId, String step, String outcome, String taniumServer,
            String reason, TaniumEndpoint endpoint, List<TaniumEndpoint> candidates, Map<String, SensorRows> sensors,
            int taniumCalls, Timings timings, Decision decision, CanonicalAlert alert) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Timings(String alertTime, String receivedAt, String publishedAt, long enrichMs, long pipelineMs, Long alertAgeMs) {
    }

    /**
     * The audit record of a decision that involves remediation (else null): the decision with its
     * policy version, rule and each step's dry-run reason, the alert id and the endpoint.
     */
    public String auditRecord(@Variable("alert") CanonicalAlert alert, @Variable("decision") Decision decision,
            @Variable("endpoints") List<TaniumEndpoint> endpoints) {
        if (decision == null || !decision.hasRemediation()) {
            return null;
        }
        Audit audit = new Audit(SCHEMA_VERSION, ResultIds.of(alert.id(), "audit"), alert.id(), Instant.now().toString(),
                theEndpoint(endpoints), decision);
        return json(audit);
    }

    /**
     * The result of a finished investigation (config/schemas/investigation-result.schema.json): its
     * outcome, the Tanium ids it used (named as seed 000's workflow outputs: connectionId,
     * snapshotTaskId), what the snapshot task reported, how often it polled and how long it took.
     */
    public String investigationResult(Investigation investigation) {
        InvestigationRequest request = investigation.getRequest();
        Target target = request.target();
        long finishedAt = investigation.getFinishedAt() == null ? System.currentTimeMillis() : investigation.getFinishedAt();
        InvestigationResult result = new InvestigationResult(SCHEMA_VERSION, ResultIds.of(request.alertId(), request.type()),
                request.alertId(), request.type(), investigation.getOutcome(), request.server(), investigation.getReason(),
                request.investigationId(), new TaniumEndpoint(target.resultKey(), target.hostname(), target.ip(), target.platform(), target.clientId()),
                investigation.getConnectionId(), investigation.getSnapshotTaskId(), investigation.getSnapshot(),
                new Polls(investigation.getConnectionPolls(), investigation.getTaskPolls()), investigation.getTaniumCalls(),
                new InvestigationTimings(Instant.ofEpochMilli(investigation.getAcceptedAt()).toString(),
                        investigation.getConnectedAt() == null ? null : Instant.ofEpochMilli(investigation.getConnectedAt()).toString(),
                        Instant.ofEpochMilli(finishedAt).toString(), finishedAt - investigation.getAcceptedAt()),
                request.rule(), request.policyVersion());
        return withinBudget(result);
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record InvestigationResult(int schemaVersion, String resultId, String alertId, String step, String outcome,
            String taniumServer, String reason, String investigationId, TaniumEndpoint endpoint, String connectionId,
            String snapshotTaskId, JsonNode snapshot, Polls polls, int taniumCalls, InvestigationTimings timings, String rule,
            String policyVersion) {
    }

    record Polls(int connection, int task) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record InvestigationTimings(String acceptedAt, String connectedAt, String finishedAt, long durationMs) {
    }

    /** The endpoint, when the lookup found exactly one. */
    private static TaniumEndpoint theEndpoint(List<TaniumEndpoint> endpoints) {
        return endpoints != null && endpoints.size() == 1 ? endpoints.get(0) : null;
    }

    /** The result as JSON within the value budget (outcomes.max-bytes less room for key and headers); see {@link ResultTrimmer}. */
    private String withinBudget(Object result) {
        try {
            byte[] json = mapper.writeValueAsBytes(result);
            if (json.length <= budget.valueBytes()) {
                return new String(json, StandardCharsets.UTF_8);
            }
            return trimmer.fit(mapper.valueToTree(result), budget.valueBytes());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + result.getClass().getSimpleName(), e);
        }
    }

    private String json(Object document) {
        try {
            return mapper.writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + document.getClass().getSimpleName(), e);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Audit(int schemaVersion, String auditId, String alertId, String decidedAt, TaniumEndpoint endpoint, Decision decision) {
    }

    /** Results are keyed by endpoint so one endpoint's events stay in order; before lookup, by host identity. */
    public byte[] resultKey(@Variable("alert") CanonicalAlert alert, @Variable("endpoints") List<TaniumEndpoint> endpoints) {
        TaniumEndpoint endpoint = theEndpoint(endpoints);
        String key;
        if (endpoint != null && endpoint.id() != null) {
            key = endpoint.id();
        } else {
            key = alert.hostIdentity() != null ? alert.hostIdentity() : alert.taniumEndpointId();
        }
        return key.getBytes(StandardCharsets.UTF_8);
    }
}
