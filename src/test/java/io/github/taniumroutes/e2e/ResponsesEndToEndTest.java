package io.github.taniumroutes.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.taniumroutes.simulator.PlatformControl;
import io.github.taniumroutes.simulator.RecordedRequest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Actions and questions through the real broker and the simulator's platform API: a live action to
 * its endpoint's final status (targeting exactly that endpoint, whatever its name), a dry run that
 * changes nothing, an approver who approves or declines or never comes, a value the package refuses,
 * the same alert delivered twice with one action, and a Trace question whose rows reach the result.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaAndSimulator.class, restrictToAnnotatedClass = false)
@TestProfile(ResponsesEndToEndTest.Responses.class)
class ResponsesEndToEndTest {

    static final Duration WITHIN = Duration.ofSeconds(60);

    /** Also FileEvidenceEndToEndTest's (one application start for both): a short collect deadline, a small cap, small list pages. */
    public static class Responses implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("policy.file", "src/test/resources/policies/responses.yaml",
                    "policy.mode", "live",
                    "policy.kill-switch-file", "target/responses-e2e/KILL_SWITCH",
                    "tanium.servers.default.action-group", "All Computers",
                    "file-evidence.collect-deadline", "PT3S",
                    "file-evidence.max-bytes", "65536",
                    "file-evidence.list-page-size", "50");
        }
    }

    private PlatformControl platform;

    @BeforeEach
    void resetSimulator() {
        KafkaAndSimulator.simulator().faults().clear();
        platform = KafkaAndSimulator.simulator().platform().reset().actionDuration(Duration.ofMillis(300));
    }

    @Test
    void aLiveActionTargetsExactlyItsEndpointAndIsFollowedToItsFinalStatus() throws Exception {
        // Endpoint 1020 is named QA-LAB\KIOSK "7": its name only targets it when quoted correctly.
        String alertId = "act-" + UUID.randomUUID();
        int actionGroupLookups = platform.actionGroupLookups();
        produce(alert(alertId, "1020", "act", 4242));

        JsonNode result = stepResult(alertId, "action");

        assertThat(result.path("outcome").asText()).as(result.toString()).isEqualTo("completed");
        assertThat(Schemas.violations("action-result.schema.json", result)).isEmpty();
        List<PlatformControl.IssuedAction> issued = platform.actions().stream().filter(a -> a.name().contains(alertId)).toList();
        assertThat(issued).as("one action").hasSize(1);
        PlatformControl.IssuedAction action = issued.get(0);
        assertThat(result.path("actionId").asText()).isEqualTo(String.valueOf(action.id()));
        assertThat(action.targetNames()).as("the ad-hoc group holds exactly the endpoint").containsExactly("QA-LAB\\KIOSK \"7\"");
        assertThat(platform.groupMembers(Long.parseLong(result.path("targetGroupId").asText()))).containsExactly("QA-LAB\\KIOSK \"7\"");
        assertThat(action.body().path("package_spec").path("parameters").get(0).path("value").asText()).isEqualTo("4242");
        assertThat(result.path("endpoints").get(0).path("status").asText()).isEqualTo("Completed");
        assertThat(result.path("endpoints").get(0).path("computerId").asText())
                .isEqualTo(KafkaAndSimulator.simulator().computerIdOf("1020"));
        assertThat(platform.actionGroupLookups() - actionGroupLookups).as("the action group's name is resolved once, if at all").isLessThanOrEqualTo(1);

        JsonNode audit = auditRecord(alertId, r -> r.has("actionId"));
        assertThat(audit.path("actionId").asText()).isEqualTo(result.path("actionId").asText());
        assertThat(audit.path("targetGroupId").asText()).isEqualTo(result.path("targetGroupId").asText());
        assertThat(audit.path("actionGroupId").asText()).isEqualTo(result.path("actionGroupId").asText());
        assertThat(audit.path("rule").asText()).isEqualTo("act");
    }

    @Test
    void aDryRunReadsButSendsNothingThatChangesAnything() throws Exception {
        String alertId = "dry-" + UUID.randomUUID();
        int requestsBefore = KafkaAndSimulator.simulator().requests().size();
        produce(alert(alertId, "1003", "act-not-live", 4242));

        JsonNode result = stepResult(alertId, "action");

        assertThat(result.path("outcome").asText()).isEqualTo("dry_run");
        assertThat(result.path("reason").asText()).isEqualTo("rule 'act-not-live' is not live");
        assertThat(Schemas.violations("action-result.schema.json", result)).isEmpty();
        assertThat(result.path("wouldSend")).extracting(r -> r.path("method").asText() + " " + r.path("path").asText())
                .containsExactly("POST /api/v2/groups", "POST /api/v2/actions");
        assertThat(result.path("wouldSend").get(0).path("body").path("text").asText())
                .isEqualTo("Computer Name equals \"WS-0142\" and Computer ID equals \"9065203\"");
        assertThat(result.path("wouldSend").get(1).path("body").path("package_spec").path("parameters").get(0).path("value").asText())
                .isEqualTo("4242");
        List<RecordedRequest> sent = KafkaAndSimulator.simulator().requests();
        assertThat(sent.subList(Math.min(requestsBefore, sent.size()), sent.size()))
                .as("only reads reached Tanium").noneMatch(r -> r.path().startsWith("/api/v2/") && !"GET".equals(r.method())
                        && !r.path().startsWith("/api/v2/session"));
        assertThat(platform.actions()).noneMatch(a -> a.name().contains(alertId));
    }

    @Test
    void anActionWaitsForItsApproverAndIsFollowedOnceApprovedOrEndsRefused() throws Exception {
        platform.approval(PlatformControl.Approval.REQUIRED);
        String approvedId = "approve-" + UUID.randomUUID();
        String declinedId = "decline-" + UUID.randomUUID();
        produce(alert(approvedId, "1003", "act-with-approval", 4242), alert(declinedId, "1004", "act-with-approval", 5151));

        long approved = pendingAction(approvedId);
        long declined = pendingAction(declinedId);
        awaitPolledWhilePending(approved);
        platform.approve(approved);
        platform.refuse(declined);

        JsonNode done = stepResult(approvedId, "action");
        assertThat(done.path("outcome").asText()).as(done.toString()).isEqualTo("completed");
        assertThat(done.path("approval").asText()).isEqualTo("approved");
        assertThat(done.path("polls").path("action").asInt()).as("it looked while the action was pending").isGreaterThan(1);
        JsonNode refused = stepResult(declinedId, "action");
        assertThat(refused.path("outcome").asText()).isEqualTo("refused");
        assertThat(refused.path("approval").asText()).isEqualTo("refused");
        assertThat(Schemas.violations("action-result.schema.json", refused)).isEmpty();
        assertThat(platform.action(declined).status()).as("never approved by us").isNotEqualTo("Active");
    }

    @Test
    void anActionNoApproverApprovesExpiresAtTheApprovalDeadline() throws Exception {
        platform.approval(PlatformControl.Approval.REQUIRED);
        String alertId = "unapproved-" + UUID.randomUUID();
        produce(alert(alertId, "1005", "act-short-approval", 4242));

        JsonNode result = stepResult(alertId, "action");

        assertThat(result.path("outcome").asText()).isEqualTo("expired");
        assertThat(result.path("reason").asText()).contains("not approved before the approval deadline");
        assertThat(result.path("approval").asText()).isEqualTo("pending");
    }

    @Test
    void aValueThePackageRefusesIsRejectedAndNothingIsIssued() throws Exception {
        String alertId = "refused-value-" + UUID.randomUUID();
        int groups = platform.groupsCreated();
        produce(alert(alertId, "1003", "act-refused-value", 150));

        JsonNode result = stepResult(alertId, "action");

        assertThat(result.path("outcome").asText()).isEqualTo("rejected");
        assertThat(result.path("reason").asText()).contains("parameter $1").contains("150 is above the package's maximum 99")
                .endsWith("nothing was issued");
        assertThat(platform.actions()).noneMatch(a -> a.name().contains(alertId));
        assertThat(platform.groupsCreated()).isEqualTo(groups);
    }

    @Test
    void theSameAlertDeliveredTwiceIssuesOneAction() throws Exception {
        String alertId = "twice-" + UUID.randomUUID();
        produce(alert(alertId, "1004", "act", 6161), alert(alertId, "1004", "act", 6161));
        JsonNode first = stepResult(alertId, "action");
        assertThat(first.path("outcome").asText()).isEqualTo("completed");
        // Delivered again after the first finished, as a rewound consumer would; then another alert about the
        // same endpoint, whose request is on the same partition, after the repeated one.
        String after = "after-" + UUID.randomUUID();
        produce(alert(alertId, "1004", "act", 6161));
        produce(alert(after, "1004", "act", 6262));
        assertThat(stepResult(after, "action").path("outcome").asText()).isEqualTo("completed");

        assertThat(platform.actions().stream().filter(a -> a.name().contains(alertId))).as("one action for one alert step").hasSize(1);
        assertThat(stepResult(alertId, "action").path("actionId").asText()).isEqualTo(first.path("actionId").asText());
    }

    @Test
    void aTraceQuestionAboutTheEndpointBringsItsRowsIntoTheResult() throws Exception {
        platform.misrankParse(true).questionDelay(Duration.ofMillis(500));
        String alertId = "trace-" + UUID.randomUUID();
        produce(alert(alertId, "1003", "trace", 4242));

        JsonNode result = stepResult(alertId, "question");

        assertThat(result.path("outcome").asText()).as(result.toString()).isEqualTo("completed");
        assertThat(Schemas.violations("question-result.schema.json", result)).isEmpty();
        assertThat(result.path("columns")).extracting(JsonNode::asText).contains("Query", "Response");
        assertThat(result.path("rows")).isNotEmpty().allSatisfy(row -> assertThat(row.path("computerId").asText())
                .isEqualTo(KafkaAndSimulator.simulator().computerIdOf("1003")));
        assertThat(result.path("totalRows").asInt()).isEqualTo(result.path("rows").size());
        PlatformControl.AskedQuestion asked = platform.questions().stream().filter(q -> q.queryText().contains("WS-0142")).reduce((a, b) -> b)
                .orElseThrow();
        assertThat(asked.targetNames()).as("not the looser reading ranked first").containsExactly("WS-0142");
        assertThat(asked.body().path("selects").get(0).path("sensor").path("parameters").toString())
                .contains("||AbsoluteTimeRange||").contains("||MaxResultsPerHost||");
    }

    // ---- helpers ----

    private static ProducerRecord<byte[], byte[]> alert(String alertId, String endpointId, String rule, long pid) {
        var alert = Investigations.MAPPER.createObjectNode().put("schemaVersion", 1).put("id", alertId).put("taniumEndpointId", endpointId)
                .put("rule", rule).put("severity", "high").put("time", Instant.now().toString());
        alert.putObject("process").put("name", "evil.exe").put("pid", pid);
        return KafkaTopics.record(KafkaAndSimulator.ALERTS, endpointId, alert.toString().getBytes(StandardCharsets.UTF_8), Map.of());
    }

    @SafeVarargs
    private static void produce(ProducerRecord<byte[], byte[]>... records) throws Exception {
        KafkaTopics.produce(KafkaAndSimulator.ALERTS, List.of(records));
    }

    private static JsonNode stepResult(String alertId, String step) {
        return Investigations.stepResult(alertId, step, WITHIN);
    }

    private static JsonNode auditRecord(String alertId, Predicate<JsonNode> which) {
        List<ConsumerRecord<byte[], byte[]>> read = KafkaTopics.readUntil(KafkaAndSimulator.AUDIT, WITHIN, records -> records.stream()
                .filter(r -> alertId.equals(KafkaTopics.header(r, "alertId"))).map(r -> Investigations.json(r.value())).anyMatch(which));
        return read.stream().filter(r -> alertId.equals(KafkaTopics.header(r, "alertId"))).map(r -> Investigations.json(r.value()))
                .filter(which).findFirst().orElseThrow(() -> new AssertionError("no such audit record of " + alertId));
    }

    /** The id of the alert's action, once Tanium has it (pending approval). */
    private long pendingAction(String alertId) throws InterruptedException {
        long deadline = System.nanoTime() + WITHIN.toNanos();
        while (System.nanoTime() < deadline) {
            var action = platform.actions().stream().filter(a -> a.name().contains(alertId)).findFirst();
            if (action.isPresent()) {
                assertThat(action.get().status()).isEqualTo("Pending");
                return action.get().id();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no action for " + alertId + " within " + WITHIN);
    }

    /** Waits until the step has looked at its pending action more than once (it is waiting, not done). */
    private static void awaitPolledWhilePending(long actionId) throws InterruptedException {
        String path = "/api/v2/actions/" + actionId;
        long deadline = System.nanoTime() + WITHIN.toNanos();
        while (KafkaAndSimulator.simulator().requests(path).size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(KafkaAndSimulator.simulator().requests(path)).as("polls of the pending action").hasSizeGreaterThanOrEqualTo(2);
    }
}
