package io.github.taniumroutes.action;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import io.github.taniumroutes.alert.CanonicalAlert;
import io.github.taniumroutes.investigation.InvestigationFlow;
import io.github.taniumroutes.policy.ParameterTemplate;
import io.github.taniumroutes.policy.StepParameters;
import jakarta.inject.Singleton;

/**
 * {@code action}: a Tanium package deployed to the endpoint, a remediation (routes/action.yaml). The
 * package must be on the policy's allowlist; its parameters are templates of alert fields, each checked
 * (type, maxLength, pattern) when filled in for an alert, and checked again against the package's own
 * definition before anything is issued. Its phases: issue (or find, for a step that asked and never
 * saw the answer) → await-approval → await-results. It holds nothing, so it has no clean-up.
 *
 * <p>Parameters besides {@code package} and {@code parameters}: {@code targetGroup} (a filter group id:
 * target that group instead of an ad-hoc group of the endpoint), {@code expireSeconds} and
 * {@code distributeSeconds} (else the server's, else the package's expiry), {@code completionPercent}
 * (else {@code action.completion-percent}), {@code approvalDeadline} and {@code resultsDeadline}
 * (ISO-8601 durations).
 */
@Singleton
public class ActionFlow implements InvestigationFlow {

    static final List<String> WHOLE_NUMBERS = List.of("targetGroup", "expireSeconds", "distributeSeconds");
    static final List<String> DURATIONS = List.of("approvalDeadline", "resultsDeadline");

    @Override
    public String type() {
        return "action";
    }

    @Override
    public Set<String> parameters() {
        return Set.of("package", "parameters", "targetGroup", "expireSeconds", "distributeSeconds", "completionPercent",
                "approvalDeadline", "resultsDeadline");
    }

    @Override
    public boolean isRemediation(Map<String, Object> parameters) {
        return true;
    }

    @Override
    public String firstPhase() {
        return "issue";
    }

    @Override
    public List<String> problems(Map<String, Object> parameters, PolicyContext policy) {
        List<String> problems = new ArrayList<>();
        Object pkg = parameters.get("package");
        if (!(pkg instanceof String name) || name.isBlank()) {
            problems.add("step 'action' needs a 'package'");
        } else if (!policy.packageAllowlist().contains(name)) {
            problems.add("package '" + name + "' is not on the allowlist (packages.allowlist)");
        }
        templateProblems(parameters.get("parameters"), problems);
        WHOLE_NUMBERS.forEach(name -> StepParameters.wholeNumber(parameters, name, problems));
        StepParameters.percent(parameters, "completionPercent", problems);
        DURATIONS.forEach(name -> StepParameters.duration(parameters, name, problems));
        return problems;
    }

    @Override
    public Map<String, Object> render(Map<String, Object> parameters, CanonicalAlert alert) throws ParameterTemplate.Rejected {
        Map<String, Object> rendered = new LinkedHashMap<>(parameters);
        if (parameters.get("parameters") instanceof Map<?, ?> templates) {
            Map<String, Object> values = new LinkedHashMap<>();
            for (Map.Entry<?, ?> entry : templates.entrySet()) {
                values.put(String.valueOf(entry.getKey()), ParameterTemplate.render(String.valueOf(entry.getKey()), entry.getValue(), alert));
            }
            rendered.put("parameters", values);
        }
        return rendered;
    }

    private static void templateProblems(Object parameters, List<String> problems) {
        if (parameters == null) {
            return;
        }
        if (!(parameters instanceof Map<?, ?> map)) {
            problems.add("'parameters' must map parameter keys ($1, $2 ...) to templates");
            return;
        }
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            Object spec = entry.getValue();
            String template = spec instanceof Map<?, ?> m ? String.valueOf(m.get("value")) : String.valueOf(spec);
            for (String field : ParameterTemplate.fieldsOf(template)) {
                if (!ParameterTemplate.FIELDS.contains(field)) {
                    problems.add("parameter " + entry.getKey() + " refers to unknown alert field '" + field + "'; known: "
                            + ParameterTemplate.FIELDS);
                }
            }
            if (!(spec instanceof Map<?, ?> m)) {
                continue;
            }
            if (m.containsKey("type") && !Set.of("string", "integer").contains(String.valueOf(m.get("type")))) {
                problems.add("parameter " + entry.getKey() + " has an unknown type '" + m.get("type") + "'; known: [string, integer]");
            }
            if (m.containsKey("maxLength") && !String.valueOf(m.get("maxLength")).matches("\\d{1,9}")) {
                problems.add("parameter " + entry.getKey() + " has an invalid maxLength '" + m.get("maxLength")
                        + "'; it must be a whole number of zero or more");
            }
            if (m.containsKey("pattern")) {
                try {
                    Pattern.compile(String.valueOf(m.get("pattern")));
                } catch (PatternSyntaxException e) {
                    problems.add("parameter " + entry.getKey() + " has an invalid pattern: " + e.getDescription());
                }
            }
        }
    }
}
