package io.github.taniumroutes.policy;

import java.util.Map;

/**
 * One planned step of a rule. {@code kind} is the step type that carries it out; {@code parameters}
 * are the step's own settings, parameter templates included, as written in the policy.
 * {@code continueOnFailure}: the plan goes on to the next step even when this one fails.
 */
public record Step(String type, int line, Map<String, Object> parameters, StepType kind, boolean continueOnFailure) {

    public static final String CONTINUE_ON_FAILURE = "continueOnFailure";

    /** Steps that change an endpoint rather than read it: these are dry-run unless everything allows them. */
    public boolean isRemediation() {
        return kind.isRemediation(parameters);
    }
}
