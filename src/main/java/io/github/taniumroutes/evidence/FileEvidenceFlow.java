package io.github.taniumroutes.evidence;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.taniumroutes.alert.CanonicalAlert;
import io.github.taniumroutes.policy.ParameterTemplate;
import io.github.taniumroutes.threatresponse.LiveConnectionFlow;
import jakarta.inject.Singleton;

/**
 * {@code file-evidence}: files collected from the endpoint over its Threat Response live connection
 * (routes/file-evidence.yaml; seed 002), published to {@code evidence.topic}, and a CST trace's
 * artifacts to {@code crypto-inventory.topic}. Its phases: check → connect → await-connection →
 * (per path: request-file → await-file → find-evidence → download → delete-evidence); its clean-up,
 * release, deletes evidence still held and gives the shared live connection back.
 *
 * <p>Parameters: {@code paths}, up to {@value #MAX_PATHS}, each a path template of alert fields
 * ({@code "${file.path}"}) or a fixed path, or {@code {path: …, trace: cst}} for a CST trace
 * ({@code trace: cst-diff} for a diff trace); {@code allowedPaths}, the patterns a path must match
 * (see {@link FilePaths}). A fixed path that no pattern allows is a mistake in the policy.
 */
@Singleton
public class FileEvidenceFlow implements LiveConnectionFlow {

    static final int MAX_PATHS = 8;
    static final Set<String> TRACES = Set.of("cst", "cst-diff");
    /** A template is filled in as it is: the path policy (FilePaths) checks the result before anything is asked. */
    private static final Map<String, Object> ANY_VALUE = Map.of("pattern", "(?s).*", "maxLength", String.valueOf(FilePaths.MAX_LENGTH));

    /** One path of the step, for an alert: what to collect, and whether it is a CST trace (full or diff). */
    public record PathSpec(String path, String trace) {
        public boolean isTrace() {
            return trace != null;
        }

        public boolean isDiff() {
            return "cst-diff".equals(trace);
        }
    }

    @Override
    public String type() {
        return "file-evidence";
    }

    @Override
    public Set<String> parameters() {
        return Set.of("paths", "allowedPaths");
    }

    @Override
    public String firstPhase() {
        return "check";
    }

    @Override
    public String cleanUpPhase() {
        return "release";
    }

    @Override
    public List<String> problems(Map<String, Object> parameters, PolicyContext policy) {
        List<String> problems = new ArrayList<>();
        List<String> allowed = new ArrayList<>();
        Object patterns = parameters.get("allowedPaths");
        if (!(patterns instanceof List<?> list) || list.isEmpty()) {
            problems.add("step 'file-evidence' needs 'allowedPaths': the path patterns its paths must match (e.g. [/var/log/**])");
        } else {
            for (Object pattern : list) {
                String problem = FilePaths.patternProblem(pattern instanceof String p ? p : null);
                if (problem != null) {
                    problems.add(problem);
                } else {
                    allowed.add((String) pattern);
                }
            }
        }
        Object paths = parameters.get("paths");
        if (!(paths instanceof List<?> list) || list.isEmpty()) {
            problems.add("step 'file-evidence' needs 'paths': a list of paths or path templates (e.g. [\"${file.path}\"])");
            return problems;
        }
        if (list.size() > MAX_PATHS) {
            problems.add("step 'file-evidence' collects at most " + MAX_PATHS + " paths, not " + list.size());
        }
        for (Object entry : list) {
            String template = entry instanceof Map<?, ?> map ? stringOrNull(map.get("path")) : stringOrNull(entry);
            if (entry instanceof Map<?, ?> map) {
                for (Object key : map.keySet()) {
                    if (!Set.of("path", "trace").contains(String.valueOf(key))) {
                        problems.add("a path of step 'file-evidence' takes 'path' and 'trace', not '" + key + "'");
                    }
                }
                if (map.containsKey("trace") && !TRACES.contains(String.valueOf(map.get("trace")))) {
                    problems.add("'trace' must be one of " + TRACES + ", not '" + map.get("trace") + "'");
                }
            }
            if (template == null || template.isBlank()) {
                problems.add("a path of step 'file-evidence' is empty");
                continue;
            }
            List<String> fields = ParameterTemplate.fieldsOf(template);
            for (String field : fields) {
                if (!ParameterTemplate.FIELDS.contains(field)) {
                    problems.add("path '" + template + "' refers to unknown alert field '" + field + "'; known: " + ParameterTemplate.FIELDS);
                }
            }
            if (fields.isEmpty() && !allowed.isEmpty() && !FilePaths.allowedSomewhere(template, allowed)) {
                problems.add("path '" + template + "' is not allowed by any of 'allowedPaths' (or is not an acceptable absolute path)");
            }
        }
        return problems;
    }

    /** The paths for one alert: each template filled in (a field the alert lacks rejects the step); checked later, per platform. */
    @Override
    public Map<String, Object> render(Map<String, Object> parameters, CanonicalAlert alert) throws ParameterTemplate.Rejected {
        List<Map<String, Object>> rendered = new ArrayList<>();
        int number = 0;
        for (Object entry : (List<?>) parameters.get("paths")) {
            number++;
            Object template = entry instanceof Map<?, ?> map ? map.get("path") : entry;
            Map<String, Object> spec = new LinkedHashMap<>(ANY_VALUE);
            spec.put("value", String.valueOf(template));
            Map<String, Object> path = new LinkedHashMap<>();
            path.put("path", ParameterTemplate.render("path " + number, spec, alert));
            if (entry instanceof Map<?, ?> map && map.get("trace") != null) {
                path.put("trace", String.valueOf(map.get("trace")));
            }
            rendered.add(path);
        }
        Map<String, Object> out = new LinkedHashMap<>(parameters);
        out.put("paths", rendered);
        return out;
    }

    /** The step's paths as rendered for its alert (a plain string is read as a path of no trace). */
    public static List<PathSpec> paths(Map<String, Object> parameters) {
        List<PathSpec> specs = new ArrayList<>();
        if (parameters.get("paths") instanceof List<?> list) {
            for (Object entry : list) {
                if (entry instanceof Map<?, ?> map) {
                    specs.add(new PathSpec(stringOrNull(map.get("path")), stringOrNull(map.get("trace"))));
                } else {
                    specs.add(new PathSpec(stringOrNull(entry), null));
                }
            }
        }
        return specs;
    }

    /** The rule's allowed path patterns. */
    public static List<String> allowedPaths(Map<String, Object> parameters) {
        List<String> patterns = new ArrayList<>();
        if (parameters.get("allowedPaths") instanceof List<?> list) {
            list.forEach(p -> patterns.add(String.valueOf(p)));
        }
        return patterns;
    }

    private static String stringOrNull(Object value) {
        return value == null ? null : String.valueOf(value);
    }
}
