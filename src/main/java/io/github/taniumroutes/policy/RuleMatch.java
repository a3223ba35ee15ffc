package io.github.taniumroutes.policy;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import io.github.taniumroutes.alert.CanonicalAlert;

/**
 * The conditions of a rule; every condition given must hold (absent ones match anything). Sets
 * match any of their values; patterns must match the whole value (case-insensitive).
 */
public record RuleMatch(
        Set<String> sources,
        Set<String> types,
        List<Pattern> ruleNames,
        String minimumSeverity,
        Set<String> tags,
        List<Pattern> hostnames,
        List<Pattern> ips,
        Set<String> servers) {

    public static final RuleMatch ANY = new RuleMatch(Set.of(), Set.of(), List.of(), null, Set.of(), List.of(), List.of(), Set.of());

    static final List<String> SEVERITIES = List.of("informational", "low", "medium", "high", "critical");

    public boolean matches(CanonicalAlert alert, String server) {
        return in(sources, alert.source())
                && in(types, alert.type())
                && any(ruleNames, alert.rule())
                && severityAtLeast(alert.severity())
                && (tags.isEmpty() || alert.tags() != null && alert.tags().stream().anyMatch(tags::contains))
                && any(hostnames, alert.hostname())
                && any(ips, alert.ip())
                && in(servers, server);
    }

    private boolean severityAtLeast(String severity) {
        return minimumSeverity == null || severity != null && SEVERITIES.indexOf(severity) >= SEVERITIES.indexOf(minimumSeverity);
    }

    private static boolean in(Set<String> allowed, String value) {
        return allowed.isEmpty() || value != null && allowed.contains(value);
    }

    private static boolean any(List<Pattern> patterns, String value) {
        return patterns.isEmpty() || value != null && patterns.stream().anyMatch(p -> p.matcher(value).matches());
    }
}
