package io.github.taniumroutes.investigation;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What the intake hands over for long work, on the investigations topic keyed by endpoint: which
 * alert, which Tanium server and endpoint, and the plan: the rule's long steps, in its order.
 *
 * <p>Schema 1 (release 0.1) named a single step in {@code type} and no plan; {@link #steps()} reads
 * it as a plan of that one step.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record InvestigationRequest(int schemaVersion, String investigationId, String alertId, String server, Target target,
        String rule, String policyVersion, String requestedAt, List<PlanStep> plan, String type) {

    public static final int SCHEMA_VERSION = 2;

    public static InvestigationRequest of(String investigationId, String alertId, String server, Target target, String rule,
            String policyVersion, String requestedAt, List<PlanStep> plan) {
        return new InvestigationRequest(SCHEMA_VERSION, investigationId, alertId, server, target, rule, policyVersion, requestedAt,
                List.copyOf(plan), null);
    }

    /** The plan; for a schema 1 request, its one step. */
    public List<PlanStep> steps() {
        if (plan != null && !plan.isEmpty()) {
            return plan;
        }
        return type == null ? List.of() : List.of(new PlanStep(type, null, false));
    }
}
