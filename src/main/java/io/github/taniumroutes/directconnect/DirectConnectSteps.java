package io.github.taniumroutes.directconnect;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.taniumroutes.investigation.Investigation;
import io.github.taniumroutes.investigation.InvestigationProgress;
import io.github.taniumroutes.investigation.Target;
import io.github.taniumroutes.policy.PlaybookPolicy;
import io.github.taniumroutes.publish.ResultIds;
import io.github.taniumroutes.tanium.TaniumErrors;
import io.github.taniumroutes.tanium.TaniumJson;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/**
 * What each reply of a Direct Connect step (routes/direct-connect.yaml) means for the investigation: the
 * next phase, another wait, or an outcome. The step's journaled state keeps the session's
 * {@code connectionId}, the marks of what is done ({@code triaged}, {@code reopened}) and the kill's
 * ({@code killRequestedAt}, {@code killPid}, {@code killName}, then {@code killResult}, {@code audited});
 * its result adds the triage records, the guard's verdict, the process, and whether it is gone.
 *
 * <p>Outcomes: {@code completed} (triage); {@code killed}; {@code process_mismatch} (the pid runs another
 * process now) and {@code process_not_found} (nothing runs under it): nothing was killed; {@code dry_run}
 * (what would be killed, and the request); {@code connection_failed} (the session could not be opened, or
 * closed again after it was reopened once); {@code interrupted} (the kill was asked for, its answer never
 * seen, and the process still runs: it is not killed again); and the engine's {@code expired} and
 * {@code tanium_error}.
 */
@Singleton
@Named("directConnectSteps")
public class DirectConnectSteps {

    static final String CONNECTION_ID = "connectionId";
    static final String TRIAGED = "triaged";
    static final String REOPENED = "reopened";
    static final String KILL_REQUESTED_AT = "killRequestedAt";
    static final String KILL_PID = "killPid";
    static final String KILL_NAME = "killName";
    static final String KILL_RESULT = "killResult";
    static final String AUDITED = "audited";

    private final ObjectMapper mapper;
    private final InvestigationProgress progress;
    /** Why a live decision of a rule must not run now (PlaybookPolicy#dryRunNow), or null. */
    private final UnaryOperator<String> dryRunNow;
    private final DirectConnectReplies replies;
    private final DirectConnectDocuments documents;
    private final DirectConnectKeepAlive keepAlive;
    private final int maxRows;
    private final int maxListBytes;
    private final Duration connectDeadline;
    private final Duration deadline;
    private final Duration verifyAfter;
    private final String gatewayPath;
    private final Clock clock;

    @Inject
    public DirectConnectSteps(ObjectMapper mapper, InvestigationProgress progress, PlaybookPolicy policy, DirectConnectReplies replies,
            DirectConnectDocuments documents, DirectConnectKeepAlive keepAlive,
            @ConfigProperty(name = "direct-connect.max-rows") int maxRows,
            @ConfigProperty(name = "direct-connect.max-list-bytes") int maxListBytes,
            @ConfigProperty(name = "direct-connect.connect-deadline") Duration connectDeadline,
            @ConfigProperty(name = "direct-connect.deadline") Duration deadline,
            @ConfigProperty(name = "direct-connect.verify-after") Duration verifyAfter,
            @ConfigProperty(name = "tanium.gateway.path") String gatewayPath) {
        this(mapper, progress, policy::dryRunNow, replies, documents, keepAlive, maxRows, maxListBytes, connectDeadline, deadline, verifyAfter,
                gatewayPath, Clock.systemUTC());
    }

    public DirectConnectSteps(ObjectMapper mapper, InvestigationProgress progress, UnaryOperator<String> dryRunNow, DirectConnectReplies replies,
            DirectConnectDocuments documents, DirectConnectKeepAlive keepAlive, int maxRows, int maxListBytes, Duration connectDeadline,
            Duration deadline, Duration verifyAfter, String gatewayPath, Clock clock) {
        this.mapper = mapper;
        this.progress = progress;
        this.dryRunNow = dryRunNow;
        this.replies = replies;
        this.documents = documents;
        this.keepAlive = keepAlive;
        this.maxRows = maxRows;
        this.maxListBytes = maxListBytes;
        this.connectDeadline = connectDeadline;
        this.deadline = deadline;
        this.verifyAfter = verifyAfter;
        this.gatewayPath = gatewayPath;
        this.clock = clock;
    }

    // ---- the session ----

    /** Tanium's answer to the open: the session's id (journaled, and the endpoint's shared session from now). */
    public String opened(Investigation investigation, String reply) {
        String id = replies.opened(reply).connectionId();
        progress.remember(investigation, CONNECTION_ID, id);
        return id;
    }

    /** On to await-ready, within the connect deadline. */
    public void awaitReady(Investigation investigation) {
        progress.moveTo(investigation, "await-ready", parameter(investigation, "connectDeadline", connectDeadline));
    }

    /** Another investigation is opening the endpoint's session and has not asked Tanium yet: wait. */
    public void notYetOpened(Investigation investigation) {
        progress.waitOrExpire(investigation, "no Direct Connect session to endpoint " + endpoint(investigation)
                + " was opened before the connect deadline");
    }

    /** The session's status while it comes up: true once ready (held and kept alive from now on). */
    public boolean readySeen(Investigation investigation, String connectionId, String reply) {
        progress.polled(investigation, "ready");
        return statusSeen(investigation, connectionId, reply, "was not ready before the connect deadline");
    }

    /**
     * The status check a phase makes before it uses the session: true when ready; a session found closed is
     * reopened once (phase reopen), then the step fails.
     */
    public boolean sessionChecked(Investigation investigation, String connectionId, String reply) {
        return statusSeen(investigation, connectionId, reply, "was not ready again before the deadline");
    }

    /** Ready: held from now on; connecting: wait (or expire, saying the session {@code notReady}); else lost. */
    private boolean statusSeen(Investigation investigation, String connectionId, String reply, String notReady) {
        DirectConnectReplies.Status status = replies.status(reply);
        switch (status.state()) {
            case READY -> {
                ready(investigation, connectionId);
                return true;
            }
            case CONNECTING -> progress.waitOrExpire(investigation, "the Direct Connect session to endpoint " + endpoint(investigation)
                    + " " + notReady + " (last status: " + status.detail() + ")");
            default -> lost(investigation, status.detail());
        }
        return false;
    }

    private void ready(Investigation investigation, String connectionId) {
        keepAlive.held(investigation, connectionId);
        progress.report(investigation, "apiGeneration", documents.generation(investigation.getServer()));
        if (!connectionId.equals(investigation.getState().get(CONNECTION_ID))) {
            progress.remember(investigation, CONNECTION_ID, connectionId);
        }
    }

    /** Tanium closed the session (or does not know it): reopened once, then the step ends connection_failed. */
    public void lost(Investigation investigation, String why) {
        if (investigation.getState().containsKey(REOPENED)) {
            progress.fail(investigation, "connection_failed", "the Direct Connect session to endpoint " + endpoint(investigation)
                    + " was found closed again after it had been reopened once (" + why + ")");
            return;
        }
        progress.remember(investigation, REOPENED, "true");
        progress.report(investigation, "sessionReopened", true);
        progress.moveTo(investigation, "reopen");
    }

    /** Tanium's answer to the reopen: the new session's id. */
    public String reopened(Investigation investigation, String reply) {
        return opened(investigation, reply);
    }

    /** On to the next piece of work the step has: triage, kill, verify; or the step is complete. */
    public void toWork(Investigation investigation) {
        Map<String, String> state = investigation.getState();
        String next;
        if (!state.containsKey(TRIAGED) && !triageItems(investigation).isEmpty()) {
            next = "triage";
        } else if (!state.containsKey(KILL_REQUESTED_AT) && kills(investigation)) {
            next = "kill";
        } else if (state.containsKey(KILL_REQUESTED_AT)) {
            next = "verify";
        } else {
            progress.complete(investigation);
            return;
        }
        progress.moveTo(investigation, next, parameter(investigation, "deadline", deadline));
    }

    // ---- triage ----

    /** The triage items the rule asks for: all three when it says nothing. */
    public List<String> triageItems(Investigation investigation) {
        Object items = investigation.getParameters().get("triage");
        if (items instanceof List<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        return DirectConnectFlow.TRIAGE;
    }

    public boolean triages(Investigation investigation, String item) {
        return triageItems(investigation).contains(item);
    }

    /**
     * One triage read's records into the result, each list cut at maxRows and at
     * {@code direct-connect.max-list-bytes} of JSON (long command lines add up), its total kept.
     */
    public void triaged(Investigation investigation, String item, String reply) {
        keepAlive.touched(investigation.getState().get(CONNECTION_ID));
        switch (item) {
            case "performance" -> progress.report(investigation, "performance", replies.performance(reply));
            case "processes" -> capped(investigation, "processes", "totalProcesses", replies.processes(reply));
            case "alerts" -> capped(investigation, "alerts", "totalAlerts", replies.alerts(reply));
            default -> throw new IllegalArgumentException("unknown triage item " + item);
        }
    }

    public void triageDone(Investigation investigation) {
        progress.remember(investigation, TRIAGED, "true");
        toWork(investigation);
    }

    private void capped(Investigation investigation, String field, String total, List<Map<String, Object>> records) {
        int cap = rows(investigation);
        List<Map<String, Object>> kept = new ArrayList<>();
        long bytes = 0;
        for (Map<String, Object> record : records) {
            bytes += TaniumJson.write(mapper, record).length() + 1;
            if (kept.size() >= cap || bytes > maxListBytes) {
                break;
            }
            kept.add(record);
        }
        progress.report(investigation, field, kept);
        progress.report(investigation, total, records.size());
    }

    // ---- kill ----

    /**
     * True when the step already asked Tanium to kill (it resumed in the kill phase after the instance stopped
     * around the mutation): it never asks again, and moves on to look whether the process is gone.
     */
    public boolean killAsked(Investigation investigation) {
        if (investigation.getState().containsKey(KILL_REQUESTED_AT)) {
            progress.moveTo(investigation, "verify", parameter(investigation, "deadline", deadline));
            return true;
        }
        return false;
    }

    public boolean kills(Investigation investigation) {
        return investigation.getParameters().get("kill") instanceof Map<?, ?>;
    }

    /**
     * The pid-reuse guard on the process list read right before the kill: the verdict when the pid still runs
     * the alert's process; otherwise the step ends process_mismatch or process_not_found, and null.
     */
    public ProcessGuard.Verdict guard(Investigation investigation, String reply) {
        keepAlive.touched(investigation.getState().get(CONNECTION_ID));
        ProcessGuard.Verdict verdict = ProcessGuard.check(target(investigation), replies.processes(reply),
                ProcessGuard.isWindows(investigation.getTarget().platform()));
        progress.report(investigation, "guard", verdict.checked());
        if (verdict.process() != null) {
            progress.report(investigation, "process", verdict.process());
        }
        switch (verdict.kind()) {
            case MISMATCH -> progress.fail(investigation, "process_mismatch", verdict.reason());
            case NOT_FOUND -> progress.fail(investigation, "process_not_found", verdict.reason());
            default -> {
                return verdict;
            }
        }
        return null;
    }

    /**
     * Why the kill must not happen now, or null when it runs live: the same decision as an action's, asked
     * right before anything changes (PlanStep#dryRunReason: the decision at intake, then the kill switch, the
     * mode and the rule as they are now).
     */
    public String dryRunReason(Investigation investigation) {
        return investigation.getPlanned().dryRunReason(investigation.getRequest().rule(), dryRunNow);
    }

    /** A dry run: exactly what would be killed, and the request that would kill it; nothing is sent. */
    public void dryRun(Investigation investigation, ProcessGuard.Verdict verdict, String connectionId, String reason) {
        progress.report(investigation, "wouldKill", verdict.process());
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("method", "POST");
        request.put("path", gatewayPath);
        request.put("body", TaniumJson.read(mapper, documents.kill(investigation, connectionId, target(investigation)), "kill request"));
        progress.report(investigation, "wouldSend", List.of(request));
        progress.finish(investigation, "dry_run", reason);
    }

    /** Journaled before the kill mutation: a step that resumes with this mark never sends it again. */
    public void killing(Investigation investigation) {
        ProcessGuard.KillTarget target = target(investigation);
        progress.remember(investigation, KILL_PID, target.pid());
        progress.remember(investigation, KILL_NAME, target.name());
        progress.remember(investigation, KILL_REQUESTED_AT, Instant.ofEpochMilli(clock.millis()).toString());
    }

    /** The kill mutation's body. */
    public String killBody(Investigation investigation, String connectionId) {
        return documents.kill(investigation, connectionId, target(investigation));
    }

    /** Tanium answered the kill: its result is journaled; then the process list is read again (verify). */
    public void killed(Investigation investigation, String reply) {
        keepAlive.touched(investigation.getState().get(CONNECTION_ID));
        progress.remember(investigation, KILL_RESULT, replies.result(reply, "kill"));
        progress.moveTo(investigation, "verify", parameter(investigation, "deadline", deadline));
    }

    /**
     * The kill request failed. When Tanium certainly did nothing with it (it refused it, or was never asked)
     * the mark goes and the phase may ask again; otherwise the mark stays, and the step, run again, only
     * looks whether the process is gone: it never sends the kill a second time.
     */
    public void killRefused(Investigation investigation, Exception refusal) throws Exception {
        if (TaniumErrors.nothingDone(refusal)) {
            progress.remember(investigation, KILL_REQUESTED_AT, null);
            progress.remember(investigation, KILL_PID, null);
            progress.remember(investigation, KILL_NAME, null);
        }
        throw refusal;
    }

    // ---- verify ----

    /** Whether the process list may be read again: {@code verifyAfter} after the kill (the step waits on the engine's schedule till then). */
    public boolean verifyDue(Investigation investigation) {
        Object given = investigation.getParameters().get("kill") instanceof Map<?, ?> kill ? kill.get("verifyAfter") : null;
        if (progress.phaseLasted(investigation, given == null ? verifyAfter.toString() : String.valueOf(given))) {
            return true;
        }
        progress.waitOrExpire(investigation, "the process list could not be read again after the kill before the deadline");
        return false;
    }

    /** The process list after the kill: whether the process is gone, and the step's outcome. */
    public void verified(Investigation investigation, String reply) {
        keepAlive.touched(investigation.getState().get(CONNECTION_ID));
        Map<String, String> state = investigation.getState();
        long pid = Long.parseLong(state.get(KILL_PID));
        String name = state.get(KILL_NAME);
        boolean windows = ProcessGuard.isWindows(investigation.getTarget().platform());
        boolean stillRuns = replies.processes(reply).stream().anyMatch(p -> String.valueOf(p.get("pid")).equals(String.valueOf(pid))
                && (windows ? ProcessGuard.baseName(name).equalsIgnoreCase(String.valueOf(p.get("name")))
                        : ProcessGuard.baseName(name).equals(String.valueOf(p.get("name")))));
        progress.report(investigation, "processGone", !stillRuns);
        String result = state.get(KILL_RESULT);
        if ("true".equals(result)) {
            progress.finish(investigation, "killed", stillRuns ? "Tanium reported the kill done, and the process still ran when the list was "
                    + "read again" : null);
        } else if ("false".equals(result)) {
            progress.fail(investigation, "tanium_error", "Tanium answered the kill of pid " + pid + " with result false: it did not kill it");
        } else {
            progress.report(investigation, "killAnswerSeen", false);
            if (stillRuns) {
                progress.fail(investigation, "interrupted", "the kill of pid " + pid + " was asked for and its answer never seen (the instance "
                        + "stopped, or Tanium did not answer), and the process still runs; it is not killed again, to avoid killing twice");
            } else {
                progress.finish(investigation, "killed", "the kill's answer was never seen (the instance stopped, or Tanium did not answer); "
                        + "the process is gone");
            }
        }
    }

    // ---- audit ----

    /** Every kill, live or dry run, has one audit record. */
    public boolean needsAudit(Investigation investigation) {
        Map<String, String> state = investigation.getState();
        return !state.containsKey(AUDITED) && (state.containsKey(KILL_REQUESTED_AT) || "dry_run".equals(investigation.getOutcome()));
    }

    /** The audit record of a kill: who decided it, what it was for, and every Tanium id it has. */
    public String auditRecord(Investigation investigation) {
        Map<String, String> state = investigation.getState();
        boolean dryRun = "dry_run".equals(investigation.getOutcome());
        ObjectNode audit = mapper.createObjectNode();
        audit.put("schemaVersion", 1);
        audit.put("auditId", ResultIds.of(investigation.getRequest().alertId(), "audit step " + investigation.getStepNumber() + " direct-connect"));
        audit.put("alertId", investigation.getRequest().alertId());
        audit.put("investigationId", investigation.getId());
        audit.put("step", "direct-connect");
        audit.put("stepNumber", investigation.getStepNumber());
        audit.put("dryRun", dryRun);
        if (dryRun) {
            audit.put("reason", investigation.getReason());
        }
        audit.put("killRequestedAt", state.get(KILL_REQUESTED_AT));
        audit.put("taniumServer", investigation.getServer());
        Target target = investigation.getTarget();
        audit.putObject("endpoint").put("id", target.resultKey()).put("name", target.hostname()).put("computerId", target.clientId());
        audit.put("rule", investigation.getRequest().rule());
        audit.put("policyVersion", investigation.getRequest().policyVersion());
        audit.put("decision", investigation.getPlanned().why());
        audit.put("apiGeneration", documents.generation(investigation.getServer()));
        audit.put(CONNECTION_ID, state.get(CONNECTION_ID));
        Object process = investigation.getCurrent().getDetails().get("process");
        if (process != null) {
            audit.set("process", mapper.valueToTree(process));
        } else {
            audit.putObject("process").put("pid", state.get(KILL_PID)).put("name", state.get(KILL_NAME));
        }
        audit.set("kill", mapper.valueToTree(investigation.getParameters().get("kill")));
        audit.put(KILL_RESULT, state.get(KILL_RESULT));
        return audit.toString();
    }

    public void audited(Investigation investigation) {
        progress.remember(investigation, AUDITED, "true");
    }

    // ---- release ----

    /** How often the session was pinged while this step held it, for the result (before it is given back). */
    public void releasing(Investigation investigation, String connectionId) {
        if (connectionId != null && keepAlive.isHeld(connectionId)) {
            progress.report(investigation, "keepAlivePings", keepAlive.pings(connectionId));
        }
    }

    // ---- helpers ----

    ProcessGuard.KillTarget target(Investigation investigation) {
        return ProcessGuard.KillTarget.of((Map<?, ?>) investigation.getParameters().get("kill"));
    }

    private int rows(Investigation investigation) {
        Object given = investigation.getParameters().get("maxRows");
        return given == null ? maxRows : Integer.parseInt(String.valueOf(given));
    }

    private static String parameter(Investigation investigation, String name, Duration fallback) {
        Object given = investigation.getParameters().get(name);
        return given == null ? fallback.toString() : String.valueOf(given);
    }

    private static String endpoint(Investigation investigation) {
        return investigation.getTarget().endpointId();
    }
}
