package io.github.taniumroutes.investigation;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One long step of an investigation's plan, as the policy decided it: its type, parameters, and whether
 * the plan goes on after it fails. A remediation step also carries the decision's {@code dryRun} and
 * its reason ({@code why}); a remediation step without them (a request written before they existed)
 * is a dry run.
 */
@JsonInclude(JsonInclude.Include.NON_DEFAULT)
@JsonIgnoreProperties(ignoreUnknown = true)
public record PlanStep(String type, Map<String, Object> parameters, boolean continueOnFailure,
        // NON_DEFAULT would drop a false (live) dryRun, and a missing one reads as a dry run.
        @JsonInclude(JsonInclude.Include.NON_NULL) Boolean dryRun, String why) {

    public PlanStep(String type, Map<String, Object> parameters, boolean continueOnFailure) {
        this(type, parameters, continueOnFailure, null, null);
    }

    public PlanStep {
        parameters = parameters == null ? Map.of() : parameters;
    }
}
