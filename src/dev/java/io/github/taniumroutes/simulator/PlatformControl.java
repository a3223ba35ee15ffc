package io.github.taniumroutes.simulator;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The state of the simulated platform REST API ({@code /api/v2}: groups, actions, questions) and the knobs of its
 * behaviour, for tests ({@code simulator.platform()}) and, as JSON, for another process
 * ({@code GET|PUT /__simulator/platform}).
 *
 * <p>Settings (each taken by an action or question when it is created, so changing one never rewrites what is under
 * way): {@link #approval} ({@code none}: an action is active at once; {@code required}: it waits, status
 * {@code Pending}, until {@link #approve} or {@link #refuse}, or expires after its {@code expire_seconds}),
 * {@link #actionDuration} (how long a target's row takes from {@code Waiting.} through {@code Running.} to
 * {@code Completed.}), {@link #failingEndpoints} (their rows end {@code Failed.}), {@link #estimatedTotalUnknown}
 * ({@code estimated_total} reads 0 that long after an action starts or a question is asked), {@link #overReport}
 * (added to {@code tested}/{@code mr_tested}/{@code passed}/{@code mr_passed}, so that {@code mr_tested} can exceed
 * {@code estimated_total} as in the seed's own 103-of-100 example), {@link #questionDelay} (endpoints answer a question
 * one after another over this time; {@code GET /result_data/question/{id}} is a 404 until the first answer),
 * {@link #misrankParse} (parse_question ranks a looser interpretation first), {@link #validateParameterValues},
 * {@link #actionListLimit}. Nothing runs in the background: statuses are computed from timestamps when asked for.
 *
 * <p>Counters since the last {@link #reset}: groups created, action-group, package and sensor lookups by name,
 * actions issued by name, parse_question calls, questions asked. Requests failed by {@link Faults} never get here.
 */
public final class PlatformControl {

    /** Whether a new action needs an approver before it runs. */
    public enum Approval {
        NONE,
        REQUIRED
    }

    /** A group as the simulator keeps it; type 3 is an ad-hoc group ({@code POST /groups}), 0 a filter group. */
    public record Group(long id, String name, String text, int type, List<Inventory.Endpoint> members) {
        public List<String> memberNames() {
            return members.stream().map(Inventory.Endpoint::name).toList();
        }
    }

    /** An action issued through {@code POST /api/v2/actions}: the body as sent, its status now and the endpoints it targets. */
    public record IssuedAction(long id, String name, JsonNode body, String status, long savedActionId, List<Inventory.Endpoint> targets) {
        public List<String> targetNames() {
            return targets.stream().map(Inventory.Endpoint::name).toList();
        }
    }

    /** A question asked through {@code POST /api/v2/questions}: the body as sent and the endpoints its filter selects. */
    public record AskedQuestion(long id, String queryText, JsonNode body, List<Inventory.Endpoint> targets) {
        public List<String> targetNames() {
            return targets.stream().map(Inventory.Endpoint::name).toList();
        }
    }

    static final long FIRST_GROUP_ID = 2_543_696;
    static final long FIRST_ACTION_ID = 1_362_688;
    static final long FIRST_SAVED_ACTION_ID = 134_373;
    static final long FIRST_PACKAGE_SPEC_ID = 234_169;
    static final long FIRST_QUESTION_ID = 6_338_700;
    /** The user who approves actions in this simulator (never the user behind the token: Tanium forbids self-approval). */
    static final int APPROVER_ID = 1186;
    static final String APPROVER_NAME = "approver@simulator.local";
    /** Tanium writes the start of an action that has not started as this instant (seed 003). */
    static final long NOT_STARTED = Instant.parse("2001-01-01T00:00:00Z").toEpochMilli();
    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter NOW = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss 'GMT-0000'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final Inventory inventory;
    private final PlatformCatalog catalog;
    private volatile LongSupplier clock = System::currentTimeMillis;

    private volatile Approval approval = Approval.NONE;
    private volatile long actionDurationMillis;
    private volatile Set<String> failingEndpoints = Set.of();
    private volatile long estimatedTotalUnknownMillis;
    private volatile int overReport;
    private volatile long questionDelayMillis;
    private volatile boolean misrankParse;
    private volatile boolean validateParameterValues = true;
    private volatile int actionListLimit = 100;

    private final AtomicLong groupIds = new AtomicLong(FIRST_GROUP_ID);
    private final AtomicLong actionIds = new AtomicLong(FIRST_ACTION_ID);
    private final AtomicLong savedActionIds = new AtomicLong(FIRST_SAVED_ACTION_ID);
    private final AtomicLong packageSpecIds = new AtomicLong(FIRST_PACKAGE_SPEC_ID);
    private final AtomicLong questionIds = new AtomicLong(FIRST_QUESTION_ID);
    private final ConcurrentSkipListMap<Long, Group> groups = new ConcurrentSkipListMap<>();
    private final ConcurrentSkipListMap<Long, Action> actions = new ConcurrentSkipListMap<>();
    private final ConcurrentHashMap<Long, Action> actionsBySavedAction = new ConcurrentHashMap<>();
    private final ConcurrentSkipListMap<Long, Question> questions = new ConcurrentSkipListMap<>();
    private final AtomicInteger groupsCreated = new AtomicInteger();
    private final AtomicInteger parseQuestions = new AtomicInteger();
    private final Counters actionGroupLookups = new Counters();
    private final Counters packageLookups = new Counters();
    private final Counters sensorLookups = new Counters();
    private final Counters actionsByName = new Counters();

    PlatformControl(Inventory inventory, PlatformCatalog catalog) {
        this.inventory = inventory;
        this.catalog = catalog;
        for (PlatformCatalog.NamedGroup filter : catalog.filterGroups()) {
            groups.put(filter.id(), new Group(filter.id(), filter.name(), filter.text(), 0,
                    inventory.endpoints().stream().filter(filter::includes).toList()));
        }
    }

    // ---- settings ----

    /** Whether new actions need approval (default {@link Approval#NONE}). */
    public PlatformControl approval(Approval approval) {
        this.approval = Objects.requireNonNull(approval, "approval");
        return this;
    }

    /** How long a target of a new action takes to complete once the action is active (default 0: completed at once). */
    public PlatformControl actionDuration(Duration duration) {
        this.actionDurationMillis = nonNegative(duration, "action duration");
        return this;
    }

    /** The endpoints (by computer name, any case) whose rows end {@code Failed.} in new actions. */
    public PlatformControl failingEndpoints(String... names) {
        Set<String> failing = new HashSet<>();
        for (String name : names) {
            failing.add(name.toLowerCase(Locale.ROOT));
        }
        this.failingEndpoints = Set.copyOf(failing);
        return this;
    }

    /** How long {@code estimated_total} reads 0 after an action starts or a question is asked (default 0). */
    public PlatformControl estimatedTotalUnknown(Duration duration) {
        this.estimatedTotalUnknownMillis = nonNegative(duration, "estimated total unknown");
        return this;
    }

    /** Machines outside the targets that report anyway, added to the tested/passed counters (default 0). */
    public PlatformControl overReport(int machines) {
        if (machines < 0) {
            throw new IllegalArgumentException("overReport must be zero or more");
        }
        this.overReport = machines;
        return this;
    }

    /** Over how long the endpoints answer a new question, one after another (default 0: all at once). */
    public PlatformControl questionDelay(Duration delay) {
        this.questionDelayMillis = nonNegative(delay, "question delay");
        return this;
    }

    /** When true, parse_question ranks a looser interpretation before the exact one (default false). */
    public PlatformControl misrankParse(boolean misrank) {
        this.misrankParse = misrank;
        return this;
    }

    /**
     * When true (default), a parameter value a package's definition does not allow (a NumericParameter out of its
     * minimum/maximum or not a number, a DropDownParameter value not among its values, a TextInputParameter longer than
     * maxChars or failing a validation expression) is a 400. No public source says the server checks more than the
     * keys; the console does. Unknown keys are always a 400.
     */
    public PlatformControl validateParameterValues(boolean validate) {
        this.validateParameterValues = validate;
        return this;
    }

    /** How many of the most recent actions {@code GET /api/v2/actions} returns without a row_count option (default 100). */
    public PlatformControl actionListLimit(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("actionListLimit must be at least 1");
        }
        this.actionListLimit = limit;
        return this;
    }

    /** The clock statuses are computed with (default the system clock); a test may step time by hand. */
    public PlatformControl clock(LongSupplier clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /** Forgets created groups, actions and questions, zeroes the counters and restores every default setting (not the clock). */
    public PlatformControl reset() {
        approval = Approval.NONE;
        actionDurationMillis = 0;
        failingEndpoints = Set.of();
        estimatedTotalUnknownMillis = 0;
        overReport = 0;
        questionDelayMillis = 0;
        misrankParse = false;
        validateParameterValues = true;
        actionListLimit = 100;
        groups.keySet().removeIf(id -> groups.get(id).type() != 0);
        actions.clear();
        actionsBySavedAction.clear();
        questions.clear();
        groupsCreated.set(0);
        parseQuestions.set(0);
        actionGroupLookups.clear();
        packageLookups.clear();
        sensorLookups.clear();
        actionsByName.clear();
        return this;
    }

    // ---- approvals ----

    /** Approves a pending action: it becomes active now. False when there is no such action pending approval. */
    public boolean approve(long actionId) {
        Action action = actions.get(actionId);
        return action != null && action.approve(now());
    }

    /** Refuses (declines) a pending action: it ends {@code Stopped} with {@code stopped_flag} true and never runs. */
    public boolean refuse(long actionId) {
        Action action = actions.get(actionId);
        return action != null && action.refuse(now());
    }

    // ---- what happened ----

    /** Every action issued, oldest first, with its status now. */
    public List<IssuedAction> actions() {
        long now = now();
        return actions.values().stream().map(a -> a.view(now)).toList();
    }

    public IssuedAction action(long id) {
        Action action = actions.get(id);
        return action == null ? null : action.view(now());
    }

    /** How many actions were issued with exactly this name (a redelivered alert must not make it 2). */
    public int actionsNamed(String name) {
        return actionsByName.count(name);
    }

    public int actionsIssued() {
        return actions.size();
    }

    /** A group by id (created ad hoc or a configured filter group), with the endpoints it matches; null if unknown. */
    public Group group(long id) {
        return groups.get(id);
    }

    /** The computer names of a group's members; empty for an unknown group. */
    public List<String> groupMembers(long id) {
        Group group = groups.get(id);
        return group == null ? List.of() : group.memberNames();
    }

    /** Groups created through {@code POST /api/v2/groups}, oldest first. */
    public List<Group> createdGroups() {
        return groups.values().stream().filter(g -> g.type() == 3).toList();
    }

    public int groupsCreated() {
        return groupsCreated.get();
    }

    public int actionGroupLookups(String name) {
        return actionGroupLookups.count(name);
    }

    public int actionGroupLookups() {
        return actionGroupLookups.total();
    }

    public int packageLookups(String name) {
        return packageLookups.count(name);
    }

    public int packageLookups() {
        return packageLookups.total();
    }

    public int sensorLookups(String name) {
        return sensorLookups.count(name);
    }

    public int parseQuestions() {
        return parseQuestions.get();
    }

    public int questionsAsked() {
        return questions.size();
    }

    public List<AskedQuestion> questions() {
        return questions.values().stream().map(q -> new AskedQuestion(q.id, q.queryText, q.body, q.targets)).toList();
    }

    // ---- HTTP control document ----

    /**
     * Applies {@code {"reset":true, "approval":"required", "approve":<actionId or [ids]>, "refuse":<actionId or [ids]>,
     * "actionDurationMs":2000, "failingEndpoints":["WS-0142"], "estimatedTotalUnknownMs":500, "overReport":3,
     * "questionDelayMs":1500, "misrankParse":true, "validateParameterValues":true, "actionListLimit":100}} (every field
     * optional; {@code reset} first, approvals last). The whole document is checked before anything changes.
     */
    void apply(JsonNode settings) {
        if (settings == null || !settings.isObject()) {
            throw new IllegalArgumentException("expected a JSON object");
        }
        Set<String> known = Set.of("reset", "approval", "approve", "refuse", "actionDurationMs", "failingEndpoints", "estimatedTotalUnknownMs",
                "overReport", "questionDelayMs", "misrankParse", "validateParameterValues", "actionListLimit");
        settings.fieldNames().forEachRemaining(field -> {
            if (!known.contains(field)) {
                throw new IllegalArgumentException("unknown field " + field + ", expected some of " + new java.util.TreeSet<>(known));
            }
        });
        boolean reset = settings.path("reset").asBoolean(false);
        Approval mode = null;
        if (settings.has("approval")) {
            try {
                mode = Approval.valueOf(settings.get("approval").asText().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("approval must be \"none\" or \"required\"");
            }
        }
        Long duration = millis(settings, "actionDurationMs");
        Long unknown = millis(settings, "estimatedTotalUnknownMs");
        Long delay = millis(settings, "questionDelayMs");
        Integer over = settings.has("overReport") ? wholeNumber(settings.get("overReport"), "overReport") : null;
        Integer limit = settings.has("actionListLimit") ? wholeNumber(settings.get("actionListLimit"), "actionListLimit") : null;
        if (limit != null && limit < 1) {
            throw new IllegalArgumentException("actionListLimit must be at least 1");
        }
        List<String> failing = null;
        if (settings.has("failingEndpoints")) {
            if (!settings.get("failingEndpoints").isArray()) {
                throw new IllegalArgumentException("failingEndpoints must be an array of computer names");
            }
            failing = new ArrayList<>();
            for (JsonNode name : settings.get("failingEndpoints")) {
                failing.add(name.asText());
            }
        }
        List<Long> approve = ids(settings, "approve");
        List<Long> refuse = ids(settings, "refuse");
        for (Long id : concat(approve, refuse)) {
            Action action = actions.get(id);
            if (action == null || !action.pendingApproval(now())) {
                throw new IllegalArgumentException("action " + id + " is not pending approval");
            }
        }
        if (reset) {
            reset();
        }
        if (mode != null) {
            approval(mode);
        }
        if (duration != null) {
            actionDurationMillis = duration;
        }
        if (unknown != null) {
            estimatedTotalUnknownMillis = unknown;
        }
        if (delay != null) {
            questionDelayMillis = delay;
        }
        if (over != null) {
            overReport(over);
        }
        if (limit != null) {
            actionListLimit = limit;
        }
        if (failing != null) {
            failingEndpoints(failing.toArray(String[]::new));
        }
        if (settings.has("misrankParse")) {
            misrankParse = settings.get("misrankParse").asBoolean();
        }
        if (settings.has("validateParameterValues")) {
            validateParameterValues = settings.get("validateParameterValues").asBoolean();
        }
        approve.forEach(this::approve);
        refuse.forEach(this::refuse);
    }

    /** The settings and the counters. */
    ObjectNode describe(ObjectMapper mapper) {
        long now = now();
        ObjectNode reply = mapper.createObjectNode().put("approval", approval.name().toLowerCase(Locale.ROOT))
                .put("actionDurationMs", actionDurationMillis).put("estimatedTotalUnknownMs", estimatedTotalUnknownMillis)
                .put("overReport", overReport).put("questionDelayMs", questionDelayMillis).put("misrankParse", misrankParse)
                .put("validateParameterValues", validateParameterValues).put("actionListLimit", actionListLimit);
        failingEndpoints.forEach(reply.putArray("failingEndpoints")::add);
        ObjectNode counters = reply.putObject("counters");
        counters.put("groupsCreated", groupsCreated.get()).put("actionGroupLookups", actionGroupLookups.total())
                .put("packageLookups", packageLookups.total()).put("sensorLookups", sensorLookups.total())
                .put("actionsIssued", actions.size()).put("parseQuestions", parseQuestions.get()).put("questions", questions.size())
                .put("pendingApprovals", actions.values().stream().filter(a -> a.pendingApproval(now)).count());
        counters.set("actionGroupLookupsByName", mapper.valueToTree(actionGroupLookups.snapshot()));
        counters.set("packageLookupsByName", mapper.valueToTree(packageLookups.snapshot()));
        counters.set("actionsIssuedByName", mapper.valueToTree(actionsByName.snapshot()));
        return reply;
    }

    // ---- the server side, for PlatformHandler ----

    long now() {
        return clock.getAsLong();
    }

    Inventory inventory() {
        return inventory;
    }

    PlatformCatalog catalog() {
        return catalog;
    }

    boolean misranking() {
        return misrankParse;
    }

    boolean validatingParameterValues() {
        return validateParameterValues;
    }

    int listLimit() {
        return actionListLimit;
    }

    void countActionGroupLookup(String name) {
        actionGroupLookups.increment(name);
    }

    void countPackageLookup(String name) {
        packageLookups.increment(name);
    }

    void countSensorLookup(String name) {
        sensorLookups.increment(name);
    }

    void countParseQuestion() {
        parseQuestions.incrementAndGet();
    }

    Group createGroup(String text, GroupText.Node filter) {
        groupsCreated.incrementAndGet();
        long id = groupIds.getAndIncrement();
        Group group = new Group(id, "", text, 3, inventory.endpoints().stream().filter(filter::matches).toList());
        groups.put(id, group);
        return group;
    }

    Action issue(String name, JsonNode body, PlatformCatalog.NamedGroup actionGroup, long targetGroupId, String targetGroupName,
            List<Inventory.Endpoint> targets, ObjectNode packageSpec, long expireSeconds, long distributeSeconds) {
        actionsByName.increment(name);
        long now = now();
        Action action = new Action(actionIds.getAndIncrement(), savedActionIds.getAndIncrement(), name, body, actionGroup, targetGroupId,
                targetGroupName, targets, packageSpec, expireSeconds, distributeSeconds, now, actionDurationMillis, estimatedTotalUnknownMillis,
                overReport, failingEndpoints);
        if (approval == Approval.NONE) {
            action.activate(now);
        }
        actions.put(action.id, action);
        actionsBySavedAction.put(action.savedActionId, action);
        return action;
    }

    long nextPackageSpecId() {
        return packageSpecIds.getAndIncrement();
    }

    Action actionById(long id) {
        return actions.get(id);
    }

    Action actionBySavedAction(long savedActionId) {
        return actionsBySavedAction.get(savedActionId);
    }

    Collection<Action> allActions() {
        return actions.values();
    }

    Question ask(String queryText, JsonNode body, List<QuestionText.Select> selects, List<Inventory.Endpoint> targets, long expireSeconds) {
        long now = now();
        Question question = new Question(questionIds.getAndIncrement(), queryText, body, selects, targets, inventory.endpoints(), now,
                questionDelayMillis, estimatedTotalUnknownMillis, overReport, expireSeconds);
        questions.put(question.id, question);
        return question;
    }

    Question question(long id) {
        return questions.get(id);
    }

    static String iso(long millis) {
        return ISO.format(Instant.ofEpochMilli(millis));
    }

    static String nowText(long millis) {
        return NOW.format(Instant.ofEpochMilli(millis));
    }

    /** One issued action; its status and each target's row are computed from timestamps when asked for. */
    static final class Action {
        final long id;
        final long savedActionId;
        final String name;
        final JsonNode body;
        final PlatformCatalog.NamedGroup actionGroup;
        final long targetGroupId;
        final String targetGroupName;
        final List<Inventory.Endpoint> targets;
        final ObjectNode packageSpec;
        final long expireSeconds;
        final long distributeSeconds;
        final long createdAt;
        final long durationMillis;
        final long unknownMillis;
        final int overReport;
        final Set<String> failing;
        /** When it became active (approved, or created without approval); Long.MIN_VALUE until then. */
        private volatile long startedAt = Long.MIN_VALUE;
        private volatile long refusedAt = Long.MIN_VALUE;

        Action(long id, long savedActionId, String name, JsonNode body, PlatformCatalog.NamedGroup actionGroup, long targetGroupId,
                String targetGroupName, List<Inventory.Endpoint> targets, ObjectNode packageSpec, long expireSeconds, long distributeSeconds,
                long createdAt, long durationMillis, long unknownMillis, int overReport, Set<String> failing) {
            this.id = id;
            this.savedActionId = savedActionId;
            this.name = name;
            this.body = body;
            this.actionGroup = actionGroup;
            this.targetGroupId = targetGroupId;
            this.targetGroupName = targetGroupName;
            this.targets = List.copyOf(targets);
            this.packageSpec = packageSpec;
            this.expireSeconds = expireSeconds;
            this.distributeSeconds = distributeSeconds;
            this.createdAt = createdAt;
            this.durationMillis = durationMillis;
            this.unknownMillis = unknownMillis;
            this.overReport = overReport;
            this.failing = failing;
        }

        synchronized void activate(long now) {
            startedAt = now;
        }

        synchronized boolean approve(long now) {
            if (!pendingApproval(now)) {
                return false;
            }
            startedAt = now;
            return true;
        }

        synchronized boolean refuse(long now) {
            if (!pendingApproval(now)) {
                return false;
            }
            refusedAt = now;
            return true;
        }

        boolean started() {
            return startedAt != Long.MIN_VALUE;
        }

        boolean refused() {
            return refusedAt != Long.MIN_VALUE;
        }

        boolean pendingApproval(long now) {
            return !started() && !refused() && now < createdAt + expireSeconds * 1000;
        }

        boolean approved() {
            return started();
        }

        long startedAt() {
            return startedAt;
        }

        /** Pending (not approved yet) → Active → Expired; a refused action is Stopped; an unapproved one Expires at its deadline. */
        String status(long now) {
            if (refused()) {
                return "Stopped";
            }
            if (!started()) {
                return now >= createdAt + expireSeconds * 1000 ? "Expired" : "Pending";
            }
            return now >= startedAt + expireSeconds * 1000 ? "Expired" : "Active";
        }

        /** The action status of the target at {@code index}, without the {@code <id>:} prefix and the final dot. */
        String rowStatus(int index, long now) {
            long elapsed = now - startedAt;
            long finishAt = durationMillis / 2 + (durationMillis - durationMillis / 2) * (index + 1) / targets.size();
            boolean expired = now >= startedAt + expireSeconds * 1000;
            if (elapsed >= finishAt && finishAt < expireSeconds * 1000) {
                return failing.contains(targets.get(index).name().toLowerCase(Locale.ROOT)) ? "Failed" : "Completed";
            }
            if (expired) {
                return "Expired";
            }
            return elapsed < durationMillis / 2 ? "Waiting" : "Running";
        }

        IssuedAction view(long now) {
            return new IssuedAction(id, name, body, status(now), savedActionId, targets);
        }
    }

    /** One question; which endpoints have answered is a function of the clock. */
    static final class Question {
        final long id;
        final String queryText;
        final JsonNode body;
        final List<QuestionText.Select> selects;
        final List<Inventory.Endpoint> targets;
        /** Everyone the question goes to: every endpoint, in inventory order (the filter decides who passes). */
        final List<Inventory.Endpoint> everyone;
        final long askedAt;
        final long delayMillis;
        final long unknownMillis;
        final int overReport;
        final long expireSeconds;

        Question(long id, String queryText, JsonNode body, List<QuestionText.Select> selects, List<Inventory.Endpoint> targets,
                List<Inventory.Endpoint> everyone, long askedAt, long delayMillis, long unknownMillis, int overReport, long expireSeconds) {
            this.id = id;
            this.queryText = queryText;
            this.body = body;
            this.selects = List.copyOf(selects);
            this.targets = List.copyOf(targets);
            this.everyone = List.copyOf(everyone);
            this.askedAt = askedAt;
            this.delayMillis = delayMillis;
            this.unknownMillis = unknownMillis;
            this.overReport = overReport;
            this.expireSeconds = expireSeconds;
        }

        /** The endpoints that have answered by {@code now}: endpoint k of n answers {@code delay·(k+1)/n} after the question. */
        List<Inventory.Endpoint> answered(long now) {
            List<Inventory.Endpoint> answered = new ArrayList<>();
            int n = everyone.size();
            for (int k = 0; k < n; k++) {
                if (now - askedAt >= delayMillis * (k + 1) / n) {
                    answered.add(everyone.get(k));
                }
            }
            return answered;
        }

        /** Targets that answered, in target order. */
        List<Inventory.Endpoint> passed(long now) {
            Set<Inventory.Endpoint> answered = new LinkedHashSet<>(answered(now));
            return targets.stream().filter(answered::contains).toList();
        }
    }

    private static List<Long> concat(List<Long> a, List<Long> b) {
        List<Long> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static List<Long> ids(JsonNode settings, String field) {
        if (!settings.has(field)) {
            return List.of();
        }
        JsonNode value = settings.get(field);
        List<Long> ids = new ArrayList<>();
        for (JsonNode id : value.isArray() ? value : List.of(value)) {
            if (!id.canConvertToLong() && !(id.isTextual() && id.asText().matches("\\d+"))) {
                throw new IllegalArgumentException(field + " takes an action id or an array of them");
            }
            ids.add(id.asLong());
        }
        return ids;
    }

    private static Long millis(JsonNode settings, String field) {
        if (!settings.has(field)) {
            return null;
        }
        JsonNode value = settings.get(field);
        if (!value.isIntegralNumber() || value.asLong() < 0) {
            throw new IllegalArgumentException(field + " must be a whole number of milliseconds, zero or more");
        }
        return value.asLong();
    }

    private static int wholeNumber(JsonNode value, String field) {
        if (!value.isIntegralNumber() || value.asLong() < 0 || value.asLong() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(field + " must be a whole number, zero or more");
        }
        return value.asInt();
    }

    private static long nonNegative(Duration duration, String what) {
        if (duration == null || duration.isNegative()) {
            throw new IllegalArgumentException(what + " must be zero or positive");
        }
        return duration.toMillis();
    }
}
