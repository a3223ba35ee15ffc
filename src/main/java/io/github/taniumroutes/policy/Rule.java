package io.github.taniumroutes.policy;

import java.util.List;

/**
 * One policy rule: what it matches, which Tanium server it sends alerts to (null: the default
 * server), the ordered steps, whether its remediation may run live, and its caps.
 */
public record Rule(String name, int line, RuleMatch match, String server, List<Step> steps, boolean live, Caps caps) {

    /** Remediation caps per rule, per instance (the fleet's budget is this times the replicas). */
    public record Caps(int remediationsPerMinute, int remediationsPerEndpointPerHour) {
        public static final Caps NONE = new Caps(Integer.MAX_VALUE, Integer.MAX_VALUE);
    }
}
