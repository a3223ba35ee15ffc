package io.github.taniumroutes.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.camel.http.base.HttpOperationFailedException;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.taniumroutes.investigation.Investigation;
import io.github.taniumroutes.investigation.InvestigationProgress;
import io.github.taniumroutes.investigation.Investigations;
import io.github.taniumroutes.investigation.MutableClock;
import io.github.taniumroutes.investigation.PlanStep;
import io.github.taniumroutes.tanium.ServerSettings;
import io.github.taniumroutes.tanium.TaniumSettings;

/** What each Tanium reply does to an action step: the requests, the next phase, a wait, or an outcome. */
class ActionStepsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String PACKAGE = "{\"data\":{\"id\":173205,\"name\":\"Kill Process\",\"expire_seconds\":600,"
            + "\"parameter_definition\":\"{\\\"parameters\\\":[{\\\"key\\\":\\\"$1\\\",\\\"label\\\":\\\"PID\\\",\\\"minimum\\\":1,"
            + "\\\"maximum\\\":4194304,\\\"model\\\":\\\"com.tanium.components.parameters::NumericParameter\\\"}]}\"}}";

    private final MutableClock clock = new MutableClock(1_000);
    private final InvestigationProgress progress = Investigations.progress(clock, new ActionFlow());
    private final AtomicReference<String> dryRunNow = new AtomicReference<>();
    private final TaniumSettings servers = () -> Map.of("default", ServerSettings.of("https://t", "t"),
            "timed", ServerSettings.of("https://t", "t").withActions("7", 120, 30));
    private final ActionSteps steps = new ActionSteps(MAPPER, progress, rule -> dryRunNow.get(), servers, 90, 3600, 0,
            Duration.ofMinutes(60), Duration.ofMinutes(30), "Tanium Response Routes", clock);

    private Investigation action(Map<String, Object> parameters, Boolean dryRun) {
        Map<String, Object> all = new LinkedHashMap<>(Map.of("package", "Kill Process", "parameters", Map.of("$1", "4242")));
        all.putAll(parameters);
        Investigation investigation = Investigation.accepted(Investigations.request("alert-1", "9065203",
                new PlanStep("action", all, false, dryRun, dryRun == null ? null : dryRun ? "global mode: dry-run" : "live: rule allows it")),
                0, clock.millis);
        progress.begin(investigation);
        return investigation;
    }

    private Investigation live() {
        return action(Map.of(), false);
    }

    private ActionSteps.Prepared prepared(Investigation investigation) throws Exception {
        return steps.prepare(investigation, "2543851", TaniumPackage.read(MAPPER, PACKAGE));
    }

    private Investigation issued() throws Exception {
        Investigation investigation = live();
        ActionSteps.Prepared prepared = prepared(investigation);
        steps.needsTargetGroup(investigation, prepared);
        steps.targeted(investigation, "{\"data\":{\"id\":2543696}}");
        steps.issuing(investigation);
        steps.issued(investigation, "{\"data\":{\"id\":1362688,\"status\":\"Pending\"}}");
        return investigation;
    }

    @Test
    void theActionBodyHasTheSeedsShapeWithTheCheckedParametersAndANameThatCarriesTheAlert() throws Exception {
        Investigation investigation = live();
        ActionSteps.Prepared prepared = prepared(investigation);
        assertThat(steps.needsTargetGroup(investigation, prepared)).as("an ad-hoc group is created").isTrue();
        assertThat(MAPPER.readTree(steps.groupBody(prepared)).path("text").asText())
                .isEqualTo("Computer Name equals \"host-9065203\" and Computer ID equals \"9065203\"");
        steps.targeted(investigation, "{\"data\":{\"id\":2543696}}");

        JsonNode body = MAPPER.readTree(steps.issueBody(investigation, prepared));

        assertThat(body.path("action_group").path("id").asLong()).isEqualTo(2543851);
        assertThat(body.path("target_group").path("id").asLong()).isEqualTo(2543696);
        assertThat(body.path("target_group").path("not_flag").asBoolean(true)).isFalse();
        assertThat(body.path("package_spec").path("source_id").asLong()).isEqualTo(173205);
        assertThat(body.path("package_spec").path("parameters")).isEqualTo(MAPPER.readTree("[{\"key\":\"$1\",\"value\":\"4242\"}]"));
        assertThat(body.path("expire_seconds").asInt()).as("the package's expiry").isEqualTo(600);
        assertThat(body.path("distribute_seconds").asInt()).isZero();
        assertThat(body.path("name").asText()).startsWith("Tanium Response Routes ").endsWith(" alert alert-1")
                .isEqualTo(steps.actionName(live()));
        assertThat(investigation.getState()).containsEntry("actionGroupId", "2543851").containsEntry("packageId", "173205")
                .containsEntry("targetGroupId", "2543696");
    }

    @Test
    void expiryAndSpreadComeFromTheRuleThenTheServerThenThePackage() throws Exception {
        Investigation ruled = action(Map.of("expireSeconds", 900, "distributeSeconds", 60), false);
        assertThat(prepared(ruled).expireSeconds()).isEqualTo(900);
        assertThat(prepared(ruled).distributeSeconds()).isEqualTo(60);
        Investigation onTimedServer = Investigation.accepted(io.github.taniumroutes.investigation.InvestigationRequest.of("inv", "a", "timed",
                live().getTarget(), "rule", "v1", "t",
                List.of(new PlanStep("action", Map.of("package", "Kill Process", "parameters", Map.of("$1", "4")), false, false, null))), 0, 0);
        progress.begin(onTimedServer);
        assertThat(prepared(onTimedServer).expireSeconds()).isEqualTo(120);
        assertThat(prepared(onTimedServer).distributeSeconds()).isEqualTo(30);
    }

    @Test
    void aFilterGroupIsTargetedAsItIsWithoutAnAdHocGroup() throws Exception {
        Investigation investigation = action(Map.of("targetGroup", "132113"), false);
        ActionSteps.Prepared prepared = prepared(investigation);
        assertThat(steps.needsTargetGroup(investigation, prepared)).isFalse();
        JsonNode target = MAPPER.readTree(steps.issueBody(investigation, prepared)).path("target_group");
        assertThat(target.path("id").asLong()).isEqualTo(132113);
        assertThat(target.path("filter_flag").asBoolean()).isTrue();
    }

    @Test
    void aValueThePackageRefusesRejectsTheStepNamingIt() throws Exception {
        Investigation investigation = action(Map.of("parameters", Map.of("$1", "0")), false);
        assertThat(prepared(investigation)).isNull();
        assertThat(investigation.getOutcome()).isEqualTo("rejected");
        assertThat(investigation.getReason()).contains("parameter $1 (PID): 0 is below the package's minimum 1").endsWith("nothing was issued");
        assertThat(investigation.getCurrent().isFailed()).isTrue();
    }

    @Test
    void anEndpointNameThatCannotBeWrittenSafelyRejectsTheStep() throws Exception {
        Investigation investigation = Investigation.accepted(io.github.taniumroutes.investigation.InvestigationRequest.of("inv", "a", "default",
                new io.github.taniumroutes.investigation.Target("1", "WS\nComputer Name contains x", null, "Windows", "1003"), "rule", "v1", "t",
                List.of(new PlanStep("action", Map.of("package", "Kill Process", "parameters", Map.of("$1", "4")), false, false, null))), 0, 0);
        progress.begin(investigation);
        assertThat(prepared(investigation)).isNull();
        assertThat(investigation.getOutcome()).isEqualTo("rejected");
        assertThat(investigation.getReason()).contains("control character");
    }

    @Test
    void aDryRunIsDecidedAtIntakeOrNowAndReportsTheRequestsItWouldSend() throws Exception {
        assertThat(steps.dryRunReason(action(Map.of(), true))).isEqualTo("global mode: dry-run");
        assertThat(steps.dryRunReason(action(Map.of(), null))).as("no decision recorded: dry").isNotNull();
        assertThat(steps.dryRunReason(live())).as("live").isNull();
        dryRunNow.set("kill switch: all remediation is dry-run");
        assertThat(steps.dryRunReason(live())).isEqualTo("kill switch: all remediation is dry-run (since the decision)");

        Investigation investigation = action(Map.of(), true);
        steps.dryRun(investigation, prepared(investigation), "global mode: dry-run");

        assertThat(investigation.getOutcome()).isEqualTo("dry_run");
        assertThat(investigation.getCurrent().isFailed()).as("a dry run does not stop the plan").isFalse();
        JsonNode wouldSend = MAPPER.valueToTree(investigation.getCurrent().getDetails().get("wouldSend"));
        assertThat(wouldSend).extracting(r -> r.path("path").asText()).containsExactly("/api/v2/groups", "/api/v2/actions");
        assertThat(wouldSend.get(1).path("body").path("package_spec").path("parameters").get(0).path("value").asText()).isEqualTo("4242");
        assertThat(wouldSend.get(0).path("body").path("text").asText()).as("bodies as JSON, not as text")
                .isEqualTo("Computer Name equals \"host-9065203\" and Computer ID equals \"9065203\"");
        assertThat(investigation.getState()).doesNotContainKeys("issueRequestedAt", "actionId");
    }

    @Test
    void issuedTheActionIdIsKeptAndTheApprovalDeadlineStarts() throws Exception {
        Investigation investigation = issued();
        assertThat(investigation.getState()).containsEntry("actionId", "1362688").containsKey("issueRequestedAt")
                .containsEntry("actionName", steps.actionName(investigation));
        assertThat(investigation.getPhase()).isEqualTo("await-approval");
        assertThat(investigation.getPhaseDeadline()).isEqualTo(clock.millis + Duration.ofMinutes(60).toMillis());
        assertThat(steps.needsAudit(investigation)).isTrue();
        steps.audited(investigation);
        assertThat(steps.needsAudit(investigation)).isFalse();
    }

    @Test
    void aRefusedRequestMayBeAskedAgainButOneTaniumMayHaveActedOnIsFoundByNameInstead() throws Exception {
        Investigation refused = live();
        steps.issuing(refused);
        assertThatThrownBy(() -> steps.issueRefused(refused, new HttpOperationFailedException("u", 400, "Bad Request", null, Map.of(), "")))
                .isInstanceOf(HttpOperationFailedException.class);
        assertThat(refused.getState()).doesNotContainKey("issueRequestedAt");
        assertThat(steps.outcomeUnknown(refused)).isFalse();

        Investigation unknown = live();
        steps.issuing(unknown);
        assertThatThrownBy(() -> steps.issueRefused(unknown, new java.net.SocketTimeoutException("Read timed out")))
                .isInstanceOf(java.net.SocketTimeoutException.class);
        assertThat(unknown.getState()).containsKey("issueRequestedAt");
        assertThat(steps.outcomeUnknown(unknown)).isTrue();
        assertThat(unknown.getPhase()).isEqualTo("find");
    }

    @Test
    void aResumedStepFollowsTheActionOfItsNameAndNeverIssuesAgain() throws Exception {
        Investigation investigation = live();
        steps.issuing(investigation);
        String name = investigation.getState().get("actionName");
        assertThat(MAPPER.readTree(steps.findOptions(investigation)))
                .isEqualTo(MAPPER.readTree("{\"cache_filters\":[{\"field\":\"name\",\"operator\":\"Equal\",\"value\":" + MAPPER.writeValueAsString(name) + "}]}"));

        steps.found(investigation, "{\"data\":[{\"id\":77,\"name\":\"someone else's\"},{\"id\":1362700,\"name\":" + MAPPER.writeValueAsString(name)
                + "},{\"id\":1362688,\"name\":" + MAPPER.writeValueAsString(name) + "},{\"cache_info\":{\"cache_id\":1}}]}");

        assertThat(investigation.getState()).containsEntry("actionId", "1362688");
        assertThat(investigation.getPhase()).isEqualTo("await-approval");
        assertThat(investigation.getCurrent().getDetails()).containsEntry("sameNameActionIds", List.of("1362688", "1362700"));

        Investigation lost = live();
        steps.issuing(lost);
        steps.found(lost, "{\"data\":[{\"id\":77,\"name\":\"someone else's\"},{\"cache_info\":{}}]}");
        assertThat(lost.getOutcome()).isEqualTo("interrupted");
        assertThat(lost.getReason()).contains("it is not issued again");
    }

    @Test
    void pendingWaitsForTheApproverUntilTheDeadlineThenExpires() throws Exception {
        Investigation investigation = issued();
        steps.actionSeen(investigation, "{\"data\":{\"id\":1362688,\"status\":\"Pending\",\"expiration_time\":\"2026-12-07T18:00:00Z\"}}");
        assertThat(investigation.getOutcome()).isNull();
        assertThat(investigation.getNextDelayMs()).isEqualTo(100);
        assertThat(investigation.getCurrent().getDetails()).containsEntry("approval", "pending");

        clock.millis += Duration.ofMinutes(61).toMillis();
        steps.actionSeen(investigation, "{\"data\":{\"id\":1362688,\"status\":\"Pending\"}}");
        assertThat(investigation.getOutcome()).isEqualTo("expired");
        assertThat(investigation.getReason()).contains("not approved before the approval deadline");
    }

    @Test
    void declinedIsRefusedExpiredIsExpiredAndActiveMovesOnToTheResults() throws Exception {
        Investigation declined = issued();
        steps.actionSeen(declined, "{\"data\":{\"id\":1362688,\"status\":\"Stopped\",\"stopped_flag\":true,\"approver\":{\"name\":\"jane\"}}}");
        assertThat(declined.getOutcome()).isEqualTo("refused");
        assertThat(declined.getReason()).isEqualTo("Tanium reports the action Stopped before it ran (approver jane)");

        Investigation expired = issued();
        steps.actionSeen(expired, "{\"data\":{\"id\":1362688,\"status\":\"Expired\"}}");
        assertThat(expired.getOutcome()).isEqualTo("expired");

        Investigation active = issued();
        steps.actionSeen(active, "{\"data\":{\"id\":1362688,\"status\":\"Pending\"}}");
        steps.actionSeen(active, "{\"data\":{\"id\":1362688,\"status\":\"Active\"}}");
        assertThat(active.getPhase()).isEqualTo("await-results");
        assertThat(active.getPhaseDeadline()).isEqualTo(clock.millis + Duration.ofMinutes(30).toMillis());
        assertThat(active.getCurrent().getDetails()).containsEntry("approval", "approved").containsEntry("actionStatus", "Active");
    }

    private static String results(long total, long tested, String... rows) {
        StringBuilder json = new StringBuilder("{\"data\":{\"result_sets\":[{\"estimated_total\":" + total + ",\"mr_tested\":" + tested
                + ",\"columns\":[{\"name\":\"Computer Name\"},{\"name\":\"Action Statuses\"},{\"name\":\"Count\"}],\"rows\":[");
        for (int i = 0; i < rows.length; i += 3) {
            json.append(i == 0 ? "" : ",").append("{\"cid\":").append(rows[i + 1]).append(",\"data\":[[{\"text\":\"").append(rows[i])
                    .append("\"}],[{\"text\":\"").append(rows[i + 2]).append("\"}],[{\"text\":\"1\"}]]}");
        }
        return json.append("]}]}}").toString();
    }

    private Investigation awaitingResults(Map<String, Object> parameters) throws Exception {
        Investigation investigation = action(parameters, false);
        ActionSteps.Prepared prepared = prepared(investigation);
        steps.needsTargetGroup(investigation, prepared);
        steps.issuing(investigation);
        steps.issued(investigation, "{\"data\":{\"id\":1362688,\"status\":\"Active\"}}");
        steps.actionSeen(investigation, "{\"data\":{\"id\":1362688,\"status\":\"Active\"}}");
        return investigation;
    }

    @Test
    void theEndpointsOwnRowEndsASingleEndpointAction() throws Exception {
        Investigation running = awaitingResults(Map.of());
        steps.resultsSeen(running, results(1, 0, "host-9065203", "9065203", "1362688:Running."));
        assertThat(running.getOutcome()).isNull();
        steps.resultsSeen(running, results(1, 1, "host-9065203", "9065203", "1362688:Completed."));
        assertThat(running.getOutcome()).isEqualTo("completed");
        assertThat(running.getCurrent().getPolls()).containsEntry("results", 2);

        Investigation failed = awaitingResults(Map.of());
        steps.resultsSeen(failed, results(1, 1, "other", "1", "1362688:Completed.", "host-9065203", "9065203", "1362688:Failed."));
        assertThat(failed.getOutcome()).isEqualTo("failed");
        assertThat(failed.getReason()).isEqualTo("the endpoint reports the action Failed");

        Investigation silent = awaitingResults(Map.of());
        clock.millis += Duration.ofMinutes(31).toMillis();
        steps.resultsSeen(silent, results(0, 0));
        assertThat(silent.getOutcome()).isEqualTo("expired");
    }

    @Test
    void aFilterGroupActionEndsAtTheThresholdFailedWhenAnyEndpointFailed() throws Exception {
        Investigation investigation = awaitingResults(Map.of("targetGroup", "132113", "completionPercent", 95));
        steps.resultsSeen(investigation, results(0, 3, "a", "1", "1362688:Completed."));
        assertThat(investigation.getOutcome()).as("total not known yet").isNull();
        steps.resultsSeen(investigation, results(100, 94, "a", "1", "1362688:Completed."));
        assertThat(investigation.getOutcome()).as("94 % of 95").isNull();
        steps.resultsSeen(investigation, results(100, 103, "a", "1", "1362688:Completed.", "b", "2", "1362688:Expired."));
        assertThat(investigation.getOutcome()).isEqualTo("failed");
        assertThat(investigation.getReason()).isEqualTo("1 of 2 endpoints report the action failed or expired");

        Investigation clean = awaitingResults(Map.of("targetGroup", "132113"));
        steps.resultsSeen(clean, results(10, 9, "a", "1", "1362688:Completed.", "b", "2", "1362688:Waiting."));
        assertThat(clean.getOutcome()).isEqualTo("completed");
    }

    @Test
    void theAuditRecordNamesEveryTaniumIdAndTheDecision() throws Exception {
        JsonNode audit = MAPPER.readTree(steps.auditRecord(issued()));
        assertThat(audit.path("actionId").asText()).isEqualTo("1362688");
        assertThat(audit.path("actionGroupId").asText()).isEqualTo("2543851");
        assertThat(audit.path("targetGroupId").asText()).isEqualTo("2543696");
        assertThat(audit.path("packageId").asText()).isEqualTo("173205");
        assertThat(audit.path("package").asText()).isEqualTo("Kill Process");
        assertThat(audit.path("decision").asText()).isEqualTo("live: rule allows it");
        assertThat(audit.path("alertId").asText()).isEqualTo("alert-1");
        assertThat(audit.path("auditId").asText()).isEqualTo(MAPPER.readTree(steps.auditRecord(issued())).path("auditId").asText());
    }
}
