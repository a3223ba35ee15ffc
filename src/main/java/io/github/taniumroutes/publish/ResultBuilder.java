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
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.taniumroutes.investigation.Investigation;
import io.github.taniumroutes.investigation.InvestigationRequest;
import io.github.taniumroutes.investigation.StepState;
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
@Named("resultBuilder")
public class ResultBuilder {

    public static final int SCHEMA_VERSION = 1;
    /** Step results: schema 2 since results are per step (stepNumber, polls by counter, startedAt). */
    public static final int STEP_RESULT_SCHEMA_VERSION = 2;
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
            @Variable("readingsTakenAt") Long readingsTakenAt,
            @Variable("readingsShared") Boolean readingsShared,
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
                sensorReadings == null || readingsTakenAt == null ? null
                        : new Readings(Instant.ofEpochMilli(readingsTakenAt).toString(), Boolean.TRUE.equals(readingsShared)),
                taniumCalls == null ? 0 : taniumCalls, timings, decision, alert);
        return withinBudget(result);
    }

    /** The result document, in the order of config/schemas/result.schema.json; absent parts are left out. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Result(int schemaVersion, String resultId, String alertId, String step, String outcome, String taniumServer,
            String reason, TaniumEndpoint endpoint, List<TaniumEndpoint> candidates, Map<String, SensorRows> sensors,
            Readings readings, int taniumCalls, Timings timings, Decision decision, CanonicalAlert alert) {
    }

    /** When the sensor readings were answered, and whether another alert's read about the same endpoint answered them. */
    record Readings(String takenAt, boolean shared) {
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
     * The result of one ended step of an investigation (config/schemas/investigation-result.schema.json,
     * and per step type config/schemas/<type>-result.schema.json): its outcome and reason, the step's
     * journaled state (its Tanium ids, as the flow named them: connectionId, snapshotTaskId ...) and
     * what it reported (the snapshot ...), its polls, Tanium calls and timings. The result id comes
     * from the alert id and the step's position and type, so a step's result published twice has one id.
     */
    public String stepResult(Investigation investigation) {
        InvestigationRequest request = investigation.getRequest();
        Target target = request.target();
        StepState step = investigation.current();
        String type = step.getType();
        int number = investigation.getStepNumber();
        long finishedAt = step.getFinishedAt() == null ? System.currentTimeMillis() : step.getFinishedAt();
        ObjectNode result = mapper.createObjectNode();
        result.put("schemaVersion", STEP_RESULT_SCHEMA_VERSION);
        result.put("resultId", ResultIds.of(request.alertId(), "step " + number + " " + type));
        result.put("alertId", request.alertId());
        result.put("step", type);
        result.put("stepNumber", number);
        result.put("planSteps", investigation.getSteps().size());
        result.put("outcome", step.getOutcome());
        result.put("taniumServer", request.server());
        if (step.getReason() != null) {
            result.put("reason", step.getReason());
        }
        result.put("investigationId", request.investigationId());
        result.set("endpoint", mapper.valueToTree(new TaniumEndpoint(target.resultKey(), target.hostname(), target.ip(), target.platform(),
                target.clientId())));
        step.getState().forEach(result::put);
        step.getDetails().forEach((field, value) -> result.set(field, mapper.valueToTree(value)));
        result.set("polls", mapper.valueToTree(step.getPolls()));
        result.put("taniumCalls", step.getTaniumCalls());
        ObjectNode timings = result.putObject("timings");
        timings.put("acceptedAt", Instant.ofEpochMilli(investigation.getAcceptedAt()).toString());
        if (step.getStartedAt() != null) {
            timings.put("startedAt", Instant.ofEpochMilli(step.getStartedAt()).toString());
        }
        timings.put("finishedAt", Instant.ofEpochMilli(finishedAt).toString());
        timings.put("durationMs", finishedAt - (step.getStartedAt() == null ? finishedAt : step.getStartedAt()));
        if (request.rule() != null) {
            result.put("rule", request.rule());
        }
        if (request.policyVersion() != null) {
            result.put("policyVersion", request.policyVersion());
        }
        return withinBudget(result);
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
