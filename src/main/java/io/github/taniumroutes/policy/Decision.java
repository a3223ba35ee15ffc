package io.github.taniumroutes.policy;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What the policy decided for one alert, and why: the audit trail that goes with every result.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Decision(String policyVersion, String rule, String server, boolean stale, List<PlannedStep> steps) {

    /**
     * One step as planned. {@code status}: {@code planned}; {@code not_implemented} (no route for
     * the type yet); {@code rejected} (a parameter failed validation: {@code why} names it); or
     * {@code skipped} (a stale alert gets enrichment only). For remediation, {@code dryRun} and
     * {@code why} say whether it runs live and what decided it.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PlannedStep(String type, Map<String, Object> parameters, boolean remediation, Boolean dryRun, String status,
            String why, Boolean continueOnFailure) {

        public PlannedStep(String type, Map<String, Object> parameters, boolean remediation, Boolean dryRun, String status, String why) {
            this(type, parameters, remediation, dryRun, status, why, null);
        }

        /** This step, not run, and why. */
        public PlannedStep skipped(String reason) {
            return new PlannedStep(type, parameters, remediation, dryRun, "skipped", reason, continueOnFailure);
        }

        public boolean goesOnAfterFailure() {
            return Boolean.TRUE.equals(continueOnFailure);
        }
    }

    public boolean hasRemediation() {
        return steps.stream().anyMatch(PlannedStep::remediation);
    }

    /** The sensors the rule's enrich step names, or null for the configured ones. */
    @JsonIgnore
    @SuppressWarnings("unchecked")
    public List<String> enrichSensors() {
        return steps.stream().filter(s -> "enrich".equals(s.type()) && s.parameters().get("sensors") instanceof List<?>)
                .map(s -> (List<String>) s.parameters().get("sensors")).findFirst().orElse(null);
    }

    /** The planned steps to carry out after enrichment (which runs for every alert anyway). */
    @JsonIgnore
    public List<PlannedStep> dispatchable() {
        return steps.stream().filter(s -> "planned".equals(s.status()) && !"enrich".equals(s.type())).toList();
    }
}
