package io.github.taniumroutes.directconnect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.github.taniumroutes.alert.CanonicalAlert;
import io.github.taniumroutes.investigation.Target;
import io.github.taniumroutes.policy.ParameterTemplate;
import io.github.taniumroutes.policy.StepType;

/** The policy's view of direct-connect: its parameters' problems, the kill made concrete for an alert, where it cannot run. */
class DirectConnectFlowTest {

    private static final StepType.PolicyContext POLICY = new StepType.PolicyContext(Set.of());
    private final DirectConnectFlow flow = new DirectConnectFlow();

    private static CanonicalAlert alert(CanonicalAlert.ProcessInfo process) {
        return new CanonicalAlert("a-1", "canonical", "canonical", "2026-11-30T09:00:00Z", "high", "process", "rule", "WS-0142", null, "1003",
                process, null, null, null);
    }

    @Test
    void triageOnlyIsNoRemediationAndKillIs() {
        assertThat(flow.isRemediation(Map.of("triage", List.of("processes")))).isFalse();
        assertThat(flow.isRemediation(Map.of("kill", Map.of("process", "alert")))).isTrue();
        assertThat(flow.firstPhase()).isEqualTo("open");
        assertThat(flow.cleanUpPhase()).isEqualTo("release");
        assertThat(flow.problems(Map.of(), POLICY)).isEmpty();
        assertThat(flow.problems(Map.of("triage", List.of("performance", "processes", "alerts"), "kill", Map.of("process", "alert",
                "verifyAfter", "PT5S"), "maxRows", "50", "connectDeadline", "PT1M", "deadline", "PT5M"), POLICY)).isEmpty();
    }

    @Test
    void everyProblemIsNamed() {
        assertThat(flow.problems(Map.of("triage", "processes"), POLICY)).containsExactly(
                "'triage' must be a list of [performance, processes, alerts], not 'processes'");
        assertThat(flow.problems(Map.of("triage", List.of("registry")), POLICY)).containsExactly(
                "triage item 'registry' is unknown; known: [performance, processes, alerts]");
        assertThat(flow.problems(Map.of("kill", "${process.pid}"), POLICY)).singleElement().asString().startsWith("'kill' must be {process: alert}");
        assertThat(flow.problems(Map.of("kill", Map.of("process", "parent")), POLICY)).containsExactly(
                "kill's 'process' can only be 'alert' (the alert's own process), not 'parent'");
        assertThat(flow.problems(Map.of("kill", Map.of("name", "${process.name}")), POLICY)).containsExactly(
                "kill needs 'process: alert', or both 'name' and 'pid' (templates of alert fields)");
        assertThat(flow.problems(Map.of("kill", Map.of("process", "alert", "pid", "1")), POLICY)).containsExactly(
                "kill takes either 'process: alert' or 'name' and 'pid', not both");
        assertThat(flow.problems(Map.of("kill", Map.of("name", "${process.image}", "pid", "${process.pid}", "signal", "9")), POLICY))
                .anySatisfy(p -> assertThat(p).startsWith("kill has an unknown key 'signal'"))
                .anySatisfy(p -> assertThat(p).startsWith("kill's name refers to unknown alert field 'process.image'"));
        assertThat(flow.problems(Map.of("kill", Map.of("process", "alert", "verifyAfter", "soon"), "maxRows", "-1"), POLICY)).containsExactly(
                "'verifyAfter' must be an ISO-8601 duration such as PT1H, not 'soon'", "'maxRows' must be a whole number of zero or more, not '-1'");
    }

    @Test
    void theAlertsProcessBecomesTheKillTargetWithWhatTheAlertGives() throws Exception {
        Map<String, Object> rendered = flow.render(Map.of("triage", List.of(), "kill", Map.of("process", "alert", "verifyAfter", "PT3S")),
                alert(new CanonicalAlert.ProcessInfo("evil \"7\".exe", 4242L, "9ba39dd15eff718ff357db346d0fda3a", "evil.exe --beacon")));
        assertThat(rendered.get("kill")).isEqualTo(Map.of("name", "evil \"7\".exe", "pid", "4242", "hash", "9ba39dd15eff718ff357db346d0fda3a",
                "commandLine", "evil.exe --beacon", "verifyAfter", "PT3S"));
        assertThat(rendered.get("triage")).isEqualTo(List.of());

        assertThat(flow.render(Map.of("kill", Map.of("process", "alert")), alert(new CanonicalAlert.ProcessInfo("evil", 7L, null))).get("kill"))
                .as("no command line or hash: none to check").isEqualTo(Map.of("name", "evil", "pid", "7"));
    }

    @Test
    void templatesAreFilledAndCheckedLikeAnActionsParameters() throws Exception {
        Map<String, Object> rendered = flow.render(Map.of("kill", Map.of("name", "${process.name}", "pid", "${process.pid}")),
                alert(new CanonicalAlert.ProcessInfo("nc", 31338L, null)));
        assertThat(rendered.get("kill")).isEqualTo(Map.of("name", "nc", "pid", "31338"));
    }

    @Test
    void anAlertWithoutAUsableProcessRejectsTheKillNamingTheField() {
        ParameterTemplate.Rejected noPid = catchThrowableOfType(ParameterTemplate.Rejected.class,
                () -> flow.render(Map.of("kill", Map.of("process", "alert")), alert(new CanonicalAlert.ProcessInfo("evil.exe", null, null))));
        assertThat(noPid).hasMessage("parameter kill.pid (from alert field 'process.pid'): the alert has no value for it");
        ParameterTemplate.Rejected controlCharacter = catchThrowableOfType(ParameterTemplate.Rejected.class,
                () -> flow.render(Map.of("kill", Map.of("process", "alert")), alert(new CanonicalAlert.ProcessInfo("evil\n.exe", 1L, null))));
        assertThat(controlCharacter.field()).isEqualTo("process.name");
        ParameterTemplate.Rejected badHash = catchThrowableOfType(ParameterTemplate.Rejected.class,
                () -> flow.render(Map.of("kill", Map.of("process", "alert")), alert(new CanonicalAlert.ProcessInfo("e", 1L, "not-a-hash"))));
        assertThat(badHash.parameter()).isEqualTo("kill.hash");
        assertThat(catchThrowableOfType(ParameterTemplate.Rejected.class,
                () -> flow.render(Map.of("kill", Map.of("process", "alert")), alert(null)))).isNotNull();
    }

    @Test
    void itCannotRunWithoutAGatewayEndpointId() {
        assertThat(flow.cannotRunOn(new Target("9065203", "h", null, "Windows", null))).contains("Gateway endpoint id");
        assertThat(flow.cannotRunOn(new Target(null, "h", null, "Windows", "1003"))).isNull();
    }
}
