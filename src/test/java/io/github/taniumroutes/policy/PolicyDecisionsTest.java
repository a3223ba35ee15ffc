package io.github.taniumroutes.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.taniumroutes.alert.CanonicalAlert;
import org.junit.jupiter.api.Test;

/** Remediation safety: rule, global mode, kill switch, staleness and caps, each named in the decision. */
class PolicyDecisionsTest {

    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
    private static final String POLICY = """
            staleAfter: PT30M
            packages:
              allowlist: [Kill Process]
            rules:
              - name: reverse-shell
                match:
                  severityAtLeast: high
                  hostname: db-.*
                live: true
                caps: {perMinute: 2, perEndpointPerHour: 1}
                steps:
                  - enrich
                  - snapshot
                  - action:
                      package: Kill Process
                      parameters:
                        $1: {value: "${process.pid}", type: integer}
              - name: careful
                match: {source: elastic-security}
                steps:
                  - enrich
                  - action: {package: Kill Process, parameters: {$1: "${process.name}"}}
            default:
              steps: [enrich]
            """;

    private final AtomicBoolean killSwitch = new AtomicBoolean();
    private final PolicyDecisions decisions = new PolicyDecisions(Set.of("enrich"), killSwitch::get);

    @Test
    void aLiveRuleUnderALiveGlobalModeRemediatesLiveAndSaysWhy() throws Exception {
        Decision decision = decisions.decide(policy(Policy.Mode.LIVE), alert("db-1", "high", 4242L, NOW), "default", NOW);

        assertThat(decision.rule()).isEqualTo("reverse-shell");
        assertThat(decision.policyVersion()).startsWith("sha256:");
        assertThat(decision.steps()).extracting(Decision.PlannedStep::type).containsExactly("enrich", "snapshot", "action");
        assertThat(decision.steps().get(0).status()).isEqualTo("planned");
        assertThat(decision.steps().get(1).status()).isEqualTo("not_implemented");
        Decision.PlannedStep action = decision.steps().get(2);
        assertThat(action.remediation()).isTrue();
        assertThat(action.dryRun()).isFalse();
        assertThat(action.why()).startsWith("live:");
        assertThat(action.parameters().get("parameters")).isEqualTo(Map.of("$1", "4242"));
    }

    @Test
    void theGlobalModeKeepsEveryRemediationDry() throws Exception {
        Decision.PlannedStep action = decisions.decide(policy(Policy.Mode.DRY_RUN), alert("db-1", "high", 1L, NOW), "default", NOW)
                .steps().get(2);

        assertThat(action.dryRun()).isTrue();
        assertThat(action.why()).isEqualTo("global mode: dry-run");
    }

    @Test
    void aRuleThatIsNotLiveStaysDry() throws Exception {
        Decision decision = decisions.decide(policy(Policy.Mode.LIVE),
                new CanonicalAlert("e1", "elastic-security", "elastic-security", NOW.toString(), "low", null, null, "ws-9", null,
                        null, new CanonicalAlert.ProcessInfo("evil.exe", 7L, null), null, null, null),
                "default", NOW);

        assertThat(decision.rule()).isEqualTo("careful");
        assertThat(decision.steps().get(1).dryRun()).isTrue();
        assertThat(decision.steps().get(1).why()).isEqualTo("rule 'careful' is not live");
    }

    @Test
    void theKillSwitchTurnsRemediationDryAtOnce() throws Exception {
        Policy live = policy(Policy.Mode.LIVE);
        assertThat(decisions.decide(live, alert("db-1", "critical", 1L, NOW), "default", NOW).steps().get(2).dryRun()).isFalse();

        killSwitch.set(true);

        Decision.PlannedStep action = decisions.decide(live, alert("db-2", "critical", 1L, NOW), "default", NOW).steps().get(2);
        assertThat(action.dryRun()).isTrue();
        assertThat(action.why()).isEqualTo("kill switch: all remediation is dry-run");
    }

    @Test
    void staleAlertsAreOnlyEnriched() throws Exception {
        Decision decision = decisions.decide(policy(Policy.Mode.LIVE), alert("db-1", "high", 1L, NOW.minusSeconds(31 * 60)),
                "default", NOW);

        assertThat(decision.stale()).isTrue();
        assertThat(decision.steps()).extracting(Decision.PlannedStep::status).containsExactly("planned", "skipped", "skipped");
        assertThat(decision.steps().get(2).dryRun()).isTrue();
        assertThat(decision.steps().get(2).why()).startsWith("stale:");
    }

    @Test
    void capsPerEndpointAndPerRuleTurnFurtherRemediationDry() throws Exception {
        Policy live = policy(Policy.Mode.LIVE);

        assertThat(decisions.decide(live, alert("db-1", "high", 1L, NOW), "default", NOW).steps().get(2).dryRun()).isFalse();
        Decision.PlannedStep again = decisions.decide(live, alert("db-1", "high", 2L, NOW), "default", NOW.plusSeconds(1)).steps().get(2);
        assertThat(again.dryRun()).isTrue();
        assertThat(again.why()).contains("per endpoint per hour");

        assertThat(decisions.decide(live, alert("db-2", "high", 1L, NOW), "default", NOW.plusSeconds(2)).steps().get(2).dryRun()).isFalse();
        Decision.PlannedStep third = decisions.decide(live, alert("db-3", "high", 1L, NOW), "default", NOW.plusSeconds(3)).steps().get(2);
        assertThat(third.why()).contains("per minute");

        assertThat(decisions.decide(live, alert("db-4", "high", 1L, NOW), "default", NOW.plusSeconds(61)).steps().get(2).dryRun())
                .as("a minute later the rule's window has room again").isFalse();
    }

    @Test
    void aParameterThatFailsValidationIsRejectedNamingTheField() throws Exception {
        Decision decision = decisions.decide(policy(Policy.Mode.LIVE),
                new CanonicalAlert("e2", "elastic-security", "elastic-security", NOW.toString(), "low", null, null, "ws-9", null,
                        null, new CanonicalAlert.ProcessInfo("evil.exe; rm -rf /", 7L, null), null, null, null),
                "default", NOW);

        Decision.PlannedStep action = decision.steps().get(1);
        assertThat(action.status()).isEqualTo("rejected");
        assertThat(action.why()).contains("$1").contains("process.name").contains("characters outside");
    }

    @Test
    void alertsNoRuleMatchesGetTheDefaultRule() throws Exception {
        Decision decision = decisions.decide(policy(Policy.Mode.LIVE), alert("web-1", "low", 1L, NOW), "default", NOW);

        assertThat(decision.rule()).isEqualTo("default");
        assertThat(decision.server()).isEqualTo("default");
        assertThat(decision.steps()).extracting(Decision.PlannedStep::type).containsExactly("enrich");
        assertThat(decision.hasRemediation()).isFalse();
    }

    @Test
    void theServerAndSensorsOfADecisionAreKnownBeforehandWithoutTakingACap() throws Exception {
        Policy live = policy(Policy.Mode.LIVE);
        for (int i = 0; i < 5; i++) {
            assertThat(decisions.enrichment(live, alert("db-1", "high", 1L, NOW), "default"))
                    .isEqualTo(new PolicyDecisions.Enrichment("default", null));
        }
        assertThat(decisions.decide(live, alert("db-1", "high", 1L, NOW), "default", NOW).steps().get(2).dryRun())
                .as("asking for the enrichment took no cap").isFalse();

        Policy named = new PolicyLoader(Set.of("default", "lab"), AllStepTypes.ALL).load("policy.yaml", """
                rules:
                  - name: lab-hosts
                    match: {hostname: "ws-.*"}
                    server: lab
                    steps:
                      - enrich: {sensors: [Logged In Users]}
                default:
                  steps: [enrich]
                """, Policy.Mode.DRY_RUN);
        CanonicalAlert labHost = alert("ws-1", "low", 1L, NOW);
        Decision decision = decisions.decide(named, labHost, "default", NOW);
        assertThat(decisions.enrichment(named, labHost, "default"))
                .isEqualTo(new PolicyDecisions.Enrichment(decision.server(), decision.enrichSensors()))
                .isEqualTo(new PolicyDecisions.Enrichment("lab", List.of("Logged In Users")));
    }

    private static Policy policy(Policy.Mode mode) throws PolicyException {
        return new PolicyLoader(Set.of("default"), AllStepTypes.ALL).load("policy.yaml", POLICY, mode);
    }

    private static CanonicalAlert alert(String host, String severity, Long pid, Instant time) {
        return new CanonicalAlert("a-" + host + "-" + pid, "canonical", "canonical", time.toString(), severity, "process", "r", host,
                null, null, new CanonicalAlert.ProcessInfo("kworker", pid, null), null, null, List.of(), null);
    }
}
