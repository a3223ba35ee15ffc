package io.github.taniumroutes.investigation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.taniumroutes.alert.CanonicalAlert;
import io.github.taniumroutes.policy.Decision;
import io.github.taniumroutes.tanium.TaniumEndpoint;

/** One request per alert carries its long steps in the rule's order; Threat Response gets the computer id. */
class InvestigationRequestsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** A flow that, like the snapshot, needs the computer id. */
    private static final InvestigationFlow NEEDS_COMPUTER_ID = new InvestigationFlow() {
        public String type() {
            return "snapshot";
        }

        public java.util.Set<String> parameters() {
            return java.util.Set.of();
        }

        public String firstPhase() {
            return "connect";
        }

        @Override
        public String cannotRunOn(Target target) {
            return target.clientId() == null ? "no computerID" : null;
        }
    };
    private final InvestigationRequests requests = new InvestigationRequests(MAPPER,
            Investigations.flows(NEEDS_COMPUTER_ID, Investigations.PROBE));
    private final CanonicalAlert alert = new CanonicalAlert("a-1", "canonical", "canonical", null, "high", null, null, "WS-0142",
            null, null, null, null, null, null);

    private static Decision.PlannedStep planned(String type, Boolean continueOnFailure) {
        return new Decision.PlannedStep(type, Map.of(), false, null, "planned", null, continueOnFailure);
    }

    private static Decision decision(Decision.PlannedStep... steps) {
        return new Decision("v1", "r", "default", false, List.of(steps));
    }

    @Test
    void theLongStepsGoInOneRequestInTheRulesOrderWithTheComputerIdAsClientId() {
        TaniumEndpoint endpoint = new TaniumEndpoint("1003", "WS-0142", "10.20.30.41", "Windows", "9065203");
        Decision decision = decision(planned("enrich", null), planned("snapshot", null), planned("probe", true),
                new Decision.PlannedStep("question", Map.of(), false, null, "not_implemented", null));

        String json = requests.requestFor(alert, endpoint, "default", decision).request();
        InvestigationRequest request = requests.read(json.getBytes(StandardCharsets.UTF_8));

        assertThat(request.steps()).extracting(PlanStep::type).containsExactly("snapshot", "probe");
        assertThat(request.steps()).extracting(PlanStep::continueOnFailure).containsExactly(false, true);
        assertThat(request.target().clientId()).isEqualTo("9065203");
        assertThat(request.target().endpointId()).isEqualTo("1003");
        assertThat(request.target().resultKey()).isEqualTo("1003");
        assertThat(request.investigationId()).as("derived from the alert id: a re-read alert names the same investigation")
                .isEqualTo(InvestigationRequest.class.cast(requests.read(requests.requestFor(alert, endpoint, "default", decision).request()
                        .getBytes(StandardCharsets.UTF_8))).investigationId());
    }

    @Test
    void aRemediationStepCarriesItsDecisionLiveOrDryThroughTheTopic() {
        TaniumEndpoint endpoint = new TaniumEndpoint("1003", "WS-0142", "10.20.30.41", "Windows", "9065203");
        Decision decision = decision(new Decision.PlannedStep("probe", Map.of(), true, false, "planned", "live: rule 'r' allows it", null),
                new Decision.PlannedStep("probe", Map.of(), true, true, "planned", "global mode: dry-run", null), planned("probe", null));

        String json = requests.requestFor(alert, endpoint, "default", decision).request();
        List<PlanStep> plan = requests.read(json.getBytes(StandardCharsets.UTF_8)).steps();

        assertThat(json).as("a live decision is written, not dropped as a default").contains("\"dryRun\":false");
        assertThat(plan).extracting(PlanStep::dryRun).containsExactly(false, true, null);
        assertThat(plan).extracting(PlanStep::why).containsExactly("live: rule 'r' allows it", "global mode: dry-run", null);
    }

    @Test
    void aStepThatCannotRunOnTheEndpointIsSkippedInTheDecisionAndStopsTheLongStepsAfterIt() {
        TaniumEndpoint noComputerId = new TaniumEndpoint("1003", "WS-0142", "10.20.30.41", "Windows");

        InvestigationRequests.Planned planned = requests.requestFor(alert, noComputerId, "default",
                decision(planned("snapshot", null), planned("probe", null)));
        String json = planned.request();

        assertThat(json).as("nothing left to run").isNull();
        Decision decided = planned.decision();
        assertThat(decided.steps()).extracting(Decision.PlannedStep::status).containsExactly("skipped", "skipped");
        assertThat(decided.steps().get(0).why()).isEqualTo("no computerID");
        assertThat(decided.steps().get(1).why()).contains("snapshot cannot run on this endpoint");
    }

    @Test
    void aStepThatIsNotImplementedOrRejectedStopsTheLongStepsAfterItUnlessItGoesOn() {
        TaniumEndpoint endpoint = new TaniumEndpoint("1003", "WS-0142", "10.20.30.41", "Windows", "9065203");
        for (String status : new String[] {"not_implemented", "rejected"}) {
            Decision decision = decision(planned("enrich", null), new Decision.PlannedStep("file-evidence", Map.of(), false, null, status, "why"),
                    planned("probe", null));

            InvestigationRequests.Planned planned = requests.requestFor(alert, endpoint, "default", decision);

            assertThat(planned.request()).as(status + ": the remediation after it does not run").isNull();
            assertThat(planned.decision().steps()).extracting(Decision.PlannedStep::status).containsExactly("planned", status, "skipped");
            assertThat(planned.decision().steps().get(2).why()).isEqualTo("step file-evidence is " + status + ", and a plan stops at a failed step");

            Decision goesOn = decision(new Decision.PlannedStep("file-evidence", Map.of(), false, null, status, "why", true), planned("probe", null));
            assertThat(requests.read(requests.requestFor(alert, endpoint, "default", goesOn).request().getBytes(StandardCharsets.UTF_8)).steps())
                    .extracting(PlanStep::type).containsExactly("probe");
        }
    }

    @Test
    void continueOnFailureOnTheStepThatCannotRunKeepsTheRest() {
        TaniumEndpoint noComputerId = new TaniumEndpoint("1003", "WS-0142", "10.20.30.41", "Windows");

        String json = requests.requestFor(alert, noComputerId, "default", decision(planned("snapshot", true), planned("probe", null)))
                .request();

        assertThat(requests.read(json.getBytes(StandardCharsets.UTF_8)).steps()).extracting(PlanStep::type).containsExactly("probe");
    }

    @Test
    void aRequestWrittenBeforeTheGatewayIdWasKeptStillReadsAndIsKeyedAsBefore() {
        // As release 0.1 wrote it before 2026-12-02: the Gateway id in clientId, no endpointId, one step in 'type'.
        String recorded = "{\"schemaVersion\":1,\"investigationId\":\"inv-1\",\"alertId\":\"a-1\",\"type\":\"snapshot\","
                + "\"server\":\"default\",\"target\":{\"clientId\":\"1003\",\"hostname\":\"WS-0142\",\"ip\":\"10.20.30.41\","
                + "\"platform\":\"Windows\"},\"rule\":\"r\",\"policyVersion\":\"v\",\"requestedAt\":\"2026-12-02T10:00:00Z\","
                + "\"connectDeadlineMs\":600000,\"snapshotDeadlineMs\":1800000}";

        InvestigationRequest request = requests.read(recorded.getBytes(StandardCharsets.UTF_8));

        assertThat(request.target().endpointId()).isNull();
        assertThat(request.target().resultKey()).isEqualTo("1003");
        assertThat(request.steps()).extracting(PlanStep::type).containsExactly("snapshot");
    }
}
