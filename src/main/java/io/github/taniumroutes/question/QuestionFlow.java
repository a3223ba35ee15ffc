package io.github.taniumroutes.question;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import io.github.taniumroutes.alert.CanonicalAlert;
import io.github.taniumroutes.investigation.InvestigationFlow;
import io.github.taniumroutes.policy.ParameterTemplate;
import io.github.taniumroutes.policy.StepParameters;
import jakarta.inject.Singleton;

/**
 * {@code question}: a Tanium question about the alert's endpoint (routes/question.yaml), such as the
 * historical Trace sensors of seed 001. Its phases: ask → await-results. It holds nothing.
 *
 * <p>Parameters: {@code sensor} (its name as Tanium spells it: letters, digits, spaces and {@code . _ -});
 * {@code parameters}, the sensor's parameters by key ({@code MaxResultsPerHost: "50"}), each a template
 * of alert fields checked like an action's, which may also use {@code ${window.start}} and
 * {@code ${window.end}}: the alert's time less and plus {@code window} (default PT1H), in epoch
 * milliseconds, for a Trace sensor's {@code AbsoluteTimeRange}; {@code maxRows} (else
 * {@code question.max-rows}), {@code completionPercent} (else {@code question.completion-percent}) and
 * {@code deadline} (else {@code question.deadline}).
 */
@Singleton
public class QuestionFlow implements InvestigationFlow {

    /** A sensor name goes into the question text as it is: only characters that need no quoting there. */
    static final Pattern SENSOR_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 ._-]{0,199}");
    static final Pattern PARAMETER_KEY = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,63}");
    static final Duration DEFAULT_WINDOW = Duration.ofHours(1);

    @Override
    public String type() {
        return "question";
    }

    @Override
    public Set<String> parameters() {
        return Set.of("sensor", "parameters", "window", "maxRows", "completionPercent", "deadline");
    }

    @Override
    public String firstPhase() {
        return "ask";
    }

    @Override
    public List<String> problems(Map<String, Object> parameters, PolicyContext policy) {
        List<String> problems = new ArrayList<>();
        Object sensor = parameters.get("sensor");
        if (!(sensor instanceof String name) || name.isBlank()) {
            problems.add("step 'question' needs a 'sensor'");
        } else if (!SENSOR_NAME.matcher(name).matches()) {
            problems.add("sensor '" + name + "' may hold only letters, digits, spaces and . _ - (it is written into the question text)");
        }
        Object given = parameters.get("parameters");
        if (given != null && !(given instanceof Map<?, ?>)) {
            problems.add("'parameters' must map the sensor's parameter keys to templates");
        } else if (given instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (!PARAMETER_KEY.matcher(String.valueOf(entry.getKey())).matches()) {
                    problems.add("sensor parameter '" + entry.getKey() + "' is not a parameter key (letters, digits and _)");
                }
                Object spec = entry.getValue();
                String template = spec instanceof Map<?, ?> m ? String.valueOf(m.get("value")) : String.valueOf(spec);
                for (String field : ParameterTemplate.fieldsOf(template)) {
                    if (!ParameterTemplate.FIELDS.contains(field) && !field.startsWith("window.")) {
                        problems.add("sensor parameter " + entry.getKey() + " refers to unknown alert field '" + field + "'");
                    } else if (field.startsWith("window.") && !Set.of("window.start", "window.end").contains(field)) {
                        problems.add("sensor parameter " + entry.getKey() + " refers to '" + field + "'; the window has start and end");
                    }
                }
            }
        }
        StepParameters.duration(parameters, "window", problems);
        StepParameters.duration(parameters, "deadline", problems);
        if (parameters.containsKey("maxRows") && !String.valueOf(parameters.get("maxRows")).matches("[1-9]\\d{0,5}")) {
            problems.add("'maxRows' must be a whole number from 1 to 999999, not '" + parameters.get("maxRows") + "'");
        }
        StepParameters.percent(parameters, "completionPercent", problems);
        return problems;
    }

    /** The sensor's parameters for one alert: the time window filled in, then the alert fields, each value checked. */
    @Override
    public Map<String, Object> render(Map<String, Object> parameters, CanonicalAlert alert) throws ParameterTemplate.Rejected {
        if (!(parameters.get("parameters") instanceof Map<?, ?> templates)) {
            return parameters;
        }
        Duration window = parameters.containsKey("window") ? Duration.parse(String.valueOf(parameters.get("window"))) : DEFAULT_WINDOW;
        Instant at = alert.time() == null ? Instant.now() : Instant.parse(alert.time());
        String start = String.valueOf(at.minus(window).toEpochMilli());
        String end = String.valueOf(at.plus(window).toEpochMilli());
        Map<String, Object> values = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : templates.entrySet()) {
            Object spec = entry.getValue();
            Object windowed;
            if (spec instanceof Map<?, ?> rules) {
                Map<Object, Object> copy = new LinkedHashMap<>(rules);
                copy.put("value", windowed(String.valueOf(rules.get("value")), start, end));
                windowed = copy;
            } else {
                windowed = windowed(String.valueOf(spec), start, end);
            }
            values.put(String.valueOf(entry.getKey()), ParameterTemplate.render(String.valueOf(entry.getKey()), windowed, alert));
        }
        Map<String, Object> rendered = new LinkedHashMap<>(parameters);
        rendered.put("parameters", values);
        return rendered;
    }

    private static String windowed(String template, String start, String end) {
        return template.replaceAll("\\$\\{\\s*window\\.start\\s*}", start).replaceAll("\\$\\{\\s*window\\.end\\s*}", end);
    }
}
