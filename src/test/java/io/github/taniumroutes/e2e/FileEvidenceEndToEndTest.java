package io.github.taniumroutes.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;

import io.github.taniumroutes.simulator.EndpointFiles;
import io.github.taniumroutes.simulator.ThreatResponseControl;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * File evidence through the real broker and the simulator over HTTP: a CST trace and its diff collected,
 * their bytes on the evidence topic and their artifacts on the inventory topic; a file too large to publish;
 * a path the policy refuses (nothing asked of Tanium) and a Windows download it allows; Tanium failing
 * mid-flow with the evidence still deleted and the connection closed; a snapshot and file evidence of one
 * alert over one connect. (The policy's rules are in responses.yaml: one application start serves both tests.)
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaAndSimulator.class, restrictToAnnotatedClass = false)
@TestProfile(ResponsesEndToEndTest.Responses.class)
class FileEvidenceEndToEndTest {

    static final Duration WITHIN = Duration.ofSeconds(60);

    private ThreatResponseControl threatResponse;

    @BeforeEach
    void resetSimulator() {
        KafkaAndSimulator.simulator().faults().clear();
        threatResponse = KafkaAndSimulator.simulator().threatResponse().reset();
    }

    @Test
    void aTraceAndItsDiffArePublishedAsEvidenceAndAsOneInventoryRecordPerArtifact() throws Exception {
        // Everyone's evidence, ours listed last; and an analyst's older copy of the same trace, which is not ours to take.
        threatResponse.addForeignEvidence(120);
        String analysts = threatResponse.addForeignEvidence("db-prod-01.corp.example", EndpointFiles.TRACE, new byte[] {1, 2, 3},
                Instant.now().minusSeconds(600));
        String alertId = "cst-" + UUID.randomUUID();
        produce(alert(alertId, "1004", "cst", null));

        JsonNode result = stepResult(alertId, "file-evidence");

        assertThat(result.path("outcome").asText()).as(result.toString()).isEqualTo("collected");
        assertThat(Schemas.violations("file-evidence-result.schema.json", result)).isEmpty();
        JsonNode full = result.path("files").get(0);
        JsonNode diff = result.path("files").get(1);
        assertThat(full.path("outcome").asText()).isEqualTo("collected");
        assertThat(diff.path("outcome").asText()).isEqualTo("collected");

        // The evidence records are the files' bytes, keyed by alert id, and the result says where they are.
        byte[] trace = threatResponse.files().read(cid("1004"), "Linux", EndpointFiles.TRACE);
        ConsumerRecord<byte[], byte[]> evidence = evidenceRecord(full.path("evidence").path("recordId").asText());
        assertThat(evidence.value()).as("the file's bytes").isEqualTo(trace);
        assertThat(new String(evidence.key(), StandardCharsets.UTF_8)).isEqualTo(alertId);
        assertThat(evidence.partition()).as(full.toString()).isEqualTo(full.path("evidence").path("partition").asInt());
        assertThat(evidence.offset()).isEqualTo(full.path("evidence").path("offset").asLong());
        assertThat(KafkaTopics.header(evidence, "alertId")).isEqualTo(alertId);
        assertThat(KafkaTopics.header(evidence, "endpoint")).isEqualTo("1004");
        assertThat(KafkaTopics.header(evidence, "path")).isEqualTo(EndpointFiles.TRACE);
        assertThat(KafkaTopics.header(evidence, "size")).isEqualTo(String.valueOf(trace.length));
        assertThat(KafkaTopics.header(evidence, "sha256")).isEqualTo(sha256(trace)).isEqualTo(full.path("sha256").asText());
        assertThat(evidenceRecord(diff.path("evidence").path("recordId").asText()).value())
                .isEqualTo(threatResponse.files().read(cid("1004"), "Linux", EndpointFiles.DIFF_TRACE));

        // One inventory record per artifact, in the trace's order, with the header's metadata; the diff's marked.
        List<JsonNode> fullArtifacts = artifacts("host-scanner-full.cst");
        List<JsonNode> diffArtifacts = artifacts("host-scanner-diff.cst");
        List<JsonNode> inventory = inventoryOf(alertId, fullArtifacts.size() + diffArtifacts.size());
        assertThat(inventory).hasSize(fullArtifacts.size() + diffArtifacts.size());
        assertThat(inventory.stream().filter(r -> r.path("trace").asText().equals("full")).map(r -> r.path("artifact").path("path").asText()
                + " " + r.path("artifact").path("type").asText()).toList())
                .isEqualTo(fullArtifacts.stream().map(a -> a.path("path").asText() + " " + a.path("type").asText()).toList());
        assertThat(inventory.stream().filter(r -> r.path("trace").asText().equals("diff")).map(r -> r.path("artifact").path("path").asText())
                .toList()).isEqualTo(diffArtifacts.stream().map(a -> a.path("path").asText()).toList());
        assertThat(inventory).allSatisfy(record -> {
            assertThat(record.path("scan").path("scannerVersion").asText()).isEqualTo("1.14.2");
            assertThat(record.path("scan").path("hostname").asText()).isEqualTo("db-prod-01");
            assertThat(record.path("scan").path("os").asText()).isEqualTo("linux");
            assertThat(record.path("endpoint").path("id").asText()).isEqualTo("1004");
        });
        JsonNode rsa = inventory.get(2).path("artifact");
        assertThat(rsa.path("kind").asText()).isEqualTo("private_key");
        assertThat(rsa.path("key").path("value").path("n").asText()).isEqualTo(fullArtifacts.get(2).path("key").path("value").path("n").asText());
        assertThat(inventory.get(0).path("artifact").path("certificate").path("signatureAlgorithm").asText()).isEqualTo("ecdsa-with-SHA256");
        assertThat(inventory.get(4).path("artifact").path("kind").asText()).isEqualTo("pgp_key");
        assertThat(full.path("inventory").path("records").asInt()).isEqualTo(fullArtifacts.size());
        assertThat(diff.path("inventory").path("trace").asText()).isEqualTo("diff");

        // Tanium: one connection, the list read page by page, both files' evidence deleted, the analyst's left alone.
        assertThat(threatResponse.connectCount(cid("1004"))).isEqualTo(1);
        assertThat(threatResponse.fileRequestCount(cid("1004"))).isEqualTo(2);
        assertThat(KafkaAndSimulator.simulator().requests("/plugin/products/threat-response/api/v1/filedownload").stream()
                .map(r -> r.query()).toList()).contains("limit=50&offset=0", "limit=50&offset=50", "limit=50&offset=100");
        assertThat(threatResponse.evidence()).filteredOn(ThreatResponseControl.EvidenceView::ours)
                .hasSize(2).allSatisfy(e -> assertThat(e.deleted()).isTrue());
        assertThat(threatResponse.evidence()).filteredOn(e -> e.uuid().equals(analysts)).singleElement()
                .satisfies(e -> assertThat(e.deleted() || e.downloads() > 0).as("the analyst's copy untouched").isFalse());
        assertThat(closed(cid("1004"))).isTrue();

        // The same artifacts collected for another alert have the same record ids: a compacted topic replaces them.
        String again = "cst-again-" + UUID.randomUUID();
        produce(alert(again, "1004", "cst", null));
        assertThat(stepResult(again, "file-evidence").path("outcome").asText()).isEqualTo("collected");
        Set<String> firstIds = inventory.stream().map(r -> r.path("recordId").asText()).collect(Collectors.toSet());
        assertThat(inventoryOf(again, inventory.size()).stream().map(r -> r.path("recordId").asText()).collect(Collectors.toSet()))
                .isEqualTo(firstIds);
    }

    @Test
    void aFileLargerThanTheCapIsNotPublishedAndTheResultHasItsSizeAndHash() throws Exception {
        byte[] core = new byte[100_000];
        new Random(7).nextBytes(core);
        threatResponse.files().put(cid("1005"), "/var/tmp/core.bin", false, core);
        String alertId = "big-" + UUID.randomUUID();
        produce(alert(alertId, "1005", "alert-path", "/var/tmp/core.bin"));

        JsonNode result = stepResult(alertId, "file-evidence");

        assertThat(result.path("outcome").asText()).as(result.toString()).isEqualTo("too_large");
        assertThat(Schemas.violations("file-evidence-result.schema.json", result)).isEmpty();
        JsonNode file = result.path("files").get(0);
        assertThat(file.path("size").asInt()).isEqualTo(100_000);
        assertThat(file.path("sha256").asText()).isEqualTo(sha256(core));
        assertThat(file.has("evidence")).isFalse();
        assertThat(result.path("reason").asText()).contains("file-evidence.max-bytes");
        assertThat(evidenceRecordsOf(alertId)).as("nothing published").isEmpty();
        assertThat(threatResponse.heldEvidence()).as("deleted all the same").isZero();
        assertThat(closed(cid("1005"))).isTrue();
    }

    @Test
    void aPathThePolicyRefusesAsksNothingOfTaniumAndAWindowsDownloadItAllowsIsCollected() throws Exception {
        String refusedId = "refused-" + UUID.randomUUID();
        String allowedId = "allowed-" + UUID.randomUUID();
        produce(alert(refusedId, "1010", "alert-path", "C:\\Users\\Public\\Downloads\\..\\..\\..\\Windows\\System32\\config\\SAM"),
                alert(allowedId, "1003", "alert-path", "c:/users/public/downloads/invoice.pdf.exe"));

        JsonNode refused = stepResult(refusedId, "file-evidence");
        assertThat(refused.path("outcome").asText()).isEqualTo("rejected");
        assertThat(refused.path("reason").asText()).isEqualTo("path 1 is refused: the path holds a '..' segment; nothing was asked of Tanium");
        assertThat(Schemas.violations("file-evidence-result.schema.json", refused)).isEmpty();
        assertThat(threatResponse.connectCount(cid("1010"))).as("no connection").isZero();
        assertThat(threatResponse.fileRequestCount(cid("1010"))).isZero();

        JsonNode allowed = stepResult(allowedId, "file-evidence");
        assertThat(allowed.path("outcome").asText()).as(allowed.toString()).isEqualTo("collected");
        assertThat(KafkaAndSimulator.simulator().requests().stream().filter(r -> r.path().endsWith("/file")).map(r -> r.body())
                .filter(b -> b.contains("invoice")).toList()).as("the normalised path was asked for")
                .containsExactly("{\"path\":\"C:\\\\users\\\\public\\\\downloads\\\\invoice.pdf.exe\"}");
        assertThat(evidenceRecord(allowed.path("files").get(0).path("evidence").path("recordId").asText()).value())
                .isEqualTo(threatResponse.files().read(cid("1003"), "Windows", EndpointFiles.WINDOWS_DOWNLOAD));
        assertThat(threatResponse.heldEvidence()).isZero();
    }

    @Test
    void taniumFailingMidFlowEndsTheStepAndTheEvidenceIsStillDeletedAndTheConnectionClosed() throws Exception {
        KafkaAndSimulator.simulator().faults().failNextMatching("/filedownload/data/", 1000, 503);
        String alertId = "broken-" + UUID.randomUUID();
        produce(alert(alertId, "1020", "alert-path", "C:\\Users\\Public\\Downloads\\invoice.pdf.exe"));

        JsonNode result = stepResult(alertId, "file-evidence");

        assertThat(result.path("outcome").asText()).as(result.toString()).isEqualTo("expired");
        assertThat(result.path("reason").asText()).isEqualTo("Tanium did not answer before the deadline: HTTP 503 from Tanium")
                .doesNotContain(KafkaAndSimulator.TOKEN);
        assertThat(Schemas.violations("file-evidence-result.schema.json", result)).isEmpty();
        assertThat(result.path("files").get(0).path("outcome").asText()).isEqualTo("expired");
        assertThat(result.has("evidenceId")).as("deleted by the clean-up").isFalse();
        assertThat(threatResponse.evidence()).filteredOn(ThreatResponseControl.EvidenceView::ours).singleElement()
                .satisfies(e -> assertThat(e.deleted()).isTrue());
        assertThat(threatResponse.fileRequestCount(cid("1020"))).as("asked once").isEqualTo(1);
        assertThat(closed(cid("1020"))).isTrue();
        assertThat(evidenceRecordsOf(alertId)).isEmpty();
    }

    @Test
    void aFileRequestTaniumMayHaveActedOnIsNeverSentAgain() throws Exception {
        // A 502 once the request was sent: Tanium may have started collecting; asking again could collect twice.
        KafkaAndSimulator.simulator().faults().failNextMatching("/conns/[^/]+/file$", 1, 502);
        String alertId = "unknown-" + UUID.randomUUID();
        produce(alert(alertId, "1005", "alert-path", EndpointFiles.AUTH_LOG));

        JsonNode result = stepResult(alertId, "file-evidence");

        assertThat(result.path("outcome").asText()).as(result.toString()).isEqualTo("interrupted");
        assertThat(Schemas.violations("file-evidence-result.schema.json", result)).isEmpty();
        String path = "/plugin/products/threat-response/api/v1/conns/" + result.path("connectionId").asText() + "/file";
        assertThat(KafkaAndSimulator.simulator().requests(path)).as("sent once, not retried, not asked again").hasSize(1);
        assertThat(closed(cid("1005"))).isTrue();
    }

    @Test
    void aSnapshotAndFileEvidenceOfOneAlertShareOneConnect() throws Exception {
        String alertId = "both-" + UUID.randomUUID();
        produce(alert(alertId, "1011", "snapshot-and-evidence", "C:\\Users\\Public\\Downloads\\invoice.pdf.exe"));

        JsonNode snapshot = stepResult(alertId, "snapshot");
        JsonNode evidence = stepResult(alertId, "file-evidence");

        assertThat(snapshot.path("outcome").asText()).as(snapshot.toString()).isEqualTo("completed");
        assertThat(evidence.path("outcome").asText()).as(evidence.toString()).isEqualTo("collected");
        assertThat(evidence.path("connectionId").asText()).isEqualTo(snapshot.path("connectionId").asText());
        assertThat(threatResponse.connectCount(cid("1011"))).as("one connect for both steps").isEqualTo(1);
        assertThat(threatResponse.closeCount(cid("1011"))).as("closed once, after the last").isEqualTo(1);
        assertThat(closed(cid("1011"))).isTrue();
    }

    // ---- helpers ----

    private static ProducerRecord<byte[], byte[]> alert(String alertId, String endpointId, String rule, String filePath) {
        var alert = Investigations.MAPPER.createObjectNode().put("schemaVersion", 1).put("id", alertId).put("taniumEndpointId", endpointId)
                .put("rule", rule).put("severity", "high").put("time", Instant.now().toString());
        if (filePath != null) {
            alert.putObject("file").put("path", filePath);
        }
        return KafkaTopics.record(KafkaAndSimulator.ALERTS, endpointId, alert.toString().getBytes(StandardCharsets.UTF_8), Map.of());
    }

    @SafeVarargs
    private static void produce(ProducerRecord<byte[], byte[]>... records) throws Exception {
        KafkaTopics.produce(KafkaAndSimulator.ALERTS, List.of(records));
    }

    private static String cid(String endpointId) {
        return KafkaAndSimulator.simulator().computerIdOf(endpointId);
    }

    private static JsonNode stepResult(String alertId, String step) {
        return Investigations.stepResult(alertId, step, WITHIN);
    }

    private static ConsumerRecord<byte[], byte[]> evidenceRecord(String recordId) {
        Predicate<ConsumerRecord<byte[], byte[]>> it = r -> recordId.equals(KafkaTopics.header(r, "recordId"));
        return KafkaTopics.readUntil(KafkaAndSimulator.EVIDENCE, WITHIN, records -> records.stream().anyMatch(it)).stream().filter(it)
                .findFirst().orElseThrow(() -> new AssertionError("no evidence record " + recordId));
    }

    /** The evidence records of an alert on the topic now (the step's result is out after them, so they are all there). */
    private static List<ConsumerRecord<byte[], byte[]>> evidenceRecordsOf(String alertId) {
        return KafkaTopics.readAll(KafkaAndSimulator.EVIDENCE, WITHIN).stream()
                .filter(r -> alertId.equals(KafkaTopics.header(r, "alertId"))).toList();
    }

    /** The inventory records an alert's step published, ordered as they were sent (one partition per artifact key: sorted by offset within). */
    private static List<JsonNode> inventoryOf(String alertId, int expected) {
        Predicate<ConsumerRecord<byte[], byte[]>> ofAlert = r -> alertId.equals(KafkaTopics.header(r, "alertId"));
        List<ConsumerRecord<byte[], byte[]>> read = KafkaTopics.readUntil(KafkaAndSimulator.CRYPTO_INVENTORY, WITHIN,
                records -> records.stream().filter(ofAlert).count() >= expected);
        List<ConsumerRecord<byte[], byte[]>> ours = new ArrayList<>(read.stream().filter(ofAlert).toList());
        ours.forEach(r -> assertThat(new String(r.key(), StandardCharsets.UTF_8))
                .isEqualTo("1004/" + Investigations.json(r.value()).path("recordId").asText()));
        ours.sort(java.util.Comparator.comparingLong(r -> order(Investigations.json(r.value()))));
        return ours.stream().map(r -> Investigations.json(r.value())).toList();
    }

    /** A record's place in its trace: the full trace's artifacts first, in their order (by path, as the sample's paths are distinct). */
    private static long order(JsonNode record) {
        try {
            List<JsonNode> artifacts = artifacts(record.path("trace").asText().equals("full") ? "host-scanner-full.cst" : "host-scanner-diff.cst");
            for (int i = 0; i < artifacts.size(); i++) {
                if (artifacts.get(i).path("path").asText().equals(record.path("artifact").path("path").asText())) {
                    return (record.path("trace").asText().equals("full") ? 0 : 1000) + i;
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return Long.MAX_VALUE;
    }

    /** The artifacts of a sample trace, read here independently of the application: every object after the header. */
    private static List<JsonNode> artifacts(String sample) throws Exception {
        List<JsonNode> all = new ArrayList<>();
        try (MappingIterator<JsonNode> objects = Investigations.MAPPER.readerFor(JsonNode.class)
                .readValues(Path.of("config/simulator/traces", sample).toFile())) {
            objects.forEachRemaining(all::add);
        }
        assertThat(all.get(0).path("format").asText()).isEqualTo("CST");
        return all.subList(1, all.size());
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** Ours is closed, once, by the time the last step's result is out. */
    private boolean closed(String clientId) {
        return threatResponse.closeCount(clientId) == 1 && threatResponse.connections().stream()
                .filter(c -> c.clientId().equals(clientId) && c.userId() == threatResponse.userId())
                .noneMatch(c -> "connected".equals(c.status()) || "waiting".equals(c.status()));
    }
}
