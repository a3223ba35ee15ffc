package io.github.taniumroutes.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Counts live remediations per rule (per minute) and per rule and endpoint (per hour), in this
 * instance. A remediation over a cap is turned into a dry run; it is counted only when it goes live.
 */
final class RemediationCaps {

    private static final Duration MINUTE = Duration.ofMinutes(1);
    private static final Duration HOUR = Duration.ofHours(1);

    private final Map<String, Deque<Instant>> perRule = new HashMap<>();
    private final Map<String, Deque<Instant>> perEndpoint = new HashMap<>();

    /** Null when the remediation may go live (and is counted), else which cap stopped it. */
    synchronized String tryAcquire(Rule rule, String endpoint, Instant now) {
        Deque<Instant> ruleWindow = window(perRule, rule.name(), now, MINUTE);
        Deque<Instant> endpointWindow = window(perEndpoint, rule.name() + "|" + endpoint, now, HOUR);
        if (ruleWindow.size() >= rule.caps().remediationsPerMinute()) {
            return "cap: " + rule.caps().remediationsPerMinute() + " remediations per minute for rule '" + rule.name() + "'";
        }
        if (endpointWindow.size() >= rule.caps().remediationsPerEndpointPerHour()) {
            return "cap: " + rule.caps().remediationsPerEndpointPerHour() + " remediations per endpoint per hour for rule '"
                    + rule.name() + "'";
        }
        ruleWindow.addLast(now);
        endpointWindow.addLast(now);
        return null;
    }

    private static Deque<Instant> window(Map<String, Deque<Instant>> windows, String key, Instant now, Duration length) {
        Deque<Instant> window = windows.computeIfAbsent(key, k -> new ArrayDeque<>());
        while (!window.isEmpty() && !window.peekFirst().isAfter(now.minus(length))) {
            window.pollFirst();
        }
        return window;
    }
}
