package io.github.taniumroutes.directconnect;

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

import io.github.taniumroutes.investigation.EndpointSessions;
import io.github.taniumroutes.investigation.Investigation;
import io.github.taniumroutes.investigation.InvestigationProgress;
import io.github.taniumroutes.investigation.InvestigationRequest;
import io.github.taniumroutes.investigation.Investigations;
import io.github.taniumroutes.investigation.MutableClock;
import io.github.taniumroutes.investigation.PlanStep;
import io.github.taniumroutes.investigation.Target;
import io.github.taniumroutes.tanium.ServerSettings;
import io.github.taniumroutes.tanium.TaniumSettings;

/**
 * What each Direct Connect reply means for the step: the session coming up or closing (reopened once),
 * the work in order (triage, kill, verify), the guard's outcomes, the same remediation gate as an action's,
 * the kill journaled before it is sent and never sent twice, and the audit record of every kill.
 */
class DirectConnectStepsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String READY = "{\"data\":{\"directConnectConnectionStatus\":{\"status\":\"READY\"}}}";
    private static final String CONNECTING = "{\"data\":{\"directConnectConnectionStatus\":{\"status\":\"CONNECTING\"}}}";
    private static final String CLOSED = "{\"errors\":[{\"message\":\"Direct Connect connection c-1 is not open\"}],"
            + "\"data\":{\"directConnectConnectionStatus\":null}}";
    private static final String PERFORMANCE = "{\"data\":{\"directConnectEndpoint\":{\"performance\":{\"cpuUsagePercent\":28.7}}}}";
    private static final String ALERTS = "{\"data\":{\"directConnectEndpoint\":{\"alerts\":{\"all\":[{\"type\":\"available-mem\"}]}}}}";

    private final MutableClock clock = new MutableClock(1_000);
    private final InvestigationProgress progress = Investigations.progress(clock, new DirectConnectFlow());
    private final EndpointSessions sessions = new EndpointSessions(clock);
    private final TaniumSettings servers = () -> Map.of("default", ServerSettings.of("https://t", "t"));
    private final DirectConnectDocuments documents = new DirectConnectDocuments(MAPPER, servers, "config/graphql");
    private final DirectConnectKeepAlive keepAlive = new DirectConnectKeepAlive(sessions, servers, clock);
    private final AtomicReference<String> dryRunNow = new AtomicReference<>();
    private final DirectConnectSteps steps = new DirectConnectSteps(MAPPER, progress, rule -> dryRunNow.get(), new DirectConnectReplies(MAPPER),
            documents, keepAlive, 2, 400, Duration.ofMinutes(2), Duration.ofMinutes(10), Duration.ofSeconds(2), "/plugin/products/gateway/graphql",
            clock);

    private Investigation step(Map<String, Object> parameters, Boolean dryRun) {
        Investigation investigation = Investigation.accepted(InvestigationRequest.of("inv-alert-1", "alert-1", "default",
                new Target("9065203", "WS-0142", "10.20.30.41", "Windows", "1003"), "kill-rule", "sha256:v1", "2026-11-30T09:00:00Z",
                List.of(new PlanStep("direct-connect", parameters, false, dryRun,
                        dryRun == null ? null : dryRun ? "global mode: dry-run" : "live: rule 'kill-rule' allows it and the global mode is live"))),
                0, clock.millis);
        progress.begin(investigation);
        return investigation;
    }

    private static Map<String, Object> kill(String pid) {
        return Map.of("triage", List.of(), "kill", Map.of("name", "evil.exe", "pid", pid));
    }

    /** Opened, ready, and at its first piece of work. */
    private Investigation ready(Map<String, Object> parameters, Boolean dryRun) {
        Investigation investigation = step(parameters, dryRun);
        sessions.join(investigation, DirectConnectFlow.SESSION);
        String id = steps.opened(investigation, "{\"data\":{\"directConnectOpen\":{\"connectionID\":\"c-1\",\"status\":\"CONNECTING\"}}}");
        sessions.requested(investigation, DirectConnectFlow.SESSION, id);
        steps.awaitReady(investigation);
        assertThat(steps.readySeen(investigation, "c-1", READY)).isTrue();
        steps.toWork(investigation);
        return investigation;
    }

    private static String processes(Object... pidNamePairs) {
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < pidNamePairs.length; i += 2) {
            all.append(all.length() == 0 ? "" : ",").append("{\"pid\":").append(pidNamePairs[i]).append(",\"ppid\":1,\"name\":\"")
                    .append(pidNamePairs[i + 1]).append("\",\"commandLine\":\"").append(pidNamePairs[i + 1]).append(" --x\",\"userName\":\"jdoe\"}");
        }
        return "{\"data\":{\"directConnectEndpoint\":{\"processes\":{\"all\":[" + all + "]}}}}";
    }

    @Test
    void aSessionComingUpIsWaitedForThenTheStepTriagesWithItsRowCaps() {
        Investigation investigation = step(Map.of(), null);
        sessions.join(investigation, DirectConnectFlow.SESSION);
        sessions.requested(investigation, DirectConnectFlow.SESSION,
                steps.opened(investigation, "{\"data\":{\"openDirectConnection\":{\"connectionID\":\"c-1\"}}}"));
        steps.awaitReady(investigation);
        assertThat(investigation.getPhase()).isEqualTo("await-ready");
        assertThat(investigation.getPhaseDeadline()).isEqualTo(clock.millis + Duration.ofMinutes(2).toMillis());

        assertThat(steps.readySeen(investigation, "c-1", CONNECTING)).isFalse();
        assertThat(investigation.getNextDelayMs()).as("waits on the engine's schedule").isPositive();
        assertThat(investigation.isStepRunning()).isTrue();
        assertThat(steps.readySeen(investigation, "c-1", "{\"data\":{\"pingDirectConnection\":{\"result\":true}}}")).isTrue();
        assertThat(keepAlive.isHeld("c-1")).as("kept alive from now on").isTrue();
        steps.toWork(investigation);
        assertThat(investigation.getPhase()).isEqualTo("triage");
        assertThat(steps.triageItems(investigation)).containsExactly("performance", "processes", "alerts");

        steps.triaged(investigation, "performance", PERFORMANCE);
        steps.triaged(investigation, "processes", processes(4, "System", 4242, "evil.exe", 7412, "rundll32.exe"));
        steps.triaged(investigation, "alerts", ALERTS);
        steps.triageDone(investigation);

        Map<String, Object> details = investigation.getCurrent().getDetails();
        assertThat(details.get("performance")).isEqualTo(Map.of("cpuUsagePercent", 28.7));
        assertThat((List<?>) details.get("processes")).as("maxRows 2").hasSize(2);
        assertThat(details).containsEntry("totalProcesses", 3).containsEntry("totalAlerts", 1).containsEntry("apiGeneration", "current");
        assertThat(investigation.getOutcome()).isEqualTo("completed");
        assertThat(investigation.getState()).containsEntry("connectionId", "c-1").containsEntry("triaged", "true");
        assertThat(investigation.getCurrent().getPolls()).containsEntry("ready", 2);
    }

    @Test
    void listsAreCutByBytesTooSoLongCommandLinesCannotOutgrowTheResult() {
        Investigation investigation = ready(Map.of("triage", List.of("processes"), "maxRows", "100"), null);
        String longName = "x".repeat(150);
        steps.triaged(investigation, "processes", processes(1, longName, 2, longName, 3, longName));
        assertThat((List<?>) investigation.getCurrent().getDetails().get("processes")).as("400 bytes hold one").hasSize(1);
        assertThat(investigation.getCurrent().getDetails()).containsEntry("totalProcesses", 3);
    }

    @Test
    void aSessionNeverReadyExpiresAtTheConnectDeadline() {
        Investigation investigation = step(Map.of("connectDeadline", "PT5S"), null);
        steps.awaitReady(investigation);
        clock.millis += 6_000;
        steps.readySeen(investigation, "c-1", CONNECTING);
        assertThat(investigation.getOutcome()).isEqualTo("expired");
        assertThat(investigation.getReason()).contains("was not ready before the connect deadline (last status: CONNECTING)");
    }

    @Test
    void aSessionFoundClosedIsReopenedOnceThenTheStepFailsClearly() {
        Investigation investigation = ready(Map.of("triage", List.of("processes")), null);
        assertThat(steps.sessionChecked(investigation, "c-1", CLOSED)).isFalse();
        assertThat(investigation.getPhase()).isEqualTo("reopen");
        assertThat(investigation.getCurrent().getDetails()).containsEntry("sessionReopened", true);

        assertThat(steps.reopened(investigation, "{\"data\":{\"directConnectOpen\":{\"connectionID\":\"c-2\",\"status\":\"READY\"}}}"))
                .isEqualTo("c-2");
        steps.awaitReady(investigation);
        assertThat(steps.readySeen(investigation, "c-2", READY)).isTrue();
        steps.toWork(investigation);
        assertThat(investigation.getPhase()).as("back where it was").isEqualTo("triage");

        assertThat(steps.sessionChecked(investigation, "c-2", CLOSED)).isFalse();
        assertThat(investigation.getOutcome()).isEqualTo("connection_failed");
        assertThat(investigation.getReason()).isEqualTo("the Direct Connect session to endpoint 1003 was found closed again after it had been "
                + "reopened once (Direct Connect connection c-1 is not open)");
        assertThat(investigation.getCurrent().isFailed()).isTrue();
    }

    @Test
    void theWorkGoesTriageKillVerifyAndAStepWithNothingToDoCompletes() {
        Investigation nothing = ready(Map.of("triage", List.of()), null);
        assertThat(nothing.getOutcome()).isEqualTo("completed");

        Investigation killing = ready(Map.of("kill", Map.of("process", "alert", "name", "evil.exe", "pid", "4242")), false);
        assertThat(killing.getPhase()).as("triage first (all three by default)").isEqualTo("triage");
        steps.triageDone(killing);
        assertThat(killing.getPhase()).isEqualTo("kill");
        steps.killing(killing);
        steps.toWork(killing);
        assertThat(killing.getPhase()).as("a kill asked for is never asked again: only verified").isEqualTo("verify");
    }

    @Test
    void aReusedPidOrAPidNothingRunsUnderKillsNothing() {
        Investigation reused = ready(kill("7412"), false);
        assertThat(steps.guard(reused, processes(4242, "evil.exe", 7412, "backupd"))).isNull();
        assertThat(reused.getOutcome()).isEqualTo("process_mismatch");
        assertThat(reused.getReason()).isEqualTo("pid 7412 now runs 'backupd', not the alert's 'evil.exe' (the pid was reused); nothing was killed");
        assertThat(reused.getCurrent().isFailed()).isTrue();
        assertThat(reused.getCurrent().getDetails()).containsKey("process").containsKey("guard");
        assertThat(reused.getState()).doesNotContainKey("killRequestedAt");
        assertThat(steps.needsAudit(reused)).as("nothing was killed").isFalse();

        Investigation ended = ready(kill("31337"), false);
        assertThat(steps.guard(ended, processes(4242, "evil.exe"))).isNull();
        assertThat(ended.getOutcome()).isEqualTo("process_not_found");
    }

    @Test
    void theKillAsksTheSameGateAsAnActionRightBeforeItChangesAnything() {
        assertThat(steps.dryRunReason(ready(kill("4242"), true))).isEqualTo("global mode: dry-run");
        assertThat(steps.dryRunReason(ready(kill("4242"), null))).as("no live decision recorded: dry").isNotNull();
        assertThat(steps.dryRunReason(ready(kill("4242"), false))).isNull();
        dryRunNow.set("kill switch: all remediation is dry-run");
        assertThat(steps.dryRunReason(ready(kill("4242"), false))).isEqualTo("kill switch: all remediation is dry-run (since the decision)");
    }

    @Test
    void aDryRunReportsExactlyWhatWouldBeKilledAndIsAudited() throws Exception {
        Investigation investigation = ready(kill("4242"), true);
        ProcessGuard.Verdict verdict = steps.guard(investigation, processes(4, "System", 4242, "evil.exe"));
        steps.dryRun(investigation, verdict, "c-1", steps.dryRunReason(investigation));

        assertThat(investigation.getOutcome()).isEqualTo("dry_run");
        assertThat(investigation.getReason()).isEqualTo("global mode: dry-run");
        assertThat(investigation.getCurrent().isFailed()).as("a dry run does not stop the plan").isFalse();
        JsonNode wouldKill = MAPPER.valueToTree(investigation.getCurrent().getDetails().get("wouldKill"));
        assertThat(wouldKill.path("pid").asLong()).isEqualTo(4242);
        assertThat(wouldKill.path("commandLine").asText()).isEqualTo("evil.exe --x");
        JsonNode wouldSend = MAPPER.valueToTree(investigation.getCurrent().getDetails().get("wouldSend"));
        assertThat(wouldSend.get(0).path("path").asText()).isEqualTo("/plugin/products/gateway/graphql");
        assertThat(wouldSend.get(0).path("body").path("query").asText()).contains("directConnectProcessTerminate");
        assertThat(wouldSend.get(0).path("body").path("variables"))
                .isEqualTo(MAPPER.readTree("{\"connectionID\":\"c-1\",\"name\":\"evil.exe\",\"pid\":4242}"));
        assertThat(investigation.getState()).doesNotContainKey("killRequestedAt");

        assertThat(steps.needsAudit(investigation)).isTrue();
        JsonNode audit = MAPPER.readTree(steps.auditRecord(investigation));
        assertThat(audit.path("dryRun").asBoolean()).isTrue();
        assertThat(audit.path("reason").asText()).isEqualTo("global mode: dry-run");
        assertThat(audit.path("process").path("name").asText()).isEqualTo("evil.exe");
        steps.audited(investigation);
        assertThat(steps.needsAudit(investigation)).isFalse();
    }

    @Test
    void aLiveKillIsJournaledBeforeItIsSentThenVerifiedAndAudited() throws Exception {
        Investigation investigation = ready(kill("4242"), false);
        assertThat(steps.guard(investigation, processes(4242, "evil.exe"))).isNotNull();
        steps.killing(investigation);
        assertThat(investigation.getState()).containsEntry("killPid", "4242").containsEntry("killName", "evil.exe").containsKey("killRequestedAt");
        assertThat(MAPPER.readTree(steps.killBody(investigation, "c-1")).path("variables").path("name").asText()).isEqualTo("evil.exe");

        steps.killed(investigation, "{\"data\":{\"directConnectProcessTerminate\":{\"result\":true}}}");
        assertThat(investigation.getState()).containsEntry("killResult", "true");
        assertThat(investigation.getPhase()).isEqualTo("verify");
        JsonNode audit = MAPPER.readTree(steps.auditRecord(investigation));
        assertThat(audit.path("dryRun").asBoolean()).isFalse();
        assertThat(audit.path("connectionId").asText()).isEqualTo("c-1");
        assertThat(audit.path("killResult").asText()).isEqualTo("true");
        assertThat(audit.path("process").path("pid").asLong()).isEqualTo(4242);
        assertThat(audit.path("rule").asText()).isEqualTo("kill-rule");
        assertThat(audit.path("policyVersion").asText()).isEqualTo("sha256:v1");
        assertThat(audit.path("decision").asText()).startsWith("live:");
        assertThat(audit.path("endpoint").path("id").asText()).isEqualTo("1003");

        assertThat(steps.verifyDue(investigation)).as("gives the endpoint verifyAfter first").isFalse();
        assertThat(investigation.isStepRunning()).isTrue();
        clock.millis += 2_000;
        assertThat(steps.verifyDue(investigation)).isTrue();
        steps.verified(investigation, processes(4, "System"));
        assertThat(investigation.getOutcome()).isEqualTo("killed");
        assertThat(investigation.getReason()).isNull();
        assertThat(investigation.getCurrent().getDetails()).containsEntry("processGone", true);
        assertThat(investigation.getCurrent().isFailed()).isFalse();
    }

    @Test
    void aKillTaniumRefusedMayBeAskedAgainButOneItMayHaveActedOnIsNever() {
        Investigation refused = ready(kill("4242"), false);
        steps.killing(refused);
        assertThatThrownBy(() -> steps.killRefused(refused, new HttpOperationFailedException("u", 400, "Bad Request", null, Map.of(), "")))
                .isInstanceOf(HttpOperationFailedException.class);
        assertThat(refused.getState()).doesNotContainKeys("killRequestedAt", "killPid", "killName");

        Investigation unknown = ready(kill("4242"), false);
        steps.killing(unknown);
        assertThatThrownBy(() -> steps.killRefused(unknown, new java.net.SocketTimeoutException("Read timed out")))
                .isInstanceOf(java.net.SocketTimeoutException.class);
        assertThat(unknown.getState()).containsKey("killRequestedAt");
        steps.toWork(unknown);
        assertThat(unknown.getPhase()).isEqualTo("verify");
    }

    @Test
    void aStepResumedAfterTheKillWithoutItsAnswerReportsWhatItFindsAndNeverKillsAgain() throws Exception {
        Investigation gone = ready(kill("4242"), false);
        steps.killing(gone);
        steps.toWork(gone);
        clock.millis += 2_000;
        steps.verified(gone, processes(4, "System"));
        assertThat(gone.getOutcome()).isEqualTo("killed");
        assertThat(gone.getReason()).contains("answer was never seen").contains("the process is gone");
        assertThat(gone.getCurrent().getDetails()).containsEntry("killAnswerSeen", false).containsEntry("processGone", true);
        assertThat(steps.needsAudit(gone)).as("audited after the resume").isTrue();
        assertThat(MAPPER.readTree(steps.auditRecord(gone)).path("process").path("pid").asText()).isEqualTo("4242");

        Investigation running = ready(kill("4242"), false);
        steps.killing(running);
        steps.verified(running, processes(4242, "EVIL.EXE"));
        assertThat(running.getOutcome()).isEqualTo("interrupted");
        assertThat(running.getReason()).contains("it is not killed again");
        assertThat(running.getCurrent().getDetails()).containsEntry("processGone", false);

        Investigation refusedByTanium = ready(kill("4242"), false);
        steps.killing(refusedByTanium);
        steps.killed(refusedByTanium, "{\"data\":{\"killProcess\":{\"result\":false}}}");
        steps.verified(refusedByTanium, processes(4242, "evil.exe"));
        assertThat(refusedByTanium.getOutcome()).isEqualTo("tanium_error");
        assertThat(refusedByTanium.getReason()).contains("result false");
    }

    @Test
    void aStepResumedInTheKillPhaseAfterAskingGoesToVerifyWithoutAskingAgain() {
        Investigation fresh = ready(kill("4242"), false);
        steps.triageDone(fresh);
        assertThat(steps.killAsked(fresh)).isFalse();
        assertThat(fresh.getPhase()).isEqualTo("kill");
        steps.killing(fresh);
        assertThat(steps.killAsked(fresh)).as("journaled before the mutation: resumed here, it does not ask again").isTrue();
        assertThat(fresh.getPhase()).isEqualTo("verify");
    }

    @Test
    void theVerifyDelayCanComeFromTheRule() {
        Map<String, Object> parameters = new LinkedHashMap<>(kill("4242"));
        parameters.put("kill", Map.of("name", "evil.exe", "pid", "4242", "verifyAfter", "PT10S"));
        Investigation investigation = ready(parameters, false);
        steps.killing(investigation);
        steps.killed(investigation, "{\"data\":{\"killProcess\":{\"result\":true}}}");
        clock.millis += 9_000;
        assertThat(steps.verifyDue(investigation)).isFalse();
        clock.millis += 1_000;
        assertThat(steps.verifyDue(investigation)).isTrue();
    }

    @Test
    void theReleasingStepReportsTheKeepAlivePingsOfItsSession() {
        Investigation investigation = ready(Map.of("triage", List.of("processes")), null);
        clock.millis += Duration.ofSeconds(41).toMillis();
        assertThat(keepAlive.due()).extracting(DirectConnectKeepAlive.Due::connectionId).containsExactly("c-1");
        steps.releasing(investigation, "c-1");
        assertThat(investigation.getCurrent().getDetails()).containsEntry("keepAlivePings", 1);
    }
}
