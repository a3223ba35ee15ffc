package io.github.taniumroutes.simulator;

import java.math.BigDecimal;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The platform REST API under {@code /api/v2} (TANIUM_API.md §4; {@code /api/v2/session} stays with
 * {@link SessionHandler}), in the shapes of Tanium's Actions guide for partners (seed 003) and of the responses public
 * integrations record and parse (demisto/content Tanium_v2, splunk-soar-connectors/taniumrest). State and timing live
 * in {@link PlatformControl}.
 *
 * <ul>
 * <li>{@code POST /groups} {@code {"text":"Computer Name equals X and …"}} → {@code {"data":{"id"}}}; text that does not
 *     parse ({@link GroupText}) → 400 {@code {"text":"<reason>"}}. {@code GET /groups/{id}}, {@code GET /groups/by-name/{name}}.</li>
 * <li>{@code GET /action_groups/by-name/{name}}, {@code GET /packages/by-name/{name}}, {@code GET /sensors/by-name/{name}}
 *     (the name percent-encoded; {@code +} is a plus) and {@code …/{id}}; unknown → 404.</li>
 * <li>{@code POST /actions} (the seed's body) → the seed's reply shape, always {@code "status":"Pending"} and the
 *     not-started {@code start_time} 2001-01-01T00:00:00Z, as the seed shows even without approvals;
 *     {@code GET /actions/{id}} shows the status now; {@code GET /actions} lists them.</li>
 * <li>{@code GET /result_data/action/{id}}: the seed's result set, one row per target, {@code cid} the computer id.</li>
 * <li>{@code GET /saved_actions/{id}} ({@code approved_flag}, {@code last_action}) and {@code GET /saved_action_approvals}.</li>
 * <li>{@code POST /parse_question} → {@code {"data":[candidate …]}}, {@code []} when nothing parses (an unknown sensor).</li>
 * <li>{@code POST /questions}, {@code GET /questions/{id}}, {@code GET /result_info/question/{id}},
 *     {@code GET /result_data/question/{id}} (404 until the first endpoint has answered).</li>
 * </ul>
 *
 * <p>Errors are {@code {"text":"…"}}, the field demisto/content's Tanium_v2 reads from every 400 and 404. A 404 for an
 * unknown object reads {@code REST Object Not Found Exception: <Type>NotFound: The requested <type> was not found},
 * extrapolated from the one such text a public integration quotes (splunk-soar-connectors/taniumrest, for a
 * result_data/question that was not ready: {@code …SensorNotFound: The requested sensor was not found}), which is also
 * the text of the not-ready 404 here.
 *
 * <p>List filtering ({@code GET /actions}): a client sends the header {@code tanium-options} with a JSON object,
 * {@code {"cache_filters":[{"field":"name","operator":"Equal","value":"…"}]}} (fields are paths in the action object,
 * {@code saved_action/id} for a nested one; operators {@code Equal}, {@code RegexMatch}, {@code Less}, {@code Greater},
 * {@code LessEqual}, {@code GreaterEqual}; {@code not_flag} negates), and optionally {@code row_start}/{@code row_count}:
 * the header and the filter shape are those of public clients (HoganSlender/vscode-tanium-actions-from-saved-action
 * filters {@code saved_action/id} with {@code Equal} and drops the last element, "the cache object"; another public
 * Tanium REST client sends {@code row_start}/{@code row_count} the same way). Query parameters are not read. Without {@code row_count} the reply holds the most recent
 * {@link PlatformControl#actionListLimit} matching actions, oldest first; its last element is
 * {@code {"cache_info":{"cache_id","page_row_count","filtered_row_count","cache_row_count","expiration"}}}, not an action
 * (demisto/content Tanium_v2 drops the last element of every list for this reason; the field names are not in a public
 * recording and are chosen here).
 */
final class PlatformHandler implements SimulatorHandler {

    static final String PREFIX = "/api/v2";
    static final String NOT_READY = "REST Object Not Found Exception: SensorNotFound: The requested sensor was not found";
    private static final long SAVED_QUESTION_ID = 195_532;
    private static final Set<String> ACTION_FIELDS = Set.of("id", "name", "comment", "target_group", "action_group", "package_spec",
            "skip_lock_flag", "expire_seconds", "distribute_seconds", "issue_seconds", "creation_time", "start_time", "expiration_time",
            "status", "stopped_flag", "user", "approver", "history_saved_question", "saved_action");

    private final ObjectMapper mapper;
    private final PlatformControl state;
    private final int userId;
    private final String userName;
    private final Map<String, QuestionText.SensorDef> sensors;

    PlatformHandler(ObjectMapper mapper, PlatformControl state, int userId, String userName) {
        this.mapper = mapper;
        this.state = state;
        this.userId = userId;
        this.userName = userName;
        this.sensors = QuestionText.sensors(state.inventory(), state.catalog());
    }

    @Override
    public Reply handle(String method, String path, String query, String body) throws Exception {
        return handle(method, path, query, name -> null, body);
    }

    @Override
    public Reply handle(String method, String path, String query, UnaryOperator<String> headers, String body) throws Exception {
        String rest = path.substring(PREFIX.length());
        String[] s = rest.length() <= 1 ? new String[0] : rest.substring(1).split("/", -1);
        String first = s.length == 0 ? "" : s[0];
        boolean get = "GET".equals(method);
        boolean post = "POST".equals(method);
        switch (first) {
            case "groups":
                if (s.length == 1) {
                    return post ? createGroup(body) : notAllowed();
                }
                if (s.length == 3 && s[1].equals("by-name")) {
                    return get ? groupByName(decode(s[2])) : notAllowed();
                }
                return s.length == 2 && get ? groupById(s[1]) : notFound();
            case "action_groups":
                if (s.length == 3 && s[1].equals("by-name")) {
                    return get ? actionGroupByName(decode(s[2])) : notAllowed();
                }
                return s.length == 2 && get ? actionGroupById(s[1]) : notFound();
            case "packages":
                if (s.length == 3 && s[1].equals("by-name")) {
                    return get ? packageByName(decode(s[2])) : notAllowed();
                }
                return s.length == 2 && get ? packageById(s[1]) : notFound();
            case "sensors":
                if (s.length == 3 && s[1].equals("by-name")) {
                    return get ? sensorByName(decode(s[2])) : notAllowed();
                }
                return notFound();
            case "actions":
                if (s.length == 1) {
                    return post ? issueAction(body) : get ? listActions(headers.apply("tanium-options")) : notAllowed();
                }
                return s.length == 2 && get ? actionById(s[1]) : notFound();
            case "saved_actions":
                return s.length == 2 && get ? savedAction(s[1]) : notFound();
            case "saved_action_approvals":
                return s.length == 1 && get ? pendingApprovals() : notFound();
            case "result_data":
                if (s.length == 3 && s[1].equals("action")) {
                    return get ? actionResults(s[2]) : notAllowed();
                }
                if (s.length == 3 && s[1].equals("question")) {
                    return get ? questionResults(s[2]) : notAllowed();
                }
                return notFound();
            case "result_info":
                return s.length == 3 && s[1].equals("question") && get ? questionInfo(s[2]) : notFound();
            case "parse_question":
                return s.length == 1 && post ? parseQuestion(body) : s.length == 1 ? notAllowed() : notFound();
            case "questions":
                if (s.length == 1) {
                    return post ? askQuestion(body) : notAllowed();
                }
                return s.length == 2 && get ? questionById(s[1]) : notFound();
            default:
                return notFound();
        }
    }

    // ---- groups ----

    private Reply createGroup(String body) {
        JsonNode request = json(body);
        if (request == null || !request.path("text").isTextual()) {
            return Reply.json(400, text("Expected {\"text\":\"<the filter half of a question>\"}"));
        }
        String groupText = request.get("text").asText();
        GroupText.Node filter;
        try {
            filter = GroupText.parse(groupText);
        } catch (GroupText.SyntaxError e) {
            return Reply.json(400, text(e.getMessage()));
        }
        PlatformControl.Group group = state.createGroup(groupText, filter);
        ObjectNode reply = mapper.createObjectNode();
        reply.putObject("data").put("id", group.id());
        return Reply.json(200, reply);
    }

    private Reply groupById(String id) throws GroupText.SyntaxError {
        Long number = number(id);
        PlatformControl.Group group = number == null ? null : state.group(number);
        return group == null ? objectNotFound("Group") : data(groupJson(group));
    }

    private Reply groupByName(String name) throws GroupText.SyntaxError {
        for (PlatformControl.Group group : allGroups()) {
            if (!group.name().isEmpty() && group.name().equals(name)) {
                return data(groupJson(group));
            }
        }
        return objectNotFound("Group");
    }

    private List<PlatformControl.Group> allGroups() {
        List<PlatformControl.Group> all = new ArrayList<>();
        for (PlatformCatalog.NamedGroup filter : state.catalog().filterGroups()) {
            all.add(state.group(filter.id()));
        }
        all.addAll(state.createdGroups());
        return all;
    }

    private ObjectNode groupJson(PlatformControl.Group group) throws GroupText.SyntaxError {
        ObjectNode json = mapper.createObjectNode().put("id", group.id()).put("name", group.name()).put("text", group.text())
                .put("type", group.type()).put("source_id", 0).put("management_rights_flag", false);
        ObjectNode parsed = GroupText.groupJson(mapper, GroupText.parse(group.text()));
        json.setAll(parsed);
        return json;
    }

    // ---- action groups, packages, sensors ----

    private Reply actionGroupByName(String name) {
        state.countActionGroupLookup(name);
        PlatformCatalog.NamedGroup group = state.catalog().actionGroup(name);
        return group == null ? objectNotFound("ActionGroup") : data(actionGroupJson(group));
    }

    private Reply actionGroupById(String id) {
        Long number = number(id);
        PlatformCatalog.NamedGroup group = number == null ? null : state.catalog().actionGroup(number);
        return group == null ? objectNotFound("ActionGroup") : data(actionGroupJson(group));
    }

    private ObjectNode actionGroupJson(PlatformCatalog.NamedGroup group) {
        ObjectNode json = mapper.createObjectNode().put("id", group.id()).put("name", group.name()).put("and_flag", false)
                .put("deleted_flag", false).put("text", group.none() ? "" : group.text()).put("type", 1).put("visual_group_flag", false);
        ArrayNode groups = json.putArray("groups");
        if (!group.none()) {
            groups.addObject().put("id", group.id() + 1_000_000).put("name", group.text().isEmpty() ? "All Computers" : group.name());
        }
        return json;
    }

    private Reply packageByName(String name) {
        state.countPackageLookup(name);
        PlatformCatalog.Package pkg = state.catalog().packageNamed(name);
        return pkg == null ? objectNotFound("Package") : data(pkg.json().deepCopy());
    }

    private Reply packageById(String id) {
        Long number = number(id);
        PlatformCatalog.Package pkg = number == null ? null : state.catalog().packageWithId(number);
        return pkg == null ? objectNotFound("Package") : data(pkg.json().deepCopy());
    }

    private Reply sensorByName(String name) {
        state.countSensorLookup(name);
        PlatformCatalog.Sensor sensor = state.catalog().sensor(name);
        if (sensor != null) {
            return data(sensor.json().deepCopy());
        }
        QuestionText.SensorDef def = sensors.get(name);
        if (def == null) {
            return objectNotFound("Sensor");
        }
        ObjectNode json = mapper.createObjectNode().put("id", 0).put("name", def.name()).put("hash", def.hash()).put("category", "")
                .put("value_type", "String").put("max_age_seconds", 600).put("parameter_definition", "");
        return data(json);
    }

    // ---- actions ----

    private Reply issueAction(String body) {
        JsonNode request = json(body);
        if (request == null || !request.isObject()) {
            return Reply.json(400, text("The request body is not a JSON object"));
        }
        String name = request.path("name").asText("");
        if (name.isBlank()) {
            return Reply.json(400, text("An action needs a name"));
        }
        JsonNode groupRef = request.path("action_group");
        PlatformCatalog.NamedGroup actionGroup = null;
        if (number(groupRef.path("id").asText(null)) != null) {
            actionGroup = state.catalog().actionGroup(number(groupRef.path("id").asText()));
        } else if (groupRef.path("name").isTextual()) {
            actionGroup = state.catalog().actionGroup(groupRef.path("name").asText());
        }
        if (actionGroup == null) {
            return Reply.json(400, text("Invalid action_group " + groupRef + ": no such action group"));
        }
        JsonNode spec = request.path("package_spec");
        Long source = number(spec.has("source_id") ? spec.path("source_id").asText(null) : spec.path("id").asText(null));
        PlatformCatalog.Package pkg = source == null ? null : state.catalog().packageWithId(source);
        if (pkg == null) {
            return Reply.json(400, text("Invalid package_spec " + spec + ": no package with that source_id"));
        }
        Map<String, String> given = new HashMap<>();
        for (JsonNode parameter : spec.path("parameters")) {
            String key = parameter.path("key").asText("");
            PlatformCatalog.Parameter defined = pkg.parameter(key);
            if (defined == null || !defined.takesValue()) {
                return Reply.json(400, text("Invalid parameter key '" + key + "' for package '" + pkg.name() + "'"));
            }
            given.put(key, parameter.path("value").isNull() ? "" : parameter.path("value").asText());
        }
        Map<String, String> values = new java.util.LinkedHashMap<>();
        for (PlatformCatalog.Parameter parameter : pkg.parameters()) {
            if (parameter.takesValue()) {
                String value = given.getOrDefault(parameter.key(), parameter.defaultValue());
                String problem = state.validatingParameterValues() ? problem(parameter, value) : null;
                if (problem != null) {
                    return Reply.json(400, text("Invalid value for parameter " + parameter.key() + " of package '" + pkg.name() + "': " + problem));
                }
                values.put(parameter.key(), value);
            }
        }
        List<Inventory.Endpoint> members;
        long targetGroupId = 0;
        String targetGroupName = "";
        JsonNode target = request.path("target_group");
        try {
            if (target.isMissingNode() || target.isNull()) {
                members = state.inventory().endpoints();
            } else if (number(target.path("id").asText(null)) != null) {
                PlatformControl.Group group = state.group(number(target.path("id").asText()));
                if (group == null) {
                    return Reply.json(400, text("Invalid target_group " + target + ": no such group"));
                }
                targetGroupId = group.id();
                targetGroupName = group.name();
                members = group.members();
            } else if (target.path("name").isTextual() && !target.has("filters") && !target.has("sub_groups")) {
                PlatformCatalog.NamedGroup filter = state.catalog().filterGroup(target.path("name").asText());
                if (filter == null) {
                    return Reply.json(400, text("Invalid target_group " + target + ": no such group"));
                }
                targetGroupId = filter.id();
                targetGroupName = filter.name();
                members = state.group(filter.id()).members();
            } else if (target.has("filters") || target.has("sub_groups")) {
                ObjectNode inline = target.deepCopy();
                inline.put("not_flag", false);
                members = new ArrayList<>();
                for (Inventory.Endpoint endpoint : state.inventory().endpoints()) {
                    if (GroupText.matchesGroupJson(inline, endpoint)) {
                        members.add(endpoint);
                    }
                }
            } else {
                return Reply.json(400, text("Invalid target_group " + target + ": give an id, a filter group name, or filters"));
            }
        } catch (GroupText.SyntaxError e) {
            return Reply.json(400, text("Invalid target_group: " + e.getMessage()));
        }
        boolean not = target.path("not_flag").asBoolean(false);
        Set<Inventory.Endpoint> selected = new LinkedHashSet<>(members);
        PlatformCatalog.NamedGroup scope = actionGroup;
        List<Inventory.Endpoint> targets = state.inventory().endpoints().stream()
                .filter(e -> selected.contains(e) != not).filter(scope::includes).toList();
        long expire = request.has("expire_seconds") ? request.path("expire_seconds").asLong(-1) : pkg.json().path("expire_seconds").asLong(600);
        if (expire <= 0) {
            return Reply.json(400, text("expire_seconds must be a positive number of seconds"));
        }
        long distribute = request.path("distribute_seconds").asLong(0);
        ObjectNode packageSpec = packageSpec(pkg, values);
        PlatformControl.Action action = state.issue(name, request, actionGroup, targetGroupId, targetGroupName, targets, packageSpec, expire, distribute);
        return data(actionJson(action, state.now(), true));
    }

    /** Why a value does not fit its parameter definition, or null. */
    private static String problem(PlatformCatalog.Parameter parameter, String value) {
        JsonNode definition = parameter.definition();
        switch (parameter.model()) {
            case "NumericParameter": {
                BigDecimal number;
                try {
                    number = new BigDecimal(value.strip());
                } catch (NumberFormatException e) {
                    return value.isEmpty() ? "a value is required" : "'" + value + "' is not a number";
                }
                if (definition.path("minimum").isNumber() && number.compareTo(definition.get("minimum").decimalValue()) < 0) {
                    return value + " is below the minimum " + definition.get("minimum");
                }
                if (definition.path("maximum").isNumber() && number.compareTo(definition.get("maximum").decimalValue()) > 0) {
                    return value + " is above the maximum " + definition.get("maximum");
                }
                return null;
            }
            case "DropDownParameter": {
                for (JsonNode allowed : definition.path("values")) {
                    if (allowed.asText().equals(value)) {
                        return null;
                    }
                }
                return definition.path("values").isEmpty() ? null : "'" + value + "' is not one of " + definition.path("values");
            }
            case "CheckBoxParameter":
                return value.equals("0") || value.equals("1") ? null : "a check box takes 0 or 1";
            case "TextInputParameter":
            case "TextAreaParameter": {
                int max = definition.path("maxChars").asInt(0);
                if (max > 0 && value.length() > max) {
                    return "longer than " + max + " characters";
                }
                for (JsonNode expression : definition.path("validationExpressions")) {
                    try {
                        if (!Pattern.compile(expression.path("expression").asText("")).matcher(value).find()) {
                            return expression.path("helpString").asText("does not match " + expression.path("expression").asText());
                        }
                    } catch (PatternSyntaxException e) {
                        return null;
                    }
                }
                return null;
            }
            default:
                return null;
        }
    }

    /** The action's own copy of the package (a new id, source_id the package's), with the values substituted, as in seed 003. */
    private ObjectNode packageSpec(PlatformCatalog.Package pkg, Map<String, String> values) {
        ObjectNode spec = pkg.json().deepCopy();
        spec.put("id", state.nextPackageSpecId());
        String command = spec.path("command").asText();
        for (Map.Entry<String, String> value : values.entrySet()) {
            command = command.replace(value.getKey(), value.getValue());
        }
        spec.put("command", command).put("source_id", pkg.id()).put("source_hash_changed_flag", false);
        spec.remove("parameter_definition");
        ArrayNode parameters = spec.putArray("parameters");
        values.forEach((key, value) -> parameters.addObject().put("key", key).put("value", value).put("type", 0));
        return spec;
    }

    private Reply actionById(String id) {
        Long number = number(id);
        PlatformControl.Action action = number == null ? null : state.actionById(number);
        return action == null ? objectNotFound("Action") : data(actionJson(action, state.now(), false));
    }

    /** The seed's action shape; {@code justIssued} renders it as the POST reply (Pending, not started) whatever the mode. */
    private ObjectNode actionJson(PlatformControl.Action action, long now, boolean justIssued) {
        boolean started = !justIssued && action.started();
        long start = started ? action.startedAt() : PlatformControl.NOT_STARTED;
        ObjectNode json = mapper.createObjectNode().put("id", action.id).put("name", action.name).put("comment", "");
        json.putObject("target_group").put("id", action.targetGroupId).put("name", action.targetGroupName);
        json.putObject("action_group").put("id", action.actionGroup.id()).put("name", action.actionGroup.name());
        json.set("package_spec", action.packageSpec.deepCopy());
        json.put("skip_lock_flag", false).put("expire_seconds", action.expireSeconds).put("distribute_seconds", action.distributeSeconds)
                .put("issue_seconds", action.body.path("issue_seconds").asLong(0))
                .put("creation_time", PlatformControl.iso(action.createdAt)).put("start_time", PlatformControl.iso(start))
                .put("expiration_time", PlatformControl.iso(start + action.expireSeconds * 1000));
        String status = justIssued ? "Pending" : action.status(now);
        json.put("status", status).put("stopped_flag", !justIssued && action.refused());
        json.set("user", user());
        ObjectNode approver = json.putObject("approver");
        if (started) {
            approver.put("id", PlatformControl.APPROVER_ID).put("name", PlatformControl.APPROVER_NAME);
        } else {
            approver.put("id", 0).put("name", "");
        }
        json.putObject("history_saved_question").put("id", 0);
        json.putObject("saved_action").put("id", action.savedActionId);
        return json;
    }

    private ObjectNode user() {
        ObjectNode user = mapper.createObjectNode().put("id", userId).put("external_flag", 0).put("name", userName).put("domain", "")
                .put("display_name", "").put("group_id", 0).put("effective_group_id", 0).put("deleted_flag", false).put("locked_out", 0);
        return user;
    }

    private Reply listActions(String options) {
        JsonNode tanium;
        try {
            tanium = options == null || options.isBlank() ? mapper.createObjectNode() : mapper.readTree(options);
        } catch (Exception e) {
            return Reply.json(400, text("The tanium-options header is not JSON: " + e.getMessage()));
        }
        if (!tanium.isObject()) {
            return Reply.json(400, text("The tanium-options header must be a JSON object"));
        }
        JsonNode filters = tanium.path("cache_filters");
        for (JsonNode filter : filters) {
            String field = filter.path("field").asText("");
            if (!ACTION_FIELDS.contains(field.split("/", 2)[0])) {
                return Reply.json(400, text("Invalid cache filter field '" + field + "'"));
            }
            if (!Set.of("Equal", "RegexMatch", "Less", "Greater", "LessEqual", "GreaterEqual").contains(filter.path("operator").asText("Equal"))) {
                return Reply.json(400, text("Invalid cache filter operator '" + filter.path("operator").asText() + "'"));
            }
        }
        long now = state.now();
        List<ObjectNode> matching = new ArrayList<>();
        int total = 0;
        for (PlatformControl.Action action : state.allActions()) {
            total++;
            ObjectNode json = actionJson(action, now, false);
            if (passes(json, filters)) {
                matching.add(json);
            }
        }
        int rowStart = Math.max(0, tanium.path("row_start").asInt(0));
        List<ObjectNode> page;
        if (tanium.has("row_count")) {
            int count = Math.max(0, tanium.path("row_count").asInt());
            page = matching.subList(Math.min(rowStart, matching.size()), Math.min(matching.size(), rowStart + count));
        } else {
            page = matching.subList(Math.max(0, matching.size() - state.listLimit()), matching.size());
        }
        ObjectNode reply = mapper.createObjectNode();
        ArrayNode data = reply.putArray("data");
        page.forEach(data::add);
        data.addObject().putObject("cache_info").put("cache_id", Math.abs((long) (options == null ? 0 : options.hashCode())) % 4_000_000_000L)
                .put("page_row_count", page.size()).put("filtered_row_count", matching.size()).put("cache_row_count", total)
                .put("expiration", PlatformControl.iso(now + 600_000));
        return Reply.json(200, reply);
    }

    private static boolean passes(ObjectNode action, JsonNode filters) {
        for (JsonNode filter : filters) {
            JsonNode node = action;
            for (String part : filter.path("field").asText().split("/")) {
                node = node.path(part);
            }
            String actual = node.isValueNode() ? node.asText() : null;
            String value = filter.path("value").asText("");
            boolean result = actual != null && switch (filter.path("operator").asText("Equal")) {
                case "Equal" -> actual.equals(value);
                case "RegexMatch" -> GroupText.regexMatches(value, actual, false);
                case "Less" -> compare(actual, value) < 0;
                case "Greater" -> compare(actual, value) > 0;
                case "LessEqual" -> compare(actual, value) <= 0;
                default -> compare(actual, value) >= 0;
            };
            if (result == filter.path("not_flag").asBoolean(false)) {
                return false;
            }
        }
        return true;
    }

    private static int compare(String a, String b) {
        try {
            return new BigDecimal(a).compareTo(new BigDecimal(b));
        } catch (NumberFormatException e) {
            return a.compareTo(b);
        }
    }

    private Reply savedAction(String id) {
        Long number = number(id);
        PlatformControl.Action action = number == null ? null : state.actionBySavedAction(number);
        if (action == null) {
            return objectNotFound("SavedAction");
        }
        long start = action.started() ? action.startedAt() : PlatformControl.NOT_STARTED;
        ObjectNode json = mapper.createObjectNode().put("id", action.savedActionId).put("name", action.name)
                .put("approved_flag", action.approved()).put("action_group_id", action.actionGroup.id())
                .put("creation_time", PlatformControl.iso(action.createdAt)).put("start_time", PlatformControl.iso(start))
                .put("end_time", PlatformControl.iso(start + action.expireSeconds * 1000)).put("expire_seconds", action.expireSeconds)
                .put("distribute_seconds", action.distributeSeconds).put("issue_seconds", 0).put("issue_count", 1)
                .put("last_start_time", PlatformControl.iso(start)).put("next_start_time", PlatformControl.iso(PlatformControl.NOT_STARTED));
        json.putObject("target_group").put("id", action.targetGroupId);
        json.putObject("package_spec").put("id", action.packageSpec.path("id").asLong()).put("name", action.packageSpec.path("name").asText())
                .put("source_hash", action.packageSpec.path("source_hash").asText());
        json.set("user", user());
        ObjectNode approver = json.putObject("approver");
        approver.put("id", action.approved() ? PlatformControl.APPROVER_ID : 0).put("name", action.approved() ? PlatformControl.APPROVER_NAME : "");
        json.putObject("last_action").put("id", action.id).put("start_time", PlatformControl.iso(start));
        return data(json);
    }

    /**
     * Saved actions waiting for approval, each {@code {"id","name","approved_flag":false,"owner_user_id"}} (the fields
     * demisto/content Tanium_v2 reads); its list is read whole there, so no cache_info element is appended here.
     */
    private Reply pendingApprovals() {
        long now = state.now();
        ObjectNode reply = mapper.createObjectNode();
        ArrayNode data = reply.putArray("data");
        for (PlatformControl.Action action : state.allActions()) {
            if (action.pendingApproval(now)) {
                data.addObject().put("id", action.savedActionId).put("name", action.name).put("approved_flag", false).put("owner_user_id", userId);
            }
        }
        return Reply.json(200, reply);
    }

    private Reply actionResults(String id) {
        Long number = number(id);
        PlatformControl.Action action = number == null ? null : state.actionById(number);
        if (action == null) {
            return objectNotFound("Action");
        }
        long now = state.now();
        ObjectNode reply = mapper.createObjectNode();
        ObjectNode data = reply.putObject("data").put("now", PlatformControl.nowText(now)).put("max_available_age", "");
        ObjectNode set = data.putArray("result_sets").addObject();
        long elapsed = action.started() ? now - action.startedAt() : 0;
        List<String> statuses = new ArrayList<>();
        if (action.started()) {
            for (int i = 0; i < action.targets.size(); i++) {
                statuses.add(action.rowStatus(i, now));
            }
        }
        long finished = statuses.stream().filter(st -> st.equals("Completed") || st.equals("Failed")).count();
        long completed = statuses.stream().filter("Completed"::equals).count();
        int over = action.started() ? action.overReport : 0;
        long estimated = !action.started() || elapsed < action.unknownMillis ? 0 : action.targets.size();
        long resultSetId = action.id + 4_975_000L;
        set.put("age", 0).put("id", resultSetId).put("report_count", finished + over).put("saved_question_id", SAVED_QUESTION_ID)
                .put("question_id", resultSetId).put("archived_question_id", 0).put("seconds_since_issued", elapsed / 1000)
                .put("issue_seconds", 0).put("expire_seconds", action.expireSeconds + 60).put("tested", finished + over)
                .put("passed", completed + over).put("mr_tested", finished + over).put("mr_passed", completed + over)
                .put("estimated_total", estimated).put("select_count", 2).put("error_count", 0).put("no_results_count", 0);
        ArrayNode columns = set.putArray("columns");
        columns.addObject().put("hash", GroupText.Sensor.COMPUTER_NAME.hash).put("name", "Computer Name").put("type", 1);
        columns.addObject().put("hash", 1_792_443_391L).put("name", "Action Statuses").put("type", 1);
        columns.addObject().put("hash", 0).put("name", "Count").put("type", 3);
        int rows = statuses.size();
        set.put("filtered_row_count", rows).put("filtered_row_count_machines", rows).put("row_count", rows).put("row_count_machines", rows)
                .put("item_count", rows);
        ArrayNode rowArray = set.putArray("rows");
        for (int i = 0; i < statuses.size(); i++) {
            Inventory.Endpoint endpoint = action.targets.get(i);
            ObjectNode row = rowArray.addObject().put("id", rowId(action.id + ":" + endpoint.id()));
            putCid(row, endpoint);
            ArrayNode cells = row.putArray("data");
            cells.addArray().addObject().put("text", endpoint.name());
            cells.addArray().addObject().put("text", action.id + ":" + statuses.get(i) + ".");
            cells.addArray().addObject().put("text", "1");
        }
        return Reply.json(200, reply);
    }

    // ---- questions ----

    private Reply parseQuestion(String body) {
        state.countParseQuestion();
        JsonNode request = json(body);
        if (request == null || !request.path("text").isTextual()) {
            return Reply.json(400, text("Expected {\"text\":\"Get … from all machines …\"}"));
        }
        ObjectNode reply = mapper.createObjectNode();
        ArrayNode data = reply.putArray("data");
        QuestionText.Parsed parsed;
        try {
            parsed = QuestionText.parse(request.get("text").asText(), sensors);
        } catch (GroupText.SyntaxError e) {
            return Reply.json(200, reply);
        }
        QuestionText.Parsed loose = looser(parsed);
        if (state.misranking() && loose != null) {
            data.add(QuestionText.candidate(mapper, loose));
        }
        data.add(QuestionText.candidate(mapper, parsed));
        if (!state.misranking() && loose != null) {
            data.add(QuestionText.candidate(mapper, loose));
        }
        return Reply.json(200, reply);
    }

    /** A looser reading of a question: every filter clause read as {@code contains}; null when there is nothing to loosen. */
    private static QuestionText.Parsed looser(QuestionText.Parsed parsed) {
        if (parsed.filter() == null) {
            return null;
        }
        QuestionText.Parsed loose = new QuestionText.Parsed(parsed.selects(), parsed.filter().loosened());
        return loose.text().equals(parsed.text()) ? null : loose;
    }

    private Reply askQuestion(String body) {
        JsonNode request = json(body);
        if (request == null || !request.isObject()) {
            return Reply.json(400, text("The request body is not a JSON object"));
        }
        long expire = request.path("expire_seconds").asLong(600);
        List<QuestionText.Select> selects = new ArrayList<>();
        List<Inventory.Endpoint> targets = new ArrayList<>();
        String queryText;
        try {
            if (request.path("selects").isArray() && !request.get("selects").isEmpty()) {
                for (JsonNode select : request.get("selects")) {
                    QuestionText.SensorDef sensor = sensorOf(select.path("sensor"));
                    if (sensor == null) {
                        return Reply.json(400, text("Unknown sensor in select " + select));
                    }
                    Map<String, String> given = new HashMap<>();
                    for (JsonNode parameter : select.path("sensor").path("parameters")) {
                        given.put(parameter.path("key").asText("").replace("||", ""), parameter.path("value").asText(""));
                    }
                    selects.add(QuestionText.select(sensor, given));
                }
                JsonNode group = request.path("group");
                for (Inventory.Endpoint endpoint : state.inventory().endpoints()) {
                    if (!group.isObject() || GroupText.matchesGroupJson(group, endpoint)) {
                        targets.add(endpoint);
                    }
                }
                queryText = request.path("question_text").asText(request.path("query_text").asText(
                        "Get " + String.join(" and ", selects.stream().map(QuestionText.Select::text).toList()) + " from all machines"));
            } else if (request.path("query_text").isTextual()) {
                QuestionText.Parsed parsed = QuestionText.parse(request.get("query_text").asText(), sensors);
                QuestionText.Parsed loose = looser(parsed);
                // Tanium runs the first interpretation of query_text: misranked, that is the looser one.
                QuestionText.Parsed chosen = state.misranking() && loose != null ? loose : parsed;
                selects.addAll(chosen.selects());
                for (Inventory.Endpoint endpoint : state.inventory().endpoints()) {
                    if (chosen.filter() == null || chosen.filter().matches(endpoint)) {
                        targets.add(endpoint);
                    }
                }
                queryText = chosen.text();
            } else {
                return Reply.json(400, text("A question needs selects (a parsed question) or query_text"));
            }
        } catch (GroupText.SyntaxError e) {
            return Reply.json(400, text(e.getMessage()));
        }
        JsonNode context = request.path("context_group");
        if (context.isObject() && number(context.path("id").asText(null)) != null && number(context.path("id").asText()) != 0) {
            PlatformControl.Group group = state.group(number(context.path("id").asText()));
            if (group == null) {
                return Reply.json(400, text("Invalid context_group " + context + ": no such group"));
            }
            targets.retainAll(group.members());
        }
        PlatformControl.Question question = state.ask(queryText, request, selects, targets, expire);
        return data(questionJson(question, state.now()));
    }

    private QuestionText.SensorDef sensorOf(JsonNode sensor) {
        if (sensor.path("name").isTextual() && sensors.containsKey(sensor.get("name").asText())) {
            return sensors.get(sensor.get("name").asText());
        }
        JsonNode hash = sensor.has("hash") ? sensor.get("hash") : sensor.get("source_hash");
        if (hash != null) {
            for (QuestionText.SensorDef def : sensors.values()) {
                if (def.hash() == hash.asLong()) {
                    return def;
                }
            }
        }
        return null;
    }

    private Reply questionById(String id) {
        Long number = number(id);
        PlatformControl.Question question = number == null ? null : state.question(number);
        return question == null ? objectNotFound("Question") : data(questionJson(question, state.now()));
    }

    private ObjectNode questionJson(PlatformControl.Question question, long now) {
        long expiration = question.askedAt + question.expireSeconds * 1000;
        ObjectNode json = mapper.createObjectNode().put("id", question.id).put("query_text", question.queryText)
                .put("expire_seconds", question.expireSeconds).put("expiration", PlatformControl.iso(expiration))
                .put("is_expired", now >= expiration).put("force_computer_id_flag", false).put("skip_lock_flag", false)
                .put("action_tracking_flag", false);
        json.putObject("saved_question").put("id", 0);
        json.putObject("management_rights_group").put("id", 0);
        json.set("user", user());
        ArrayNode selects = json.putArray("selects");
        for (QuestionText.Select select : question.selects) {
            selects.addObject().putObject("sensor").put("name", select.sensor().name()).put("hash", select.sensor().hash());
        }
        return json;
    }

    private Reply questionInfo(String id) {
        Long number = number(id);
        PlatformControl.Question question = number == null ? null : state.question(number);
        if (question == null) {
            return objectNotFound("Question");
        }
        long now = state.now();
        ObjectNode reply = mapper.createObjectNode();
        ObjectNode data = reply.putObject("data").put("max_available_age", "").put("now", PlatformControl.nowText(now));
        ObjectNode info = data.putArray("result_infos").addObject();
        counters(info, question, now, rows(question, now).size());
        return Reply.json(200, reply);
    }

    private Reply questionResults(String id) {
        Long number = number(id);
        PlatformControl.Question question = number == null ? null : state.question(number);
        if (question == null) {
            return objectNotFound("Question");
        }
        long now = state.now();
        if (question.answered(now).isEmpty()) {
            return Reply.json(404, text(NOT_READY));
        }
        List<ObjectNode> rows = rows(question, now);
        ObjectNode reply = mapper.createObjectNode();
        ObjectNode data = reply.putObject("data").put("now", PlatformControl.nowText(now)).put("max_available_age", "");
        ObjectNode set = data.putArray("result_sets").addObject();
        counters(set, question, now, rows.size());
        set.put("cache_id", String.valueOf(rowId("cache:" + question.id)));
        ArrayNode columns = set.putArray("columns");
        for (QuestionText.Select select : question.selects) {
            for (String column : select.sensor().columns()) {
                columns.addObject().put("hash", select.sensor().hash()).put("name", column).put("type", 1);
            }
        }
        columns.addObject().put("hash", 0).put("name", "Count").put("type", 3);
        set.put("filtered_row_count", rows.size()).put("filtered_row_count_machines", question.passed(now).size())
                .put("item_count", rows.size());
        ArrayNode rowArray = set.putArray("rows");
        rows.forEach(rowArray::add);
        return Reply.json(200, reply);
    }

    /** The counters of a question's result set (result_info's too): everyone is asked, the filter decides who passes. */
    private void counters(ObjectNode set, PlatformControl.Question question, long now, int rowCount) {
        int answered = question.answered(now).size();
        List<Inventory.Endpoint> passed = question.passed(now);
        long noResults = passed.stream().filter(e -> question.selects.stream().allMatch(s -> s.rows(e).isEmpty())).count();
        long elapsed = now - question.askedAt;
        int over = question.overReport;
        set.put("age", 0).put("id", question.id).put("report_count", answered + over).put("saved_question_id", 0)
                .put("question_id", question.id).put("archived_question_id", 0).put("seconds_since_issued", elapsed / 1000)
                .put("issue_seconds", 0).put("expire_seconds", question.expireSeconds).put("tested", answered + over)
                .put("passed", passed.size() + over).put("mr_tested", answered + over).put("mr_passed", passed.size() + over)
                .put("estimated_total", elapsed < question.unknownMillis ? 0 : question.everyone.size())
                .put("select_count", question.selects.size()).put("error_count", 0).put("no_results_count", noResults)
                .put("row_count", rowCount).put("row_count_machines", passed.size());
    }

    /**
     * The rows of a question now: with one select, one row per sensor row of each target that answered ({@code [no
     * results]} in every column for a target without rows); with several, one row per target whose cells hold all of
     * its values (as Tanium merges a question's sensors per machine). {@code cid} is the computer id.
     */
    private List<ObjectNode> rows(PlatformControl.Question question, long now) {
        List<ObjectNode> rows = new ArrayList<>();
        for (Inventory.Endpoint endpoint : question.passed(now)) {
            if (question.selects.size() == 1) {
                QuestionText.Select select = question.selects.get(0);
                List<List<String>> values = select.rows(endpoint);
                if (values.isEmpty()) {
                    values = List.of(java.util.Collections.nCopies(select.sensor().columns().size(), "[no results]"));
                }
                for (List<String> value : values) {
                    ObjectNode row = mapper.createObjectNode().put("id", rowId(endpoint.id() + ":" + value));
                    putCid(row, endpoint);
                    ArrayNode cells = row.putArray("data");
                    for (int c = 0; c < select.sensor().columns().size(); c++) {
                        cells.addArray().addObject().put("text", c < value.size() ? value.get(c) : "");
                    }
                    cells.addArray().addObject().put("text", "1");
                    rows.add(row);
                }
            } else {
                ObjectNode row = mapper.createObjectNode().put("id", rowId(endpoint.id() + ":" + question.id));
                putCid(row, endpoint);
                ArrayNode cells = row.putArray("data");
                for (QuestionText.Select select : question.selects) {
                    List<List<String>> values = select.rows(endpoint);
                    for (int c = 0; c < select.sensor().columns().size(); c++) {
                        ArrayNode cell = cells.addArray();
                        if (values.isEmpty()) {
                            cell.addObject().put("text", "[no results]");
                        }
                        for (List<String> value : values) {
                            cell.addObject().put("text", c < value.size() ? value.get(c) : "");
                        }
                    }
                }
                cells.addArray().addObject().put("text", "1");
                rows.add(row);
            }
        }
        return rows;
    }

    // ---- helpers ----

    /** The computer id as a number where it is one (as the seed's rows show it), else as text. */
    private static void putCid(ObjectNode row, Inventory.Endpoint endpoint) {
        String cid = endpoint.computerId();
        if (cid != null && cid.matches("\\d{1,18}")) {
            row.put("cid", Long.parseLong(cid));
        } else {
            row.put("cid", cid);
        }
    }

    private static long rowId(String key) {
        return GroupText.hash(key);
    }

    private JsonNode json(String body) {
        try {
            return body == null || body.isBlank() ? null : mapper.readTree(body);
        } catch (Exception e) {
            return null;
        }
    }

    private static Long number(String text) {
        if (text == null || !text.strip().matches("\\d{1,18}")) {
            return null;
        }
        return Long.parseLong(text.strip());
    }

    private Reply data(ObjectNode object) {
        ObjectNode reply = mapper.createObjectNode();
        reply.set("data", object);
        return Reply.json(200, reply);
    }

    private ObjectNode text(String message) {
        return mapper.createObjectNode().put("text", message);
    }

    private Reply objectNotFound(String type) {
        String words = type.replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(java.util.Locale.ROOT);
        return Reply.json(404, text("REST Object Not Found Exception: " + type + "NotFound: The requested " + words + " was not found"));
    }

    private Reply notFound() {
        return Reply.json(404, text("Not Found"));
    }

    private Reply notAllowed() {
        return Reply.json(405, text("Method Not Allowed"));
    }

    /** A path segment with its percent-escapes decoded; {@code +} stays a plus (it is not a space in a path). */
    private static String decode(String segment) {
        try {
            return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return segment;
        }
    }
}
