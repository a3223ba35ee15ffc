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
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.taniumroutes.simulator.DirectConnectControl;
import io.github.taniumroutes.simulator.RecordedRequest;
import io.github.taniumroutes.simulator.TaniumSimulator;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Direct Connect through the real broker and the simulator: triage published with its row caps, a server
 * of the legacy API generation, a session kept open past Tanium's inactivity limit by pings while the step
 * waits, a reused pid that is not killed, a kill that removes the process (its name, with quotes, sent as a
 * variable) and is audited, a dry run that kills nothing and is audited, a session that never comes up, one
 * session shared by two alerts, one reopened after Tanium closed it; and every session closed by us at the
 * end, whatever the path.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaAndSimulator.class, restrictToAnnotatedClass = false)
@TestProfile(DirectConnectEndToEndTest.DirectConnect.class)
class DirectConnectEndToEndTest {

    static final Duration WITHIN = Duration.ofSeconds(60);
    static final String GRAPHQL = "/plugin/products/gateway/graphql";

    /**
     * Its own policy (a rule sends alerts to the test server "owntrust", which only the tests configure, so the
     * policies the packaged application is run with elsewhere must not name it) and the Direct Connect settings.
     */
    public static class DirectConnect implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("policy.file", "src/test/resources/policies/direct-connect.yaml",
                    "policy.mode", "live",
                    "policy.kill-switch-file", "target/direct-connect-e2e/KILL_SWITCH",
                    // Sessions are pinged after a third of 1 s idle: the keep-alive test's simulator closes them after 1 s.
                    "tanium.servers.default.direct-connect-inactivity-limit", "PT1S",
                    "tanium.servers.owntrust.direct-connect-api", "legacy",
                    "direct-connect.keep-alive-check-ms", "100",
                    "direct-connect.verify-after", "PT0.1S");
        }
    }

    private DirectConnectControl directConnect;

    @BeforeEach
    void resetSimulator() {
        KafkaAndSimulator.simulator().faults().clear();
        directConnect = KafkaAndSimulator.simulator().directConnect().reset();
    }

    @Test
    void triageIsPublishedWithItsRowCapsAndTheSessionIsClosed() throws Exception {
        String alertId = "dc-triage-" + UUID.randomUUID();
        produce(alert(alertId, "1004", "dc-triage", null, null));

        JsonNode result = stepResult(alertId);

        assertThat(result.path("outcome").asText()).as(result.toString()).isEqualTo("completed");
        assertThat(Schemas.violations("direct-connect-result.schema.json", result)).isEmpty();
        assertThat(result.path("apiGeneration").asText()).isEqualTo("current");
        assertThat(result.path("performance").path("cpuUsagePercent").asDouble()).isEqualTo(91.2);
        assertThat(result.path("processes")).as("maxRows 3").hasSize(3);
        assertThat(result.path("totalProcesses").asInt()).isEqualTo(7);
        assertThat(result.path("processes").get(0).path("commandLine").asText()).isEqualTo("/sbin/init splash");
        assertThat(result.path("alerts")).extracting(a -> a.path("type").asText()).containsExactly("cpu-utilization", "available-mem");
        assertThat(result.path("kill").isMissingNode()).isTrue();
        assertSessionsClosed("1004", 1);
    }

    @Test
    void aServerOfTheLegacyGenerationIsAskedInTheSeedsNames() throws Exception {
        TaniumSimulator legacy = KafkaAndSimulator.ownTrustTls;
        DirectConnectControl legacyControl = legacy.directConnect().reset().generations(DirectConnectControl.Generation.LEGACY);
        int before = legacy.requests(GRAPHQL).size();
        String alertId = "dc-legacy-" + UUID.randomUUID();
        produce(alert(alertId, "1005", "dc-triage-legacy", null, null));

        JsonNode result = stepResult(alertId);

        assertThat(result.path("outcome").asText()).as(result.toString()).isEqualTo("completed");
        assertThat(result.path("apiGeneration").asText()).isEqualTo("legacy");
        assertThat(result.path("taniumServer").asText()).isEqualTo("owntrust");
        assertThat(result.path("processes")).extracting(p -> p.path("name").asText()).contains("launchd", "evil");
        List<RecordedRequest> sent = legacy.requests(GRAPHQL);
        List<String> bodies = sent.subList(before, sent.size()).stream().map(RecordedRequest::body).filter(b -> b.contains("Direct")).toList();
        assertThat(bodies).anyMatch(b -> b.contains("openDirectConnection")).anyMatch(b -> b.contains("directEndpoint"))
                .anyMatch(b -> b.contains("closeDirectConnection")).noneMatch(b -> b.contains("directConnectOpen"));
        assertThat(legacyControl.openCount("1005")).isEqualTo(1);
        assertThat(legacyControl.closeCount("1005")).isEqualTo(1);
        assertThat(legacyControl.openSessions()).isZero();
    }

    @Test
    void keepAlivePingsHoldTheSessionPastTaniumsInactivityLimitWhileTheStepWaits() throws Exception {
        directConnect.inactivityLimit(Duration.ofMillis(1_000));
        String alertId = "dc-keep-alive-" + UUID.randomUUID();
        produce(alert(alertId, "1003", "dc-kill-slow-verify", "evil.exe", 4242L));

        JsonNode result = stepResult(alertId);

        // The step waited 2.5 s after the kill without a request of its own, then read the list over the same session.
        assertThat(result.path("outcome").asText()).as(result.toString()).isEqualTo("killed");
        assertThat(result.path("processGone").asBoolean()).isTrue();
        assertThat(directConnect.inactivityClosures()).as("Tanium closed nothing for inactivity").isZero();
        assertThat(directConnect.openCount("1003")).as("one session, never reopened").isEqualTo(1);
        assertThat(result.has("sessionReopened")).isFalse();
        assertThat(result.path("keepAlivePings").asInt()).as("pinged while it waited").isGreaterThanOrEqualTo(3);
        assertThat(directConnect.pingCount("1003")).isGreaterThanOrEqualTo(3);
        assertSessionsClosed("1003", 1);
    }

    @Test
    void aPidReusedByAnotherProcessOrEndedIsNotKilled() throws Exception {
        directConnect.endProcess("1005", 4242).startProcess("1005", 4242, "backupd", "/usr/libexec/backupd --nightly", "root");
        String reused = "dc-reused-" + UUID.randomUUID();
        String ended = "dc-ended-" + UUID.randomUUID();
        produce(alert(reused, "1005", "dc-kill", "evil", 4242L), alert(ended, "1003", "dc-kill", "evil.exe", 5555L));

        JsonNode mismatch = stepResult(reused);
        assertThat(mismatch.path("outcome").asText()).as(mismatch.toString()).isEqualTo("process_mismatch");
        assertThat(mismatch.path("reason").asText()).isEqualTo("pid 4242 now runs 'backupd', not the alert's 'evil' (the pid was reused); "
                + "nothing was killed");
        assertThat(mismatch.path("process").path("name").asText()).isEqualTo("backupd");
        assertThat(Schemas.violations("direct-connect-result.schema.json", mismatch)).isEmpty();

        JsonNode notFound = stepResult(ended);
        assertThat(notFound.path("outcome").asText()).isEqualTo("process_not_found");
        assertThat(notFound.path("reason").asText()).startsWith("no process runs under pid 5555");

        assertThat(directConnect.killCount("1005") + directConnect.killCount("1003")).as("no kill mutation reached Tanium").isZero();
        assertThat(directConnect.runs("1005", 4242)).isTrue();
        assertThat(auditRecords(reused)).as("nothing killed, nothing to audit but the decision").noneMatch(a -> a.path("step").asText()
                .equals("direct-connect"));
        assertSessionsClosed("1005", 1);
        assertSessionsClosed("1003", 1);
    }

    @Test
    void aKillRemovesTheProcessSendsItsNameAsAVariableAndIsAudited() throws Exception {
        String alertId = "dc-kill-" + UUID.randomUUID();
        int before = KafkaAndSimulator.simulator().requests(GRAPHQL).size();
        produce(alert(alertId, "1020", "dc-kill", "evil \"7\".exe", 6666L));

        JsonNode result = stepResult(alertId);

        assertThat(result.path("outcome").asText()).as(result.toString()).isEqualTo("killed");
        assertThat(Schemas.violations("direct-connect-result.schema.json", result)).isEmpty();
        assertThat(result.path("processGone").asBoolean()).isTrue();
        assertThat(result.path("killResult").asText()).isEqualTo("true");
        assertThat(result.path("guard").path("name").asText()).isEqualTo("matched");
        assertThat(result.path("performance").path("cpuUsagePercent").asDouble()).as("the triage it asked for").isEqualTo(3.0);
        assertThat(directConnect.runs("1020", 6666)).isFalse();
        assertThat(directConnect.kills()).singleElement().satisfies(k -> {
            assertThat(k.name()).isEqualTo("evil \"7\".exe");
            assertThat(k.killed()).isTrue();
        });
        List<RecordedRequest> sent = KafkaAndSimulator.simulator().requests(GRAPHQL);
        RecordedRequest kill = sent.subList(before, sent.size()).stream().filter(r -> r.body().contains("directConnectProcessTerminate"))
                .reduce((a, b) -> { throw new AssertionError("two kill requests"); }).orElseThrow();
        JsonNode body = Investigations.MAPPER.readTree(kill.body());
        assertThat(body.path("variables").path("name").asText()).isEqualTo("evil \"7\".exe");
        assertThat(body.path("query").asText()).doesNotContain("evil").doesNotContain("6666");

        JsonNode audit = auditRecord(alertId);
        assertThat(audit.path("dryRun").asBoolean()).isFalse();
        assertThat(audit.path("connectionId").asText()).isEqualTo(result.path("connectionId").asText());
        assertThat(audit.path("process").path("pid").asLong()).isEqualTo(6666);
        assertThat(audit.path("killResult").asText()).isEqualTo("true");
        assertThat(audit.path("rule").asText()).isEqualTo("dc-kill");
        assertThat(audit.path("killRequestedAt").asText()).isEqualTo(result.path("killRequestedAt").asText());
        assertSessionsClosed("1020", 1);
    }

    @Test
    void aDryRunReportsWhatItWouldKillKillsNothingAndIsAudited() throws Exception {
        String alertId = "dc-dry-" + UUID.randomUUID();
        int before = KafkaAndSimulator.simulator().requests(GRAPHQL).size();
        produce(alert(alertId, "1003", "dc-kill-dry", "evil.exe", 4242L));

        JsonNode result = stepResult(alertId);

        assertThat(result.path("outcome").asText()).as(result.toString()).isEqualTo("dry_run");
        assertThat(result.path("reason").asText()).isEqualTo("rule 'dc-kill-dry' is not live");
        assertThat(Schemas.violations("direct-connect-result.schema.json", result)).isEmpty();
        assertThat(result.path("wouldKill").path("pid").asLong()).isEqualTo(4242);
        assertThat(result.path("wouldKill").path("commandLine").asText()).contains("evil.exe --beacon");
        assertThat(result.path("wouldSend").get(0).path("body").path("variables").path("name").asText()).isEqualTo("evil.exe");
        assertThat(directConnect.killCount("1003")).isZero();
        assertThat(directConnect.runs("1003", 4242)).isTrue();
        List<RecordedRequest> sent = KafkaAndSimulator.simulator().requests(GRAPHQL);
        assertThat(sent.subList(before, sent.size())).as("no kill mutation was sent").noneMatch(r -> r.body().contains("ProcessTerminate"));
        JsonNode audit = auditRecord(alertId);
        assertThat(audit.path("dryRun").asBoolean()).isTrue();
        assertThat(audit.path("reason").asText()).isEqualTo("rule 'dc-kill-dry' is not live");
        assertThat(audit.path("process").path("name").asText()).isEqualTo("evil.exe");
        assertSessionsClosed("1003", 1);
    }

    @Test
    void aSessionThatNeverComesUpExpiresAndIsClosed() throws Exception {
        directConnect.connectDelay(Duration.ofMinutes(5));
        String alertId = "dc-never-" + UUID.randomUUID();
        produce(alert(alertId, "1004", "dc-never-ready", null, null));

        JsonNode result = stepResult(alertId);

        assertThat(result.path("outcome").asText()).isEqualTo("expired");
        assertThat(result.path("reason").asText()).contains("was not ready before the connect deadline");
        assertThat(result.path("polls").path("ready").asInt()).isGreaterThan(1);
        assertSessionsClosed("1004", 1);
    }

    @Test
    void alertsAboutOneEndpointShareOneSessionClosedByTheLast() throws Exception {
        directConnect.connectDelay(Duration.ofMillis(800));
        String first = "dc-shared-a-" + UUID.randomUUID();
        String second = "dc-shared-b-" + UUID.randomUUID();
        produce(alert(first, "1004", "dc-triage", null, null), alert(second, "1004", "dc-triage", null, null));

        JsonNode one = stepResult(first);
        JsonNode two = stepResult(second);

        assertThat(List.of(one, two)).extracting(r -> r.path("outcome").asText()).containsOnly("completed");
        assertThat(one.path("connectionId").asText()).isEqualTo(two.path("connectionId").asText());
        assertSessionsClosed("1004", 1);
    }

    @Test
    void aSessionTaniumClosesMidStepIsReopenedOnce() throws Exception {
        String alertId = "dc-reopen-" + UUID.randomUUID();
        produce(alert(alertId, "1004", "dc-kill-reopen", "cryptominer", 4242L));
        awaitKilled("1004");
        directConnect.closeSessions("1004");

        JsonNode result = stepResult(alertId);

        assertThat(result.path("outcome").asText()).as(result.toString()).isEqualTo("killed");
        assertThat(result.path("sessionReopened").asBoolean()).isTrue();
        assertThat(result.path("processGone").asBoolean()).isTrue();
        assertThat(directConnect.killCount("1004")).as("not killed again").isEqualTo(1);
        assertThat(directConnect.openCount("1004")).isEqualTo(2);
        assertThat(directConnect.openSessions()).isZero();
    }

    // ---- helpers ----

    private void assertSessionsClosed(String endpointId, int sessions) {
        assertThat(directConnect.openCount(endpointId)).as("sessions opened to " + endpointId).isEqualTo(sessions);
        assertThat(directConnect.closeCount(endpointId)).as("closed by us").isEqualTo(sessions);
        assertThat(directConnect.openSessions()).as("none left open").isZero();
    }

    private void awaitKilled(String endpointId) throws InterruptedException {
        long deadline = System.nanoTime() + WITHIN.toNanos();
        while (directConnect.killCount(endpointId) == 0) {
            assertThat(System.nanoTime()).as("a kill on " + endpointId + " within " + WITHIN).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static ProducerRecord<byte[], byte[]> alert(String alertId, String endpointId, String rule, String processName, Long pid) {
        ObjectNode alert = Investigations.MAPPER.createObjectNode().put("schemaVersion", 1).put("id", alertId).put("taniumEndpointId", endpointId)
                .put("rule", rule).put("severity", "high").put("time", Instant.now().toString());
        if (processName != null) {
            alert.putObject("process").put("name", processName).put("pid", pid);
        }
        return KafkaTopics.record(KafkaAndSimulator.ALERTS, endpointId, alert.toString().getBytes(StandardCharsets.UTF_8), Map.of());
    }

    @SafeVarargs
    private static void produce(ProducerRecord<byte[], byte[]>... records) throws Exception {
        KafkaTopics.produce(KafkaAndSimulator.ALERTS, List.of(records));
    }

    /** The alert's direct-connect result, once there is one; never more than one. */
    private static JsonNode stepResult(String alertId) {
        return Investigations.stepResult(alertId, "direct-connect", WITHIN);
    }

    private static List<JsonNode> auditRecords(String alertId) {
        return KafkaTopics.readUntil(KafkaAndSimulator.AUDIT, Duration.ofSeconds(2), records -> false).stream()
                .filter(r -> alertId.equals(KafkaTopics.header(r, "alertId"))).map(r -> Investigations.json(r.value())).toList();
    }

    /** The alert's kill audit record (live or dry run), once there is one. */
    private static JsonNode auditRecord(String alertId) {
        Predicate<JsonNode> kill = a -> "direct-connect".equals(a.path("step").asText());
        List<ConsumerRecord<byte[], byte[]>> read = KafkaTopics.readUntil(KafkaAndSimulator.AUDIT, WITHIN, records -> records.stream()
                .filter(r -> alertId.equals(KafkaTopics.header(r, "alertId"))).map(r -> Investigations.json(r.value())).anyMatch(kill));
        List<JsonNode> audits = read.stream().filter(r -> alertId.equals(KafkaTopics.header(r, "alertId"))).map(r -> Investigations.json(r.value()))
                .filter(kill).toList();
        assertThat(audits).as("one kill audit record of " + alertId).hasSize(1);
        return audits.get(0);
    }
}
