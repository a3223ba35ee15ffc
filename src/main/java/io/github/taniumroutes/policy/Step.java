package io.github.taniumroutes.policy;

import java.util.Map;
import java.util.Set;

/**
 * One planned step of a rule. {@code type} names the route that carries it out
 * ({@code direct:step-<type>}); {@code parameters} are the step's own settings, parameter templates
 * included, as written in the policy.
 */
public record Step(String type, int line, Map<String, Object> parameters) {

    /** Every step type the policy accepts, with the parameters each takes. */
    public static final Map<String, Set<String>> PARAMETERS = Map.of(
            "enrich", Set.of("sensors"),
            "snapshot", Set.of(),
            "file-evidence", Set.of("paths"),
            "question", Set.of("sensor", "filter"),
            "action", Set.of("package", "parameters"),
            "direct-connect", Set.of("triage", "kill"));

    /** The step types; those without a route yet are reported as not_implemented. */
    public static final Set<String> TYPES = PARAMETERS.keySet();

    /** Steps that change an endpoint rather than read it: these are dry-run unless everything allows them. */
    public boolean isRemediation() {
        return "action".equals(type) || "direct-connect".equals(type) && parameters.containsKey("kill");
    }
}
