package io.github.taniumroutes.investigation;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** One long step of an investigation's plan, as the policy decided it: its type, parameters, and whether the plan goes on after it fails. */
@JsonInclude(JsonInclude.Include.NON_DEFAULT)
@JsonIgnoreProperties(ignoreUnknown = true)
public record PlanStep(String type, Map<String, Object> parameters, boolean continueOnFailure) {

    public PlanStep {
        parameters = parameters == null ? Map.of() : parameters;
    }
}
