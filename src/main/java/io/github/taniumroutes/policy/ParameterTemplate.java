package io.github.taniumroutes.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.taniumroutes.alert.CanonicalAlert;

/**
 * Fills a package parameter template ({@code "${process.pid}"}) from canonical alert fields and
 * checks the result against the parameter's rules (type, length, allowed characters) before it
 * can go anywhere near Tanium. A value that fails is a rejection naming the field, not a request.
 */
public final class ParameterTemplate {

    /** The alert fields a template may use. */
    public static final Set<String> FIELDS = Set.of("id", "source", "type", "rule", "severity", "hostname", "ip",
            "taniumEndpointId", "process.name", "process.pid", "process.hash", "process.commandLine", "file.path", "file.hash", "remoteAddress");

    /** Without a pattern of its own, a value may hold letters, digits and . _ : / \ - and spaces. */
    static final Pattern DEFAULT_ALLOWED = Pattern.compile("[\\p{L}\\p{N} ._:/\\\\-]*");
    static final int DEFAULT_MAX_LENGTH = 256;
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([^}]*)}");

    /** Why a value was refused: the parameter, the alert field it came from, and the rule it broke. */
    public static final class Rejected extends Exception {
        private final String parameter;
        private final String field;

        Rejected(String parameter, String field, String reason) {
            super("parameter " + parameter + (field == null ? "" : " (from alert field '" + field + "')") + ": " + reason,
                    null, false, false);
            this.parameter = parameter;
            this.field = field;
        }

        public String parameter() {
            return parameter;
        }

        public String field() {
            return field;
        }
    }

    private ParameterTemplate() {
    }

    public static List<String> fieldsOf(String template) {
        List<String> fields = new ArrayList<>();
        Matcher matcher = REFERENCE.matcher(template);
        while (matcher.find()) {
            fields.add(matcher.group(1).strip());
        }
        return fields;
    }

    /**
     * Renders {@code spec}: a template string, or a map with {@code value} (the template), and
     * optionally {@code type} (string | integer), {@code maxLength} and {@code pattern}.
     */
    public static String render(String parameter, Object spec, CanonicalAlert alert) throws Rejected {
        Map<?, ?> rules = spec instanceof Map<?, ?> map ? map : Map.of();
        String template = spec instanceof Map<?, ?> map ? String.valueOf(map.get("value")) : String.valueOf(spec);
        StringBuilder out = new StringBuilder();
        Matcher matcher = REFERENCE.matcher(template);
        String lastField = null;
        while (matcher.find()) {
            String field = matcher.group(1).strip();
            String value = value(alert, field);
            if (value == null) {
                throw new Rejected(parameter, field, "the alert has no value for it");
            }
            lastField = field;
            matcher.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(out);
        String rendered = out.toString();
        check(parameter, lastField, rendered, rules);
        return rendered;
    }

    private static void check(String parameter, String field, String value, Map<?, ?> rules) throws Rejected {
        int maxLength = rules.containsKey("maxLength") ? Integer.parseInt(String.valueOf(rules.get("maxLength"))) : DEFAULT_MAX_LENGTH;
        if (value.length() > maxLength) {
            throw new Rejected(parameter, field, "longer than " + maxLength + " characters");
        }
        if ("integer".equals(rules.get("type")) && !value.matches("-?\\d{1,18}")) {
            throw new Rejected(parameter, field, "not an integer");
        }
        Pattern allowed = rules.containsKey("pattern") ? Pattern.compile(String.valueOf(rules.get("pattern"))) : DEFAULT_ALLOWED;
        if (!allowed.matcher(value).matches()) {
            throw new Rejected(parameter, field, "has characters outside " + allowed.pattern());
        }
    }

    private static String value(CanonicalAlert alert, String field) {
        return switch (field) {
            case "id" -> alert.id();
            case "source" -> alert.source();
            case "type" -> alert.type();
            case "rule" -> alert.rule();
            case "severity" -> alert.severity();
            case "hostname" -> alert.hostname();
            case "ip" -> alert.ip();
            case "taniumEndpointId" -> alert.taniumEndpointId();
            case "process.name" -> alert.process() == null ? null : alert.process().name();
            case "process.pid" -> alert.process() == null || alert.process().pid() == null ? null : String.valueOf(alert.process().pid());
            case "process.hash" -> alert.process() == null ? null : alert.process().hash();
            case "process.commandLine" -> alert.process() == null ? null : alert.process().commandLine();
            case "file.path" -> alert.file() == null ? null : alert.file().path();
            case "file.hash" -> alert.file() == null ? null : alert.file().hash();
            case "remoteAddress" -> alert.remoteAddress();
            default -> null;
        };
    }
}
