package io.github.taniumroutes.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** {@code POST /api/v2/actions} through the approval modes, and how its results fill in {@code /result_data/action/{id}}. */
class PlatformActionsTest {

    @RegisterExtension
    final PlatformHttp tanium = new PlatformHttp();

    @Test
    void withoutApprovalTheActionIsActiveAtOnceThoughItsReplySaysPending() throws Exception {
        long group = tanium.group("Computer Name equals WS-0142");

        PlatformHttp.Json issued = tanium.post("/api/v2/actions", killProcess("alert-1 kill 7412", group, "7412"));

        assertThat(issued.status()).isEqualTo(200);
        JsonNode action = issued.data();
        long id = action.path("id").asLong();
        assertThat(action.path("status").asText()).isEqualTo("Pending");
        assertThat(action.path("start_time").asText()).isEqualTo("2001-01-01T00:00:00Z");
        assertThat(action.path("target_group").path("id").asLong()).isEqualTo(group);
        assertThat(action.path("action_group").path("name").asText()).isEqualTo("All Computers");
        assertThat(action.path("package_spec").path("source_id").asLong()).isEqualTo(2101);
        assertThat(action.path("package_spec").path("id").asLong()).as("the action's own copy of the package").isNotEqualTo(2101);
        assertThat(action.path("package_spec").path("command").asText()).isEqualTo("cmd /c taskkill /F /PID 7412");
        assertThat(action.path("package_spec").path("parameters").get(0).path("value").asText()).isEqualTo("7412");
        assertThat(action.path("saved_action").path("id").asLong()).isPositive();
        assertThat(action.path("user").path("id").asInt()).isEqualTo(TaniumSimulator.USER_ID);

        JsonNode current = tanium.get("/api/v2/actions/" + id).data();
        assertThat(current.path("status").asText()).isEqualTo("Active");
        assertThat(current.path("stopped_flag").asBoolean()).isFalse();
        assertThat(tanium.platform().action(id).targetNames()).containsExactly("WS-0142");
        assertThat(tanium.platform().action(id).body().path("name").asText()).isEqualTo("alert-1 kill 7412");
        assertThat(tanium.platform().actionsNamed("alert-1 kill 7412")).isEqualTo(1);
    }

    @Test
    void resultsInTheSeedsShapeWithTheComputerIdAsCid() throws Exception {
        long group = tanium.group("Computer Name equals WS-0142");
        long id = tanium.post("/api/v2/actions", killProcess("kill", group, "7412")).data().path("id").asLong();

        JsonNode data = tanium.get("/api/v2/result_data/action/" + id).data();

        assertThat(data.path("now").asText()).matches("\\d{4}/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d GMT-0000");
        assertThat(data.has("max_available_age")).isTrue();
        JsonNode set = data.path("result_sets").get(0);
        assertThat(set.path("columns")).extracting(c -> c.path("name").asText()).containsExactly("Computer Name", "Action Statuses", "Count");
        assertThat(set.path("estimated_total").asInt()).isEqualTo(1);
        assertThat(set.path("mr_tested").asInt()).isEqualTo(1);
        assertThat(set.path("mr_passed").asInt()).isEqualTo(1);
        assertThat(set.path("row_count").asInt()).isEqualTo(1);
        JsonNode row = set.path("rows").get(0);
        assertThat(row.path("cid").asLong()).as("the computer id, not the Gateway id 1003").isEqualTo(9065203L);
        assertThat(row.path("data").get(0).get(0).path("text").asText()).isEqualTo("WS-0142");
        assertThat(row.path("data").get(1).get(0).path("text").asText()).isEqualTo(id + ":Completed.");
        assertThat(row.path("data").get(2).get(0).path("text").asText()).isEqualTo("1");
    }

    @Test
    void rowsGoWaitingRunningCompletedOrFailedWhileTheCountersFillAndOverReport() throws Exception {
        tanium.platform().actionDuration(Duration.ofMillis(1000)).estimatedTotalUnknown(Duration.ofMillis(300)).overReport(3)
                .failingEndpoints("db-prod-01.corp.example");
        long group = tanium.group("Computer Name equals WS-0142 or Computer Name equals db-prod-01.corp.example");
        long id = tanium.post("/api/v2/actions", killProcess("kill two", group, "812")).data().path("id").asLong();

        JsonNode first = resultSet(id);
        assertThat(statuses(first)).containsExactly(id + ":Waiting.", id + ":Waiting.");
        assertThat(first.path("estimated_total").asInt()).as("not yet known").isZero();
        assertThat(first.path("mr_tested").asInt()).as("other machines report too").isEqualTo(3);

        tanium.advance(600);
        JsonNode running = resultSet(id);
        assertThat(statuses(running)).containsExactly(id + ":Running.", id + ":Running.");
        assertThat(running.path("estimated_total").asInt()).isEqualTo(2);

        tanium.advance(200);
        JsonNode half = resultSet(id);
        assertThat(statuses(half)).containsExactly(id + ":Completed.", id + ":Running.");
        assertThat(half.path("mr_tested").asInt()).as("more than the estimate while a row still runs").isEqualTo(4)
                .isGreaterThan(half.path("estimated_total").asInt());

        tanium.advance(200);
        JsonNode done = resultSet(id);
        assertThat(statuses(done)).containsExactly(id + ":Completed.", id + ":Failed.");
        assertThat(done.path("mr_tested").asInt()).isEqualTo(5);
        assertThat(done.path("mr_passed").asInt()).isEqualTo(4);
        assertThat(done.path("rows")).extracting(r -> r.path("cid").asLong()).containsExactly(9065203L, 9065204L);
    }

    @Test
    void requiredApprovalKeepsItPendingWithoutRowsUntilApproved() throws Exception {
        tanium.control("{\"approval\":\"required\"}");
        long group = tanium.group("Computer Name equals MAC-0007");
        JsonNode issued = tanium.post("/api/v2/actions", killProcess("needs approval", group, "501")).data();
        long id = issued.path("id").asLong();
        long saved = issued.path("saved_action").path("id").asLong();

        tanium.advance(5_000);
        assertThat(tanium.get("/api/v2/actions/" + id).data().path("status").asText()).isEqualTo("Pending");
        assertThat(tanium.get("/api/v2/actions/" + id).data().path("approver").path("id").asInt()).isZero();
        assertThat(resultSet(id).path("rows")).isEmpty();
        assertThat(tanium.get("/api/v2/saved_actions/" + saved).data().path("approved_flag").asBoolean()).isFalse();
        JsonNode pending = tanium.get("/api/v2/saved_action_approvals").data();
        assertThat(pending).singleElement().satisfies(p -> {
            assertThat(p.path("id").asLong()).isEqualTo(saved);
            assertThat(p.path("approved_flag").asBoolean()).isFalse();
            assertThat(p.path("owner_user_id").asInt()).isEqualTo(TaniumSimulator.USER_ID);
        });

        PlatformHttp.Json approved = tanium.control("{\"approve\":" + id + "}");

        assertThat(approved.status()).isEqualTo(200);
        JsonNode action = tanium.get("/api/v2/actions/" + id).data();
        assertThat(action.path("status").asText()).isEqualTo("Active");
        assertThat(action.path("approver").path("id").asInt()).isPositive().isNotEqualTo(TaniumSimulator.USER_ID);
        assertThat(tanium.get("/api/v2/saved_actions/" + saved).data().path("approved_flag").asBoolean()).isTrue();
        assertThat(tanium.get("/api/v2/saved_actions/" + saved).data().path("last_action").path("id").asLong()).isEqualTo(id);
        assertThat(statuses(resultSet(id))).containsExactly(id + ":Completed.");
        assertThat(tanium.get("/api/v2/saved_action_approvals").data()).isEmpty();
    }

    @Test
    void aRefusedActionIsStoppedAndNeverRuns() throws Exception {
        tanium.platform().approval(PlatformControl.Approval.REQUIRED);
        long group = tanium.group("Computer Name equals MAC-0007");
        long id = tanium.post("/api/v2/actions", killProcess("refused", group, "501")).data().path("id").asLong();

        assertThat(tanium.platform().refuse(id)).isTrue();

        JsonNode action = tanium.get("/api/v2/actions/" + id).data();
        assertThat(action.path("status").asText()).isEqualTo("Stopped");
        assertThat(action.path("stopped_flag").asBoolean()).isTrue();
        assertThat(action.path("approver").path("id").asInt()).isZero();
        assertThat(resultSet(id).path("rows")).isEmpty();
        assertThat(tanium.platform().approve(id)).as("too late").isFalse();
        assertThat(tanium.control("{\"approve\":" + id + "}").status()).isEqualTo(400);
        assertThat(tanium.get("/api/v2/saved_action_approvals").data()).isEmpty();
    }

    @Test
    void aPendingActionExpiresAtItsDeadline() throws Exception {
        tanium.platform().approval(PlatformControl.Approval.REQUIRED);
        long group = tanium.group("Computer Name equals MAC-0007");
        ObjectNode body = killProcess("expires", group, "501");
        body.put("expire_seconds", 60);
        long id = tanium.post("/api/v2/actions", body).data().path("id").asLong();

        tanium.advance(59_999);
        assertThat(tanium.platform().action(id).status()).isEqualTo("Pending");
        tanium.advance(1);
        assertThat(tanium.get("/api/v2/actions/" + id).data().path("status").asText()).isEqualTo("Expired");
        assertThat(tanium.platform().approve(id)).isFalse();
        assertThat(resultSet(id).path("rows")).isEmpty();
    }

    @Test
    void unknownGroupsPackagesAndParameterKeysAre400s() throws Exception {
        long group = tanium.group("Computer Name equals WS-0142");
        ObjectNode unknownActionGroup = killProcess("x", group, "1");
        unknownActionGroup.putObject("action_group").put("id", 424242);
        ObjectNode unknownTarget = killProcess("x", 999, "1");
        ObjectNode unknownPackage = killProcess("x", group, "1");
        ((ObjectNode) unknownPackage.path("package_spec")).put("source_id", 999_999);
        ObjectNode undefinedKey = killProcess("x", group, "1");
        ((com.fasterxml.jackson.databind.node.ArrayNode) undefinedKey.path("package_spec").path("parameters")).addObject().put("key", "$2").put("value", "x");
        ObjectNode outOfRange = killProcess("x", group, "1");
        ObjectNode spec = (ObjectNode) outOfRange.path("package_spec");
        spec.put("source_id", 15);
        ((ObjectNode) spec.path("parameters").get(0)).put("value", 100);
        ObjectNode notADropDownValue = killProcess("x", group, "1");
        ((ObjectNode) notADropDownValue.path("package_spec")).put("source_id", 2102);
        ((ObjectNode) notADropDownValue.path("package_spec").path("parameters").get(0)).put("value", "Turbo");

        for (ObjectNode body : List.of(unknownActionGroup, unknownTarget, unknownPackage, undefinedKey, outOfRange, notADropDownValue)) {
            PlatformHttp.Json reply = tanium.post("/api/v2/actions", body);
            assertThat(reply.status()).as(body.toString()).isEqualTo(400);
            assertThat(reply.text()).as(body.toString()).isNotBlank();
        }
        assertThat(tanium.post("/api/v2/actions", "not json").status()).isEqualTo(400);
        assertThat(tanium.platform().actionsIssued()).isZero();

        tanium.platform().validateParameterValues(false);
        assertThat(tanium.post("/api/v2/actions", outOfRange).status()).isEqualTo(200);
    }

    @Test
    void aFilterGroupTargetsItsMembersAndTheDefaultActionGroupNobody() throws Exception {
        ObjectNode filtered = killProcess("servers", 132113, "4");
        ((ObjectNode) filtered.path("target_group")).put("filter_flag", true).remove("not_flag");
        ObjectNode nobody = killProcess("default group", 132113, "4");
        nobody.putObject("action_group").put("id", "1");

        long serversAction = tanium.post("/api/v2/actions", filtered).data().path("id").asLong();
        long defaultAction = tanium.post("/api/v2/actions", nobody).data().path("id").asLong();

        assertThat(tanium.platform().action(serversAction).targetNames()).containsExactly("QA-LAB\\KIOSK \"7\"");
        assertThat(tanium.platform().action(defaultAction).targets()).isEmpty();
        assertThat(resultSet(defaultAction).path("rows")).isEmpty();
    }

    @Test
    void theListEndsWithCacheInfoAndFiltersByNameThroughTheTaniumOptionsHeader() throws Exception {
        long group = tanium.group("Computer Name equals WS-0142");
        List<Long> ids = new ArrayList<>();
        for (String name : List.of("alert-1 kill", "alert-2 kill", "alert-3 kill")) {
            ids.add(tanium.post("/api/v2/actions", killProcess(name, group, "7412")).data().path("id").asLong());
        }

        JsonNode all = tanium.get("/api/v2/actions").data();
        JsonNode filtered = tanium.get("/api/v2/actions", "tanium-options",
                "{\"cache_filters\":[{\"field\":\"name\",\"operator\":\"Equal\",\"value\":\"alert-2 kill\"}]}").data();
        JsonNode bySavedAction = tanium.get("/api/v2/actions", "tanium-options", "{\"cache_filters\":[{\"field\":\"saved_action/id\","
                + "\"operator\":\"Equal\",\"value\":\"" + tanium.platform().action(ids.get(0)).savedActionId() + "\"}]}").data();

        assertThat(all).hasSize(4);
        assertThat(all.get(3).has("cache_info")).as("the last element is not an action").isTrue();
        assertThat(all.get(3).path("cache_info").path("filtered_row_count").asInt()).isEqualTo(3);
        assertThat(filtered).hasSize(2);
        assertThat(filtered.get(0).path("id").asLong()).isEqualTo(ids.get(1));
        assertThat(filtered.get(1).has("cache_info")).isTrue();
        assertThat(bySavedAction.get(0).path("id").asLong()).isEqualTo(ids.get(0));
        assertThat(tanium.get("/api/v2/actions", "tanium-options", "{not json").status()).isEqualTo(400);
        assertThat(tanium.get("/api/v2/actions", "tanium-options", "{\"cache_filters\":[{\"field\":\"nmae\",\"value\":\"x\"}]}").status())
                .isEqualTo(400);

        tanium.platform().actionListLimit(2);
        JsonNode recent = tanium.get("/api/v2/actions").data();
        assertThat(recent).hasSize(3);
        assertThat(recent.get(0).path("id").asLong()).isEqualTo(ids.get(1));
        assertThat(recent.get(1).path("id").asLong()).isEqualTo(ids.get(2));
    }

    private ObjectNode killProcess(String name, long targetGroup, String pid) {
        ObjectNode body = PlatformHttp.MAPPER.createObjectNode();
        body.putObject("action_group").put("id", "6818");
        body.put("name", name);
        body.putObject("target_group").put("id", targetGroup).put("management_rights_flag", false).put("not_flag", false);
        ObjectNode spec = body.putObject("package_spec").put("source_id", 2101);
        spec.putArray("parameters").addObject().put("key", "$1").put("value", pid);
        body.put("expire_seconds", 3600).put("distribute_seconds", 0).put("issue_seconds", 0);
        return body;
    }

    private JsonNode resultSet(long id) throws Exception {
        PlatformHttp.Json reply = tanium.get("/api/v2/result_data/action/" + id);
        assertThat(reply.status()).isEqualTo(200);
        return reply.data().path("result_sets").get(0);
    }

    private static List<String> statuses(JsonNode set) {
        List<String> statuses = new ArrayList<>();
        set.path("rows").forEach(row -> statuses.add(row.path("data").get(1).get(0).path("text").asText()));
        return statuses;
    }
}
