package io.github.taniumroutes.directconnect;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.taniumroutes.alert.CanonicalAlert;
import io.github.taniumroutes.investigation.InvestigationFlow;
import io.github.taniumroutes.investigation.Target;
import io.github.taniumroutes.policy.ParameterTemplate;
import io.github.taniumroutes.policy.StepParameters;
import jakarta.inject.Singleton;

/**
 * {@code direct-connect}: live triage of the endpoint over a Direct Connect session, and with {@code kill}
 * a remediation: a guarded process kill (routes/direct-connect.yaml). Its phases: open → await-ready →
 * triage → kill → verify (and reopen, once, for a session Tanium closed); its clean-up, release, gives the
 * endpoint's shared session back.
 *
 * <p>Parameters: {@code triage}, a list of {@code performance}, {@code processes}, {@code alerts} (all three
 * when absent; {@code []} for none); {@code kill}: {@code {process: alert}} (the alert's process: its name
 * and pid, and its command line and hash when the alert gives them) or templates of alert fields
 * {@code {name: "${process.name}", pid: "${process.pid}"}} with optional {@code commandLine} and {@code hash},
 * and optionally {@code verifyAfter} (how long after the kill the process list is read again);
 * {@code maxRows} (rows kept per list, else {@code direct-connect.max-rows}), {@code connectDeadline} (else
 * {@code direct-connect.connect-deadline}) and {@code deadline} (else {@code direct-connect.deadline}).
 */
@Singleton
public class DirectConnectFlow implements InvestigationFlow {

    /** The endpoint session a Direct Connect step holds (endpointSessions kind). */
    public static final String SESSION = "direct-connect";
    public static final List<String> TRIAGE = List.of("performance", "processes", "alerts");
    static final Set<String> KILL_KEYS = Set.of("process", "name", "pid", "commandLine", "hash", "verifyAfter");
    /** The name and command line travel as GraphQL variables: anything but control characters. */
    static final String PRINTABLE = "[^\\x00-\\x08\\x0A-\\x1F\\x7F]*";

    @Override
    public String type() {
        return "direct-connect";
    }

    @Override
    public Set<String> parameters() {
        return Set.of("triage", "kill", "maxRows", "connectDeadline", "deadline");
    }

    @Override
    public boolean isRemediation(Map<String, Object> parameters) {
        return parameters.containsKey("kill");
    }

    @Override
    public String firstPhase() {
        return "open";
    }

    @Override
    public String cleanUpPhase() {
        return "release";
    }

    /** Direct Connect opens a session to the Gateway's endpoint id. */
    @Override
    public String cannotRunOn(Target target) {
        return target.endpointId() == null ? "no Gateway endpoint id for this endpoint, and Direct Connect opens its session by it" : null;
    }

    @Override
    public List<String> problems(Map<String, Object> parameters, PolicyContext policy) {
        List<String> problems = new ArrayList<>();
        Object triage = parameters.get("triage");
        if (triage != null && !(triage instanceof List<?>)) {
            problems.add("'triage' must be a list of " + TRIAGE + ", not '" + triage + "'");
        } else if (triage instanceof List<?> items) {
            items.stream().map(String::valueOf).filter(item -> !TRIAGE.contains(item))
                    .forEach(item -> problems.add("triage item '" + item + "' is unknown; known: " + TRIAGE));
        }
        if (parameters.containsKey("kill")) {
            killProblems(parameters.get("kill"), problems);
        }
        StepParameters.wholeNumber(parameters, "maxRows", problems);
        StepParameters.duration(parameters, "connectDeadline", problems);
        StepParameters.duration(parameters, "deadline", problems);
        return problems;
    }

    private static void killProblems(Object kill, List<String> problems) {
        if (!(kill instanceof Map<?, ?> map)) {
            problems.add("'kill' must be {process: alert} or {name: <template>, pid: <template>}, not '" + kill + "'");
            return;
        }
        map.keySet().stream().map(String::valueOf).filter(key -> !KILL_KEYS.contains(key))
                .forEach(key -> problems.add("kill has an unknown key '" + key + "'; known: " + KILL_KEYS.stream().sorted().toList()));
        if (map.containsKey("process")) {
            if (!"alert".equals(String.valueOf(map.get("process")))) {
                problems.add("kill's 'process' can only be 'alert' (the alert's own process), not '" + map.get("process") + "'");
            }
            if (map.containsKey("name") || map.containsKey("pid")) {
                problems.add("kill takes either 'process: alert' or 'name' and 'pid', not both");
            }
        } else if (!map.containsKey("name") || !map.containsKey("pid")) {
            problems.add("kill needs 'process: alert', or both 'name' and 'pid' (templates of alert fields)");
        }
        for (String key : List.of("name", "pid", "commandLine", "hash")) {
            if (map.containsKey(key)) {
                for (String field : ParameterTemplate.fieldsOf(template(map.get(key)))) {
                    if (!ParameterTemplate.FIELDS.contains(field)) {
                        problems.add("kill's " + key + " refers to unknown alert field '" + field + "'; known: "
                                + ParameterTemplate.FIELDS.stream().sorted().toList());
                    }
                }
            }
        }
        Map<String, Object> verify = new LinkedHashMap<>();
        if (map.containsKey("verifyAfter")) {
            verify.put("verifyAfter", map.get("verifyAfter"));
        }
        StepParameters.duration(verify, "verifyAfter", problems);
    }

    /**
     * The kill made concrete for the alert: {@code {name, pid, commandLine?, hash?, verifyAfter?}}. A missing
     * name or pid, a pid that is not a number, a control character in a name or command line, a hash that is
     * not hexadecimal: rejected, naming the field.
     */
    @Override
    public Map<String, Object> render(Map<String, Object> parameters, CanonicalAlert alert) throws ParameterTemplate.Rejected {
        if (!(parameters.get("kill") instanceof Map<?, ?> kill)) {
            return parameters;
        }
        Map<String, Object> target = new LinkedHashMap<>();
        if (kill.containsKey("process")) {
            target.put("name", ParameterTemplate.render("kill.name", rules("name", "${process.name}"), alert));
            target.put("pid", ParameterTemplate.render("kill.pid", rules("pid", "${process.pid}"), alert));
            CanonicalAlert.ProcessInfo process = alert.process();
            if (process != null && process.commandLine() != null) {
                target.put("commandLine", ParameterTemplate.render("kill.commandLine", rules("commandLine", "${process.commandLine}"), alert));
            }
            if (process != null && process.hash() != null) {
                target.put("hash", ParameterTemplate.render("kill.hash", rules("hash", "${process.hash}"), alert));
            }
        } else {
            for (String key : List.of("name", "pid", "commandLine", "hash")) {
                if (kill.containsKey(key)) {
                    Object spec = kill.get(key);
                    target.put(key, ParameterTemplate.render("kill." + key, spec instanceof Map<?, ?> ? spec : rules(key, String.valueOf(spec)), alert));
                }
            }
        }
        if (kill.containsKey("verifyAfter")) {
            target.put("verifyAfter", String.valueOf(kill.get("verifyAfter")));
        }
        Map<String, Object> rendered = new LinkedHashMap<>(parameters);
        rendered.put("kill", target);
        return rendered;
    }

    /** The checks a kill value gets unless the rule gives its own. */
    private static Map<String, Object> rules(String key, String template) {
        return switch (key) {
            case "pid" -> Map.of("value", template, "type", "integer", "pattern", "\\d{1,10}");
            case "name" -> Map.of("value", template, "maxLength", 260, "pattern", PRINTABLE);
            case "commandLine" -> Map.of("value", template, "maxLength", 32_767, "pattern", PRINTABLE);
            default -> Map.of("value", template, "maxLength", 128, "pattern", "[0-9A-Fa-f]{32,128}");
        };
    }

    private static String template(Object spec) {
        return spec instanceof Map<?, ?> m ? String.valueOf(m.get("value")) : String.valueOf(spec);
    }
}
