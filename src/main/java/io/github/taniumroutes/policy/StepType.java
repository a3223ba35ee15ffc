package io.github.taniumroutes.policy;

import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.taniumroutes.alert.CanonicalAlert;

/**
 * A kind of step a rule can name ({@code enrich}, {@code snapshot}, {@code action} ...), as the policy
 * sees it: the parameters it takes, what is wrong with them as written, whether it changes the
 * endpoint, and its parameters made concrete for one alert. Each capability declares its own (a bean
 * in its package); the policy loader and the decisions ask it and know no type by name.
 */
public interface StepType {

    /** The name rules use, and the prefix of the step's routes. */
    String type();

    /** The parameter names the step accepts (besides {@code continueOnFailure}, which every long step takes). */
    Set<String> parameters();

    /** What is wrong with the parameters as written, one problem per entry; empty when nothing is. */
    default List<String> problems(Map<String, Object> parameters, PolicyContext policy) {
        return List.of();
    }

    /** Steps that change an endpoint rather than read it: these are dry-run unless everything allows them. */
    default boolean isRemediation(Map<String, Object> parameters) {
        return false;
    }

    /** The parameters for one alert (templates filled in); a value that fails its checks rejects the step. */
    default Map<String, Object> render(Map<String, Object> parameters, CanonicalAlert alert) throws ParameterTemplate.Rejected {
        return parameters;
    }

    /** The route that starts the step: {@code step-<type>} (an investigation flow starts at its first phase instead). */
    default String entryRoute() {
        return "step-" + type();
    }

    /** What of the policy file, besides the step, a step type's checks may need. */
    record PolicyContext(Set<String> packageAllowlist) {
    }
}
