package io.github.taniumroutes.threatresponse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.github.taniumroutes.alert.CanonicalAlert;
import io.github.taniumroutes.investigation.InvestigationFlow;
import io.github.taniumroutes.policy.ParameterTemplate;
import jakarta.inject.Singleton;

/**
 * {@code alert-state}: writes what was done back to the Threat Response alert the investigation came
 * from, as its state (routes/alert-state.yaml): {@code inprogress} once its investigation starts,
 * {@code resolved} after a remediation that completed, say. Parameters: {@code state}
 * ({@code unresolved}, {@code inprogress}, {@code ignored} or {@code resolved}; {@code inProgress} is
 * read as {@code inprogress}) and {@code afterCompleted} (default true: only when every earlier step of
 * the plan ended completed — a dry run or a skipped step is not a remediation that was done). For an
 * alert that did not come from Threat Response the step does nothing ({@code not_applicable}).
 */
@Singleton
public class AlertStateFlow implements InvestigationFlow {

    static final Set<String> STATES = Set.of("unresolved", "inprogress", "ignored", "resolved");
    /** Set at intake from the alert: Threat Response's own id of the alert (absent for other sources). */
    static final String ALERT_ID = "threatResponseAlertId";

    @Override
    public String type() {
        return "alert-state";
    }

    @Override
    public Set<String> parameters() {
        return Set.of("state", "afterCompleted");
    }

    @Override
    public String firstPhase() {
        return "set";
    }

    @Override
    public List<String> problems(Map<String, Object> parameters, PolicyContext policy) {
        List<String> problems = new ArrayList<>();
        Object state = parameters.get("state");
        if (!(state instanceof String name) || !STATES.contains(name.toLowerCase(Locale.ROOT))) {
            problems.add("step 'alert-state' needs a 'state': one of " + STATES.stream().sorted().toList());
        }
        if (parameters.containsKey("afterCompleted") && !(parameters.get("afterCompleted") instanceof Boolean)) {
            problems.add("'afterCompleted' must be true or false");
        }
        return problems;
    }

    /** The state as Threat Response spells it, and the alert's Threat Response id when it came from there. */
    @Override
    public Map<String, Object> render(Map<String, Object> parameters, CanonicalAlert alert) throws ParameterTemplate.Rejected {
        Map<String, Object> rendered = new LinkedHashMap<>(parameters);
        rendered.put("state", String.valueOf(parameters.get("state")).toLowerCase(Locale.ROOT));
        if ("tanium-threat-response".equals(alert.format()) && alert.raw() != null && alert.raw().path("id").canConvertToLong()) {
            rendered.put(ALERT_ID, alert.raw().path("id").asText());
        }
        return rendered;
    }
}
