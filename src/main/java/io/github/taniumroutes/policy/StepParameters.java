package io.github.taniumroutes.policy;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/** Checks of step parameters that several step types share: each adds a problem, in the policy's words, when the value is wrong. */
public final class StepParameters {

    private StepParameters() {
    }

    /** {@code name}, if given, is a whole number of zero or more (an id, a number of seconds). */
    public static void wholeNumber(Map<String, Object> parameters, String name, List<String> problems) {
        if (parameters.containsKey(name) && !String.valueOf(parameters.get(name)).matches("\\d{1,9}")) {
            problems.add("'" + name + "' must be a whole number of zero or more, not '" + parameters.get(name) + "'");
        }
    }

    /** {@code name}, if given, is a percentage: a whole number from 0 to 100. */
    public static void percent(Map<String, Object> parameters, String name, List<String> problems) {
        if (parameters.containsKey(name) && !String.valueOf(parameters.get(name)).matches("100|[1-9]?\\d")) {
            problems.add("'" + name + "' must be a whole number from 0 to 100, not '" + parameters.get(name) + "'");
        }
    }

    /** {@code name}, if given, is an ISO-8601 duration that is not negative. */
    public static void duration(Map<String, Object> parameters, String name, List<String> problems) {
        if (!parameters.containsKey(name)) {
            return;
        }
        try {
            if (Duration.parse(String.valueOf(parameters.get(name))).isNegative()) {
                problems.add("'" + name + "' must not be negative");
            }
        } catch (DateTimeParseException e) {
            problems.add("'" + name + "' must be an ISO-8601 duration such as PT1H, not '" + parameters.get(name) + "'");
        }
    }
}
