package io.github.taniumroutes.investigation;

import java.util.Map;
import java.util.function.UnaryOperator;

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

    /**
     * Why this remediation step must not change anything now, or null when it runs live: the decision
     * at intake ({@link #dryRun}, {@link #why}: the rule, the global mode, the kill switch, staleness,
     * caps), and, since a plan can outlast its decision, {@code dryRunNow} for the rule as things are
     * now (the kill switch, the mode, the rule in the policy in force: PlaybookPolicy#dryRunNow). Every
     * flow that changes an endpoint asks this right before it does.
     */
    public String dryRunReason(String rule, UnaryOperator<String> dryRunNow) {
        if (!Boolean.FALSE.equals(dryRun)) {
            return why == null ? "no live decision was recorded for this step" : why;
        }
        String now = dryRunNow.apply(rule);
        return now == null ? null : now + " (since the decision)";
    }
}
