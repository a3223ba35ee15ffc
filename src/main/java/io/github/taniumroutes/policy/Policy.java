package io.github.taniumroutes.policy;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * A validated playbook policy: which alert gets which Tanium response. {@code version} is the
 * SHA-256 of the file's content, so every decision names exactly the policy that made it.
 */
public record Policy(
        String version,
        String source,
        Mode mode,
        Duration staleAfter,
        Set<String> packageAllowlist,
        List<Rule> rules,
        Rule defaultRule) {

    /** Global remediation mode: dry-run unless the operator says live. A rule can only narrow it. */
    public enum Mode {
        DRY_RUN, LIVE
    }

    /** Rules in file order, the default rule last: the first that matches wins. */
    public Rule firstMatch(io.github.taniumroutes.alert.CanonicalAlert alert, String server) {
        for (Rule rule : rules) {
            if (rule.match().matches(alert, server)) {
                return rule;
            }
        }
        return defaultRule;
    }
}
