package io.github.taniumroutes.threatresponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.apache.camel.http.base.HttpOperationFailedException;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.taniumroutes.alert.CanonicalAlert;
import io.github.taniumroutes.investigation.Investigation;
import io.github.taniumroutes.investigation.InvestigationProgress;
import io.github.taniumroutes.investigation.InvestigationRequest;
import io.github.taniumroutes.investigation.Investigations;
import io.github.taniumroutes.investigation.MutableClock;
import io.github.taniumroutes.investigation.PlanStep;
import io.github.taniumroutes.investigation.Target;

/** A state written back to a Threat Response alert: when it applies, and at most once. */
class AlertStateStepsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final MutableClock clock = new MutableClock(0);
    private final InvestigationProgress progress = Investigations.progress(clock, new AlertStateFlow(), Investigations.PROBE);
    private final AlertStateSteps steps = new AlertStateSteps(MAPPER, progress, clock);

    private Investigation plan(PlanStep... plan) {
        Investigation investigation = Investigation.accepted(InvestigationRequest.of("inv", "tanium-threat-response:7", "default",
                new Target("9065203", "WS-0142", "10.0.0.1", "Windows", "1003"), "rule", "v1", "t", List.of(plan)), 0, 0);
        progress.begin(investigation);
        return investigation;
    }

    private static PlanStep state(String state, String alertId) {
        return new PlanStep("alert-state", alertId == null ? Map.of("state", state) : Map.of("state", state, "threatResponseAlertId", alertId), false);
    }

    @Test
    void renderingTakesThreatResponsesOwnIdAndSpellsTheStateItsWay() throws Exception {
        CanonicalAlert fromTr = new CanonicalAlert("tanium-threat-response:7", "tanium-threat-response", "tanium-threat-response", null, null,
                null, null, "WS-0142", null, null, null, null, null, MAPPER.readTree("{\"id\":7}"));
        assertThat(new AlertStateFlow().render(Map.of("state", "inProgress"), fromTr))
                .isEqualTo(Map.of("state", "inprogress", "threatResponseAlertId", "7"));
        CanonicalAlert other = new CanonicalAlert("splunk:1", "splunk", "splunk-notable", null, null, null, null, "WS-0142", null, null, null,
                null, null, MAPPER.readTree("{\"id\":7}"));
        assertThat(new AlertStateFlow().render(Map.of("state", "resolved"), other)).doesNotContainKey("threatResponseAlertId");
        assertThat(new AlertStateFlow().problems(Map.of("state", "closed"), null)).singleElement().asString().contains("needs a 'state'");
    }

    @Test
    void anAlertFromElsewhereOrAPlanWhoseEarlierStepDidNotCompleteIsNotWritten() {
        Investigation elsewhere = plan(state("resolved", null));
        assertThat(steps.applies(elsewhere)).isFalse();
        assertThat(elsewhere.getOutcome()).isEqualTo("not_applicable");
        assertThat(elsewhere.getCurrent().isFailed()).isFalse();

        Investigation afterDryRun = plan(new PlanStep("probe", null, false), state("resolved", "7"));
        progress.finish(afterDryRun, "dry_run", "global mode: dry-run");
        progress.advance(afterDryRun);
        assertThat(steps.applies(afterDryRun)).isFalse();
        assertThat(afterDryRun.getReason()).isEqualTo("step 1 (probe) ended dry_run, and the state is set only after every earlier step completed");

        Investigation first = plan(state("inprogress", "7"));
        assertThat(steps.applies(first)).isTrue();
    }

    @Test
    void theStateIsSetOnceAndAResumedStepReadsTheAlertBeforeAskingAgain() throws Exception {
        Investigation investigation = plan(state("resolved", "7"));
        assertThat(steps.outcomeUnknown(investigation)).isFalse();
        steps.requesting(investigation);
        assertThat(MAPPER.readTree(steps.body(investigation))).isEqualTo(MAPPER.readTree("{\"state\":\"resolved\"}"));
        assertThatThrownBy(() -> steps.refused(investigation, new java.net.SocketTimeoutException("read timed out")))
                .isInstanceOf(java.net.SocketTimeoutException.class);
        assertThat(steps.outcomeUnknown(investigation)).as("maybe set: read first").isTrue();
        assertThat(steps.alreadySet(investigation, "{\"data\":{\"id\":7,\"state\":\"resolved\"}}")).isTrue();
        assertThat(investigation.getOutcome()).isEqualTo("completed");

        Investigation refused = plan(state("resolved", "7"));
        steps.requesting(refused);
        assertThatThrownBy(() -> steps.refused(refused, new HttpOperationFailedException("u", 400, "Bad", null, Map.of(), "")))
                .isInstanceOf(HttpOperationFailedException.class);
        assertThat(steps.outcomeUnknown(refused)).as("refused: nothing was set").isFalse();

        Investigation set = plan(state("inprogress", "7"));
        assertThat(steps.alreadySet(set, "{\"id\":7,\"state\":\"unresolved\"}")).isFalse();
        steps.requesting(set);
        steps.set(set, "{\"id\":7,\"state\":\"inprogress\"}");
        assertThat(set.getOutcome()).isEqualTo("completed");
        assertThat(set.getCurrent().getDetails()).containsEntry("alertState", "inprogress");
        assertThat(MAPPER.readTree(steps.auditRecord(set)).path("threatResponseAlertId").asText()).isEqualTo("7");
    }
}
