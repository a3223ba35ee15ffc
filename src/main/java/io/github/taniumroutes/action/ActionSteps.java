package io.github.taniumroutes.action;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.taniumroutes.investigation.Investigation;
import io.github.taniumroutes.investigation.InvestigationProgress;
import io.github.taniumroutes.investigation.Target;
import io.github.taniumroutes.policy.PlaybookPolicy;
import io.github.taniumroutes.publish.ResultIds;
import io.github.taniumroutes.tanium.ResultSet;
import io.github.taniumroutes.tanium.TaniumErrors;
import io.github.taniumroutes.tanium.TaniumJson;
import io.github.taniumroutes.tanium.TaniumSettings;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/**
 * What each step of an action (routes/action.yaml) means for the investigation: the requests to send,
 * the next phase, another wait, or an outcome. The step's journaled state keeps the Tanium ids
 * ({@code actionGroupId}, {@code packageId}, {@code targetGroupId}, {@code actionId}) and the marks that
 * keep an action from being issued twice ({@code actionName}, {@code issueRequestedAt}); its result adds
 * the requests, the action's status and each endpoint's.
 *
 * <p>Outcomes: {@code completed}; {@code failed} (the endpoints report the action failed or expired);
 * {@code refused} (an approver declined it); {@code rejected} (a value the package or the targeting
 * text refuses, an action group or package that does not exist: nothing was issued); {@code dry_run};
 * {@code interrupted} (asked to issue, never saw the answer, and no action of its name can be found:
 * it is not issued again); and the engine's {@code expired} and {@code tanium_error}.
 */
@Singleton
@Named("actionSteps")
public class ActionSteps {

    static final String ACTION_GROUP_ID = "actionGroupId";
    static final String PACKAGE_ID = "packageId";
    static final String TARGET_GROUP_ID = "targetGroupId";
    static final String ACTION_NAME = "actionName";
    static final String ISSUE_REQUESTED_AT = "issueRequestedAt";
    static final String ACTION_ID = "actionId";
    static final String AUDITED = "audited";

    /** Statuses of an action that an approver declined or someone stopped before it ran. */
    private static final Set<String> REFUSED = Set.of("stopped", "denied", "declined", "rejected", "canceled", "cancelled");

    /** What is sent, once checked: the action group, the package and its parameters, the target, the schedule. */
    public record Prepared(String actionGroupId, TaniumPackage pkg, List<Map<String, String>> parameters, String targetText,
            String filterGroupId, int expireSeconds, int distributeSeconds) {
    }

    private final ObjectMapper mapper;
    private final InvestigationProgress progress;
    /** Why a live decision of a rule must not run now (PlaybookPolicy#dryRunNow), or null. */
    private final UnaryOperator<String> dryRunNow;
    private final TaniumSettings servers;
    private final Clock clock;
    private final int completionPercent;
    private final int defaultExpireSeconds;
    private final int defaultDistributeSeconds;
    private final Duration approvalDeadline;
    private final Duration resultsDeadline;
    private final String namePrefix;

    @Inject
    public ActionSteps(ObjectMapper mapper, InvestigationProgress progress, PlaybookPolicy policy, TaniumSettings servers,
            @ConfigProperty(name = "action.completion-percent") int completionPercent,
            @ConfigProperty(name = "action.expire-seconds") int defaultExpireSeconds,
            @ConfigProperty(name = "action.distribute-seconds") int defaultDistributeSeconds,
            @ConfigProperty(name = "action.approval-deadline") Duration approvalDeadline,
            @ConfigProperty(name = "action.results-deadline") Duration resultsDeadline,
            @ConfigProperty(name = "action.name-prefix") String namePrefix) {
        this(mapper, progress, policy::dryRunNow, servers, completionPercent, defaultExpireSeconds, defaultDistributeSeconds,
                approvalDeadline, resultsDeadline, namePrefix, Clock.systemUTC());
    }

    public ActionSteps(ObjectMapper mapper, InvestigationProgress progress, UnaryOperator<String> dryRunNow, TaniumSettings servers,
            int completionPercent, int defaultExpireSeconds, int defaultDistributeSeconds, Duration approvalDeadline,
            Duration resultsDeadline, String namePrefix, Clock clock) {
        this.mapper = mapper;
        this.progress = progress;
        this.dryRunNow = dryRunNow;
        this.servers = servers;
        this.completionPercent = completionPercent;
        this.defaultExpireSeconds = defaultExpireSeconds;
        this.defaultDistributeSeconds = defaultDistributeSeconds;
        this.approvalDeadline = approvalDeadline;
        this.resultsDeadline = resultsDeadline;
        this.namePrefix = namePrefix;
        this.clock = clock;
    }

    // ---- issue ----

    /**
     * True when the step asked Tanium to issue its action and never saw the answer (the instance
     * stopped, or Tanium did not answer): it must not ask again, so it moves to find the action by name.
     */
    public boolean outcomeUnknown(Investigation investigation) {
        Map<String, String> state = investigation.getState();
        if (state.containsKey(ISSUE_REQUESTED_AT) && !state.containsKey(ACTION_ID)) {
            progress.moveTo(investigation, "find");
            return true;
        }
        return false;
    }

    /** The package the rule names. */
    public String packageName(Investigation investigation) {
        return String.valueOf(investigation.getParameters().get("package"));
    }

    /** A step without an action group cannot issue anything: it is rejected, naming the setting. */
    public void noActionGroup(Investigation investigation) {
        String server = investigation.getServer();
        progress.fail(investigation, "rejected", "no action group is configured for Tanium server '" + server + "' (tanium.servers." + server
                + ".action-group" + ("default".equals(server) ? ", env TANIUM_ACTION_GROUP" : "")
                + "): an id or the name of an existing group such as \"All Computers\"");
    }

    /**
     * Checks the rule's parameters against the package and writes the target; null (and the step
     * rejected with the reason) when a value is refused.
     */
    public Prepared prepare(Investigation investigation, String actionGroupId, TaniumPackage pkg) {
        Map<String, Object> parameters = investigation.getParameters();
        try {
            Map<String, String> given = new LinkedHashMap<>();
            if (parameters.get("parameters") instanceof Map<?, ?> values) {
                values.forEach((key, value) -> given.put(String.valueOf(key), String.valueOf(value)));
            }
            List<Map<String, String>> checked = pkg.check(given);
            String filterGroup = parameters.containsKey("targetGroup") ? String.valueOf(parameters.get("targetGroup")) : null;
            String text = filterGroup == null ? TargetingText.of(investigation.getTarget()) : null;
            progress.remember(investigation, ACTION_GROUP_ID, actionGroupId);
            progress.remember(investigation, PACKAGE_ID, pkg.id());
            return new Prepared(actionGroupId, pkg, checked, text, filterGroup, expireSeconds(investigation, pkg),
                    distributeSeconds(investigation));
        } catch (TaniumPackage.Refused | TargetingText.Unsafe refused) {
            progress.fail(investigation, "rejected", refused.getMessage() + "; nothing was issued");
            return null;
        }
    }

    /** The package's parameter definition cannot be read, so its values cannot be checked: nothing is issued. */
    public void rejectedPackage(Investigation investigation, String why) {
        progress.fail(investigation, "rejected", why + "; nothing was issued");
    }

    /** A lookup Tanium answered 404: the action group or package the configuration names does not exist there. */
    public void notFound(Investigation investigation, String what) {
        progress.fail(investigation, "rejected", "Tanium server '" + investigation.getServer() + "' has no " + what + "; nothing was issued");
    }

    /**
     * Why this step must not change anything, or null when it runs live: the decision at intake (the
     * rule, the global mode, the kill switch, staleness, caps), and, since a plan can outlast it, the
     * kill switch, the mode and the rule as they are now.
     */
    public String dryRunReason(Investigation investigation) {
        return investigation.getPlanned().dryRunReason(investigation.getRequest().rule(), dryRunNow);
    }

    /** A dry run: nothing that changes anything is sent; the result shows the requests a live run would send. */
    public void dryRun(Investigation investigation, Prepared prepared, String reason) {
        List<Map<String, Object>> requests = new ArrayList<>();
        if (prepared.targetText() != null) {
            requests.add(request("POST", "/api/v2/groups", Map.of("text", prepared.targetText())));
        }
        requests.add(request("POST", "/api/v2/actions", actionBody(investigation, prepared,
                prepared.filterGroupId() != null ? prepared.filterGroupId() : null)));
        progress.report(investigation, "wouldSend", requests);
        progress.finish(investigation, "dry_run", reason);
    }

    /** The filter group the rule names (no ad-hoc group is created), else null: then the ad-hoc group must be created. */
    public boolean needsTargetGroup(Investigation investigation, Prepared prepared) {
        if (investigation.getState().containsKey(TARGET_GROUP_ID)) {
            return false;
        }
        if (prepared.filterGroupId() != null) {
            progress.remember(investigation, TARGET_GROUP_ID, prepared.filterGroupId());
            return false;
        }
        return true;
    }

    /** {@code POST /api/v2/groups}: an ad-hoc group of the endpoint. */
    public String groupBody(Prepared prepared) {
        return TaniumJson.write(mapper, Map.of("text", prepared.targetText()));
    }

    /** Tanium's reply to the group: its id is the action's target. */
    public void targeted(Investigation investigation, String reply) {
        String id = dataId(reply, "group");
        progress.remember(investigation, TARGET_GROUP_ID, id);
    }

    /** The action's name: it carries the step's id and the alert id, so the action can be found again. */
    public String actionName(Investigation investigation) {
        String alertId = investigation.getRequest().alertId();
        String shown = alertId.replaceAll("[^A-Za-z0-9._:@-]", "_");
        if (shown.length() > 80) {
            shown = shown.substring(0, 80) + "…";
        }
        return namePrefix + " " + ResultIds.of(alertId, "step " + investigation.getStepNumber() + " action") + " alert " + shown;
    }

    /** Journaled before the action is issued: a step that resumes with this mark and no action id never issues again. */
    public void issuing(Investigation investigation) {
        progress.remember(investigation, ACTION_NAME, actionName(investigation));
        progress.remember(investigation, ISSUE_REQUESTED_AT, Instant.ofEpochMilli(clock.millis()).toString());
    }

    /** {@code POST /api/v2/actions}, in the shape of seed 003. */
    public String issueBody(Investigation investigation, Prepared prepared) {
        return TaniumJson.write(mapper, actionBody(investigation, prepared, investigation.getState().get(TARGET_GROUP_ID)));
    }

    private Map<String, Object> actionBody(Investigation investigation, Prepared prepared, String targetGroupId) {
        Map<String, Object> target = new LinkedHashMap<>();
        target.put("id", targetGroupId == null ? null : number(targetGroupId));
        if (prepared.filterGroupId() != null) {
            target.put("filter_flag", true);
        } else {
            target.put("not_flag", false);
        }
        target.put("management_rights_flag", false);
        Map<String, Object> packageSpec = new LinkedHashMap<>();
        packageSpec.put("source_id", number(prepared.pkg().id()));
        packageSpec.put("parameters", prepared.parameters());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("action_group", Map.of("id", number(prepared.actionGroupId())));
        body.put("name", actionName(investigation));
        body.put("target_group", target);
        body.put("package_spec", packageSpec);
        body.put("expire_seconds", prepared.expireSeconds());
        body.put("distribute_seconds", prepared.distributeSeconds());
        body.put("issue_seconds", 0);
        return body;
    }

    /** Tanium issued the action: its id is journaled, then followed through approval and results. */
    public void issued(Investigation investigation, String reply) {
        JsonNode action = TaniumJson.data(mapper, reply, "action");
        String id = action.path("id").asText("");
        if (id.isEmpty()) {
            throw new IllegalStateException("Tanium's reply to the action names no id");
        }
        progress.remember(investigation, ACTION_ID, id);
        progress.report(investigation, "actionStatus", action.path("status").asText(null));
        progress.moveTo(investigation, "await-approval", deadline(investigation, "approvalDeadline", approvalDeadline));
    }

    /**
     * The action request failed. When Tanium certainly issued nothing (it refused the request, or was
     * never asked) the mark goes, and the phase may ask again; otherwise the mark stays, and the phase,
     * run again, finds the action by its name instead of issuing a second one.
     */
    public void issueRefused(Investigation investigation, Exception refusal) throws Exception {
        if (TaniumErrors.nothingDone(refusal)) {
            progress.remember(investigation, ISSUE_REQUESTED_AT, null);
            progress.remember(investigation, ACTION_NAME, null);
        }
        throw refusal;
    }

    // ---- find (a step that asked to issue and never saw the answer) ----

    /** The {@code tanium-options} header of {@code GET /api/v2/actions}: only actions of this name. */
    public String findOptions(Investigation investigation) {
        Map<String, Object> filter = new LinkedHashMap<>();
        filter.put("field", "name");
        filter.put("operator", "Equal");
        filter.put("value", investigation.getState().get(ACTION_NAME));
        return TaniumJson.write(mapper, Map.of("cache_filters", List.of(filter)));
    }

    /**
     * The actions Tanium lists under the step's name (compared exactly here too, whatever the server
     * filtered): the one found is followed; none means the step cannot tell whether its request was
     * issued, and it ends interrupted rather than risk a second action.
     */
    public void found(Investigation investigation, String reply) {
        String name = investigation.getState().get(ACTION_NAME);
        JsonNode root = TaniumJson.read(mapper, reply, "action list");
        JsonNode list = root.has("data") ? root.path("data") : root;
        List<String> ids = new ArrayList<>();
        for (JsonNode action : list) {
            // The last element of Tanium's lists is not one of them (cache_info): only named actions count.
            if (action.isObject() && name.equals(action.path("name").asText(null)) && !action.path("id").asText("").isEmpty()) {
                ids.add(action.path("id").asText());
            }
        }
        if (ids.isEmpty()) {
            progress.fail(investigation, "interrupted", "the action was asked for and no answer was seen (the instance stopped, or "
                    + "Tanium did not answer), and Tanium lists no action named '" + name + "'; it is not issued again, to avoid a "
                    + "second action");
            return;
        }
        ids.sort((a, b) -> Long.compare(parse(a), parse(b)));
        if (ids.size() > 1) {
            progress.report(investigation, "sameNameActionIds", ids);
        }
        progress.remember(investigation, ACTION_ID, ids.get(0));
        progress.report(investigation, "foundByName", true);
        progress.moveTo(investigation, "await-approval", deadline(investigation, "approvalDeadline", approvalDeadline));
    }

    /** Whether the action's audit record is still to be written (after issuing, or after finding it). */
    public boolean needsAudit(Investigation investigation) {
        return investigation.getState().containsKey(ACTION_ID) && !investigation.getState().containsKey(AUDITED);
    }

    /** The audit record of a live action: who decided it, and every Tanium id it has. */
    public String auditRecord(Investigation investigation) {
        Map<String, String> state = investigation.getState();
        ObjectNode audit = mapper.createObjectNode();
        audit.put("schemaVersion", 1);
        audit.put("auditId", ResultIds.of(investigation.getRequest().alertId(), "audit step " + investigation.getStepNumber() + " action"));
        audit.put("alertId", investigation.getRequest().alertId());
        audit.put("investigationId", investigation.getId());
        audit.put("step", "action");
        audit.put("stepNumber", investigation.getStepNumber());
        audit.put("issuedAt", state.get(ISSUE_REQUESTED_AT));
        audit.put("taniumServer", investigation.getServer());
        Target target = investigation.getTarget();
        audit.putObject("endpoint").put("id", target.resultKey()).put("name", target.hostname()).put("computerId", target.clientId());
        audit.put("rule", investigation.getRequest().rule());
        audit.put("policyVersion", investigation.getRequest().policyVersion());
        audit.put("decision", investigation.getPlanned().why());
        audit.put("package", packageName(investigation));
        audit.set("parameters", mapper.valueToTree(investigation.getParameters().get("parameters")));
        for (String id : List.of(ACTION_ID, ACTION_NAME, ACTION_GROUP_ID, TARGET_GROUP_ID, PACKAGE_ID)) {
            audit.put(id, state.get(id));
        }
        return audit.toString();
    }

    public void audited(Investigation investigation) {
        progress.remember(investigation, AUDITED, "true");
    }

    // ---- await-approval ----

    /**
     * The action as {@code GET /api/v2/actions/{id}} reports it. Pending (waiting to start, or for an
     * approver) waits until the approval deadline; declined or stopped before it ran is {@code refused};
     * expired before it ran is {@code expired}; anything else (active, closed) moves on to its results.
     */
    public void actionSeen(Investigation investigation, String reply) {
        progress.polled(investigation, "action");
        JsonNode action = TaniumJson.data(mapper, reply, "action");
        String status = action.path("status").asText("");
        progress.report(investigation, "actionStatus", status);
        String key = status.toLowerCase(Locale.ROOT);
        if ("pending".equals(key) && !isTrue(action.path("approved_flag"))) {
            progress.report(investigation, "approval", "pending");
            progress.waitOrExpire(investigation, "the action was not approved before the approval deadline; Tanium keeps it pending until "
                    + "it expires" + expiresAt(action));
        } else if (REFUSED.contains(key) || isTrue(action.path("stopped_flag")) && !"closed".equals(key)) {
            progress.report(investigation, "approval", "refused");
            progress.fail(investigation, "refused", "Tanium reports the action " + status + " before it ran" + approver(action));
        } else if ("expired".equals(key)) {
            progress.fail(investigation, "expired", "the action expired in Tanium before it ran");
        } else {
            if (investigation.getCurrent().getPolls().getOrDefault("action", 0) > 1 || isTrue(action.path("approved_flag"))) {
                progress.report(investigation, "approval", "approved");
            }
            progress.remember(investigation, "activeAt", Instant.ofEpochMilli(clock.millis()).toString());
            progress.moveTo(investigation, "await-results", deadline(investigation, "resultsDeadline", resultsDeadline));
        }
    }

    // ---- await-results ----

    /**
     * The action's result data: for an ad-hoc group of the endpoint, done once that endpoint's status is
     * final; for a filter group, once the completion reaches the threshold ({@code completionPercent},
     * 90 % by default). Completed when no endpoint failed, else {@code failed}.
     */
    public void resultsSeen(Investigation investigation, String reply) {
        progress.polled(investigation, "results");
        ResultSet set = ResultSet.parse(mapper, reply);
        String actionId = investigation.getState().get(ACTION_ID);
        List<ActionRows.EndpointStatus> statuses = ActionRows.of(set, actionId);
        progress.report(investigation, "results", set.counters());
        progress.report(investigation, "endpoints", statuses.size() > 1_000 ? statuses.subList(0, 1_000) : statuses);
        boolean filterGroup = investigation.getParameters().containsKey("targetGroup");
        if (!filterGroup) {
            Target target = investigation.getTarget();
            ActionRows.EndpointStatus mine = statuses.stream()
                    .filter(s -> target.clientId() != null ? target.clientId().equals(s.computerId())
                            : target.hostname() != null && target.hostname().equalsIgnoreCase(s.computerName()))
                    .reduce((first, later) -> later).orElse(null);
            if (mine != null && mine.terminal()) {
                if (mine.succeeded()) {
                    progress.complete(investigation);
                } else {
                    progress.fail(investigation, "failed", "the endpoint reports the action " + mine.status());
                }
                return;
            }
            progress.waitOrExpire(investigation, "the endpoint reported no final status for the action before the results deadline"
                    + (mine == null ? "" : " (last: " + mine.status() + ")"));
            return;
        }
        int threshold = threshold(investigation);
        if (!set.reached(threshold)) {
            progress.waitOrExpire(investigation, "the action's results did not reach " + threshold + " % before the results deadline ("
                    + (set.completionPercent() == null ? "total not yet known" : set.completionPercent() + " %") + ")");
            return;
        }
        long failed = statuses.stream().filter(s -> s.terminal() && !s.succeeded()).count();
        if (failed > 0) {
            progress.fail(investigation, "failed", failed + " of " + statuses.size() + " endpoints report the action failed or expired");
        } else {
            progress.complete(investigation);
        }
    }

    // ---- helpers ----

    private int threshold(Investigation investigation) {
        Object given = investigation.getParameters().get("completionPercent");
        return given == null ? completionPercent : Integer.parseInt(String.valueOf(given));
    }

    private int expireSeconds(Investigation investigation, TaniumPackage pkg) {
        Object given = investigation.getParameters().get("expireSeconds");
        if (given != null) {
            return Integer.parseInt(String.valueOf(given));
        }
        TaniumSettings.Server server = servers.servers().get(investigation.getServer());
        if (server != null && server.actionExpireSeconds().isPresent()) {
            return server.actionExpireSeconds().get();
        }
        return pkg.expireSeconds() != null && pkg.expireSeconds() > 0 ? pkg.expireSeconds() : defaultExpireSeconds;
    }

    private int distributeSeconds(Investigation investigation) {
        Object given = investigation.getParameters().get("distributeSeconds");
        if (given != null) {
            return Integer.parseInt(String.valueOf(given));
        }
        TaniumSettings.Server server = servers.servers().get(investigation.getServer());
        return server != null && server.actionDistributeSeconds().isPresent() ? server.actionDistributeSeconds().get()
                : defaultDistributeSeconds;
    }

    private static String deadline(Investigation investigation, String parameter, Duration fallback) {
        Object given = investigation.getParameters().get(parameter);
        return given == null ? fallback.toString() : String.valueOf(given);
    }

    private static Map<String, Object> request(String method, String path, Object body) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("method", method);
        request.put("path", path);
        request.put("body", body);
        return request;
    }

    private String dataId(String reply, String what) {
        String id = TaniumJson.data(mapper, reply, what).path("id").asText("");
        if (id.isEmpty()) {
            throw new IllegalStateException("Tanium's reply to the " + what + " names no id");
        }
        return id;
    }

    private static boolean isTrue(JsonNode flag) {
        return flag.asBoolean(false) || flag.isNumber() && flag.asInt() != 0 || "1".equals(flag.asText());
    }

    private static String expiresAt(JsonNode action) {
        String at = action.path("expiration_time").asText("");
        return at.isEmpty() ? "" : " (" + at + ")";
    }

    private static String approver(JsonNode action) {
        String name = action.path("approver").path("name").asText("");
        return name.isEmpty() ? "" : " (approver " + name + ")";
    }

    private static Object number(String id) {
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            return id;
        }
    }

    private static long parse(String id) {
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }
}
