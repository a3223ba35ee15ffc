package io.github.taniumroutes.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

import io.github.taniumroutes.alert.CanonicalAlert;

/**
 * Applies a policy to one alert: the first matching rule, its steps, and the safety rules around
 * remediation. A remediation step runs live only if the rule says {@code live: true}, the global
 * mode is live, the kill switch is off, the alert is not stale, and no cap is reached; the
 * decision says which of these made it a dry run. Step types without a route are reported as
 * {@code not_implemented}, never dropped.
 */
public final class PolicyDecisions {

    private final Predicate<String> implemented;
    private final BooleanSupplier killSwitch;
    private final RemediationCaps caps = new RemediationCaps();

    /** {@code implemented} says whether a step type has a route to carry it out. */
    public PolicyDecisions(Predicate<String> implemented, BooleanSupplier killSwitch) {
        this.implemented = implemented;
        this.killSwitch = killSwitch;
    }

    public PolicyDecisions(Set<String> implementedSteps, BooleanSupplier killSwitch) {
        this(Set.copyOf(implementedSteps)::contains, killSwitch);
    }

    public Decision decide(Policy policy, CanonicalAlert alert, String defaultServer, Instant now) {
        Rule rule = policy.firstMatch(alert, defaultServer);
        String server = rule.server() == null ? defaultServer : rule.server();
        boolean stale = isStale(policy.staleAfter(), alert, now);
        List<Decision.PlannedStep> steps = new ArrayList<>();
        for (Step step : rule.steps()) {
            steps.add(plan(policy, rule, step, alert, stale, now));
        }
        return new Decision(policy.version(), rule.name(), server, stale, List.copyOf(steps));
    }

    /** The Tanium server and enrich sensors {@link #decide} would give the alert (null sensors: the configured ones). */
    public record Enrichment(String server, List<String> sensors) {
    }

    /**
     * The server and the enrich step's sensors of the alert's decision, worked out without deciding:
     * nothing is planned and no remediation cap is taken, so a batch may ask this before each of its
     * alerts is decided.
     */
    @SuppressWarnings("unchecked")
    public Enrichment enrichment(Policy policy, CanonicalAlert alert, String defaultServer) {
        Rule rule = policy.firstMatch(alert, defaultServer);
        String server = rule.server() == null ? defaultServer : rule.server();
        for (Step step : rule.steps()) {
            if ("enrich".equals(step.type())) {
                Map<String, Object> parameters = step.parameters();
                try {
                    parameters = step.kind().render(step.parameters(), alert);
                } catch (ParameterTemplate.Rejected rejected) {
                    // decide() keeps the step's own parameters when they do not render.
                }
                if (parameters.get("sensors") instanceof List<?> sensors) {
                    return new Enrichment(server, (List<String>) sensors);
                }
            }
        }
        return new Enrichment(server, null);
    }

    private Decision.PlannedStep plan(Policy policy, Rule rule, Step step, CanonicalAlert alert, boolean stale, Instant now) {
        boolean remediation = step.isRemediation();
        if (stale && !"enrich".equals(step.type())) {
            return new Decision.PlannedStep(step.type(), step.parameters(), remediation, remediation ? true : null, "skipped",
                    "stale: the alert is older than staleAfter " + policy.staleAfter() + "; only enrichment runs", continueOnFailure(step));
        }
        Map<String, Object> parameters = step.parameters();
        try {
            parameters = step.kind().render(step.parameters(), alert);
        } catch (ParameterTemplate.Rejected rejected) {
            return new Decision.PlannedStep(step.type(), step.parameters(), remediation, remediation ? true : null, "rejected",
                    rejected.getMessage(), continueOnFailure(step));
        }
        String status = implemented.test(step.type()) ? "planned" : "not_implemented";
        if (!remediation) {
            return new Decision.PlannedStep(step.type(), parameters, false, null, status, null, continueOnFailure(step));
        }
        String dryRunReason = dryRunReason(policy, rule, alert, now);
        return new Decision.PlannedStep(step.type(), parameters, true, dryRunReason != null, status,
                dryRunReason == null ? "live: rule '" + rule.name() + "' allows it and the global mode is live" : dryRunReason,
                continueOnFailure(step));
    }

    /** The first reason, in order of authority, that keeps a remediation dry; null when it may run live. */
    private String dryRunReason(Policy policy, Rule rule, CanonicalAlert alert, Instant now) {
        if (killSwitch.getAsBoolean()) {
            return "kill switch: all remediation is dry-run";
        }
        if (policy.mode() != Policy.Mode.LIVE) {
            return "global mode: dry-run";
        }
        if (!rule.live()) {
            return "rule '" + rule.name() + "' is not live";
        }
        String endpoint = alert.taniumEndpointId() != null ? alert.taniumEndpointId() : alert.hostIdentity();
        return caps.tryAcquire(rule, endpoint, now);
    }

    /** Written into the decision only when set, so the plan shows where it goes on after a failure. */
    private static Boolean continueOnFailure(Step step) {
        return step.continueOnFailure() ? Boolean.TRUE : null;
    }

    private static boolean isStale(Duration staleAfter, CanonicalAlert alert, Instant now) {
        return staleAfter != null && alert.time() != null && Instant.parse(alert.time()).isBefore(now.minus(staleAfter));
    }
}
