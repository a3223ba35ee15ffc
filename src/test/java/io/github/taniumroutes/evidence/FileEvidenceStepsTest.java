package io.github.taniumroutes.evidence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.taniumroutes.evidence.cst.CryptoInventory;
import io.github.taniumroutes.evidence.cst.CstTraceReader;
import io.github.taniumroutes.evidence.cst.CstTraceReaderTest;
import io.github.taniumroutes.investigation.Investigation;
import io.github.taniumroutes.investigation.InvestigationProgress;
import io.github.taniumroutes.investigation.InvestigationRequest;
import io.github.taniumroutes.investigation.Investigations;
import io.github.taniumroutes.investigation.MutableClock;
import io.github.taniumroutes.investigation.PlanStep;
import io.github.taniumroutes.investigation.Target;
import io.github.taniumroutes.publish.OutcomeBudget;
import io.github.taniumroutes.threatresponse.LiveConnection;
import net.lingala.zip4j.model.enums.EncryptionMethod;

/** What each Threat Response reply and each downloaded file does to a file evidence step: requests, phases, waits, records, outcomes. */
class FileEvidenceStepsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String TRACE = "/opt/cryptosense/traces/trace.cst.gz";
    private static final String AUTH_LOG = "/var/log/auth.log";
    private static final List<String> ALLOWED = List.of("/var/log/**", "/opt/cryptosense/traces/*.cst.gz");
    /** The task of a file request, as public recordings show it (request_file_download.json). */
    private static final String ACCEPTED = "{\"taskInfo\":{\"id\":1,\"status\":\"STARTED\",\"metadata\":{\"connection\":\"remote:host:123:\","
            + "\"paths\":[\"/var/log/auth.log\"],\"compress\":\"true\"},\"startTime\":\"2026-12-07T10:00:00.000Z\"},\"status\":\"ACCEPTED\"}";

    private final MutableClock clock = new MutableClock(1_000);
    private final InvestigationProgress progress = Investigations.progress(clock, new FileEvidenceFlow());
    private final OutcomeBudget budget = new OutcomeBudget(921_600, 65_536, 1_048_576);
    private final FileEvidenceSteps steps = steps(65_536, 1 << 20);

    private FileEvidenceSteps steps(int maxBytes, long maxDownloadBytes) {
        return new FileEvidenceSteps(MAPPER, progress, new FilePaths(), new EvidenceArchive(), new CstTraceReader(MAPPER, 1 << 20, 100),
                new CryptoInventory(MAPPER), budget, new FileEvidenceSteps.Settings("alert-evidence", "crypto-inventory", maxBytes,
                        maxDownloadBytes, "infected".toCharArray(), 16 << 20, 100, Duration.ofMinutes(30), 100, 10), clock);
    }

    private Investigation step(Object... paths) {
        InvestigationRequest request = InvestigationRequest.of("inv-1", "alert-1", "default",
                new Target("9065204", "db-prod-01", "10.20.40.12", "Linux", "1004"), "rule", "v1", "2026-12-07T10:00:00Z",
                List.of(new PlanStep("file-evidence", Map.of("paths", List.of(paths), "allowedPaths", ALLOWED), false)));
        Investigation investigation = Investigation.accepted(request, 0, clock.millis);
        progress.begin(investigation);
        return investigation;
    }

    /** A step at its first path's download, its evidence found. */
    private Investigation downloading(Object... paths) {
        Investigation investigation = step(paths);
        steps.check(investigation);
        steps.connectionSeen(investigation, new LiveConnection("remote:db-prod-01:9065204:1", "connected", "9065204", "42", "1", null));
        steps.requesting(investigation);
        steps.requested(investigation, ACCEPTED);
        steps.taskSeen(investigation, "{\"data\":{\"id\":1,\"status\":\"COMPLETED\",\"results\":{\"completed\":[\"x\"],\"failed\":[]}}}");
        progress.remember(investigation, FileEvidenceSteps.EVIDENCE_ID, "u-1");
        progress.moveTo(investigation, "download");
        return investigation;
    }

    @Test
    void onePathThePolicyRefusesRejectsTheStepBeforeAnythingIsAsked() {
        Investigation investigation = step(AUTH_LOG, "/var/log/../../etc/shadow");

        steps.check(investigation);

        assertThat(investigation.getOutcome()).isEqualTo("rejected");
        assertThat(investigation.getReason()).isEqualTo("path 2 is refused: the path holds a '..' segment; nothing was asked of Tanium");
        steps.summarise(investigation);
        List<?> files = (List<?>) investigation.getCurrent().getDetails().get("files");
        assertThat(files).extracting(f -> ((JsonNode) f).path("outcome").asText()).containsExactly("not_attempted", "rejected");
        assertThat(investigation.getState()).isEmpty();
    }

    @Test
    void acceptedPathsGoOnToTheConnectionAndTheFileIsAskedForByItsNormalisedPath() throws Exception {
        Investigation investigation = step("/var//log/./auth.log");
        steps.check(investigation);
        assertThat(investigation.getPhase()).isEqualTo("connect");

        steps.connectionSeen(investigation, null);
        assertThat(investigation.getPhase()).as("waits for the connection").isEqualTo("connect");
        steps.connectionSeen(investigation, new LiveConnection("remote:db-prod-01:9065204:1", "connected", "9065204", "42", "1", null));
        assertThat(investigation.getPhase()).isEqualTo("request-file");
        assertThat(investigation.getState()).containsEntry("connectionId", "remote:db-prod-01:9065204:1");
        assertThat(steps.fileBody(investigation)).isEqualTo("{\"path\":\"/var/log/auth.log\"}");

        steps.requesting(investigation);
        steps.requested(investigation, ACCEPTED);

        assertThat(investigation.getState()).containsEntry("fileTaskId", "1").containsEntry("fileTaskStartedAt", "2026-12-07T10:00:00.000Z");
        assertThat(investigation.getPhase()).isEqualTo("await-file");
    }

    @Test
    void aConnectionThatTimesOutFailsTheCollection() {
        Investigation investigation = step(AUTH_LOG);
        steps.check(investigation);
        steps.connectionSeen(investigation, new LiveConnection("c", "timeout", "9065204", "42", "1", "Connection timed out"));

        assertThat(investigation.getOutcome()).isEqualTo("collection_failed");
        assertThat(investigation.getReason()).isEqualTo("Tanium reports the live connection timed out: Connection timed out");
    }

    @Test
    void aFileAskedForWithoutASeenAnswerIsNeverAskedAgain() throws Exception {
        Investigation investigation = step(AUTH_LOG);
        steps.check(investigation);
        assertThat(steps.requestOutcomeUnknown(investigation)).isFalse();
        steps.requesting(investigation);

        // Tanium refused it (503: not served): nothing was collected, the mark goes.
        assertThatThrownBy(() -> steps.requestRefused(investigation, new HttpOperationFailedException("u", 503, "x", null, Map.of(), "")))
                .isInstanceOf(HttpOperationFailedException.class);
        assertThat(steps.requestOutcomeUnknown(investigation)).isFalse();
        // A 502 after sending: Tanium may have acted, the mark stays, and the step ends interrupted.
        steps.requesting(investigation);
        assertThatThrownBy(() -> steps.requestRefused(investigation, new HttpOperationFailedException("u", 502, "x", null, Map.of(), "")))
                .isInstanceOf(HttpOperationFailedException.class);
        assertThat(steps.requestOutcomeUnknown(investigation)).isTrue();
        assertThat(investigation.getOutcome()).isEqualTo("interrupted");
        assertThat(investigation.getReason()).contains("not asked for again");
    }

    @Test
    void theFileTasksRecordedShapesMoveOnWaitOrFailTheFile() {
        Investigation started = downloadingTaskOf(AUTH_LOG);
        steps.taskSeen(started, "{\"data\":{\"id\":1,\"type\":\"fileDownload\",\"status\":\"STARTED\",\"results\":{}}}");
        assertThat(started.getPhase()).isEqualTo("await-file");
        assertThat(started.isStepEnded()).isFalse();

        // test_files/get_task_by_id.json: COMPLETED, the path among results.completed.
        steps.taskSeen(started, "{\"data\":{\"id\":1,\"type\":\"fileDownload\",\"status\":\"COMPLETED\",\"results\":{\"completed\":[\"C:\\\\path.exe\"],"
                + "\"failed\":[],\"fileResults\":[{\"response\":{\"source\":\"C:\\\\path.exe\",\"totalBytes\":1000}}]},\"error\":null,"
                + "\"startTime\":\"2021-09-05T13:46:16.606Z\"}}");
        assertThat(started.getPhase()).isEqualTo("find-evidence");

        Investigation missing = downloadingTaskOf(AUTH_LOG);
        steps.taskSeen(missing, "{\"data\":{\"status\":\"COMPLETED\",\"results\":{\"completed\":[],\"failed\":[\"/var/log/auth.log\"]}}}");
        assertThat(missing.getOutcome()).isEqualTo("collection_failed");
        assertThat(missing.getReason()).isEqualTo("file 1: Threat Response could not collect the file (its task lists it as failed) (0 of 1 collected)");

        Investigation failed = downloadingTaskOf(AUTH_LOG);
        steps.taskSeen(failed, "{\"data\":{\"status\":\"FAILED\",\"error\":\"access denied\"}}");
        assertThat(failed.getOutcome()).isEqualTo("collection_failed");
        assertThat(failed.getReason()).contains("the file task failed: access denied");
    }

    private Investigation downloadingTaskOf(String path) {
        Investigation investigation = step(path);
        steps.check(investigation);
        steps.connectionSeen(investigation, new LiveConnection("remote:db-prod-01:9065204:1", "connected", "9065204", "42", "1", null));
        steps.requesting(investigation);
        steps.requested(investigation, ACCEPTED);
        return investigation;
    }

    @Test
    void evidenceTaniumListsAsTooLargeIsNotDownloadedButDeleted() throws Exception {
        Investigation investigation = downloadingTaskOf(AUTH_LOG);
        steps.taskSeen(investigation, "{\"data\":{\"status\":\"COMPLETED\",\"results\":{\"completed\":[\"/var/log/auth.log\"],\"failed\":[]}}}");
        EvidenceSearch nothing = steps.search(investigation);
        steps.listed(nothing, "{\"fileEvidence\":[],\"totalCount\":0}");
        steps.searched(investigation, nothing);
        assertThat(investigation.getPhase()).as("waits for the evidence to be listed").isEqualTo("find-evidence");

        EvidenceSearch huge = steps.search(investigation);
        steps.listed(huge, "{\"fileEvidence\":[{\"uuid\":\"u-9\",\"hostname\":\"db-prod-01\",\"path\":\"/var/log/auth.log\",\"size\":5000000000,"
                + "\"hash\":\"99297a0e626ca092ff1884ad28f54453\",\"downloaded\":\"2026-12-07 10:00:02.000\"}]}");
        steps.searched(investigation, huge);

        assertThat(investigation.getPhase()).isEqualTo("delete-evidence");
        assertThat(steps.deleteBody(investigation)).isEqualTo("{\"ids\":[\"u-9\"]}");
        steps.evidenceDeleted(investigation);
        assertThat(investigation.getOutcome()).isEqualTo("too_large");
        assertThat(investigation.getCurrent().isFailed()).as("not a failure: the plan goes on").isFalse();
        steps.summarise(investigation);
        JsonNode file = (JsonNode) ((List<?>) investigation.getCurrent().getDetails().get("files")).get(0);
        assertThat(file.path("size").asLong()).isEqualTo(5_000_000_000L);
        assertThat(file.path("taniumHash").asText()).isEqualTo("99297a0e626ca092ff1884ad28f54453");
    }

    @Test
    void aDownloadedFileBecomesOneEvidenceRecordWithItsHeadersAndTheResultPointsAtIt() throws Exception {
        byte[] file = "Dec  7 03:14:15 db-prod-01 sshd[4242]: Accepted publickey for root\n".getBytes(StandardCharsets.UTF_8);
        Investigation investigation = downloading(AUTH_LOG);

        FileEvidenceSteps.Collected collected = steps.unpack(investigation, new ByteArrayInputStream(
                io.github.taniumroutes.evidence.EvidenceArchiveTest.zip(EncryptionMethod.ZIP_STANDARD, "auth.log", file)));

        assertThat(collected.getPublishes()).isTrue();
        assertThat(collected.records()).singleElement().satisfies(record -> {
            assertThat(record.topic()).isEqualTo("alert-evidence");
            assertThat(record.key()).isEqualTo("alert-1");
            assertThat(record.value()).isEqualTo(file);
            assertThat(record.headers()).containsEntry("alertId", "alert-1").containsEntry("endpoint", "1004").containsEntry("path", AUTH_LOG)
                    .containsEntry("size", String.valueOf(file.length)).containsKey("recordId")
                    .containsEntry("sha256", io.github.taniumroutes.evidence.EvidenceArchiveTest.sha256(file));
        });
        List<Message> messages = steps.messages(collected, new DefaultExchange(new DefaultCamelContext()));
        assertThat(messages.get(0).getHeader(KafkaConstants.KEY)).isEqualTo("alert-1".getBytes(StandardCharsets.UTF_8));
        assertThat(messages.get(0).getHeader(KafkaConstants.OVERRIDE_TOPIC)).isEqualTo("alert-evidence");

        steps.fileDone(investigation, collected, List.of(new RecordMetadata(new TopicPartition("alert-evidence", 2), 41, 0, 0, 0, 0)));
        steps.evidenceDeleted(investigation);

        assertThat(investigation.getOutcome()).isEqualTo("collected");
        steps.summarise(investigation);
        JsonNode summary = (JsonNode) ((List<?>) investigation.getCurrent().getDetails().get("files")).get(0);
        assertThat(summary.path("evidence").path("partition").asInt()).isEqualTo(2);
        assertThat(summary.path("evidence").path("offset").asLong()).isEqualTo(41);
        assertThat(summary.path("evidence").path("recordId").asText()).isEqualTo(collected.records().get(0).headers().get("recordId"));
        assertThat(investigation.getState()).as("the file's bytes are never journaled").containsOnlyKeys("connectionId", "connectedAt");
    }

    @Test
    void aTracesArtifactsBecomeInventoryRecordsAndAMalformedTracePublishesNothing() throws Exception {
        String trace = String.join("\n", CstTraceReaderTest.HEADER, CstTraceReaderTest.CERTIFICATE, CstTraceReaderTest.RSA, CstTraceReaderTest.PGP);
        Investigation investigation = downloading(Map.of("path", TRACE, "trace", "cst-diff"));

        FileEvidenceSteps.Collected collected = steps.unpack(investigation, new ByteArrayInputStream(
                io.github.taniumroutes.evidence.EvidenceArchiveTest.zip(EncryptionMethod.ZIP_STANDARD, "trace.cst.gz", CstTraceReaderTest.gzip(trace))));

        assertThat(collected.records()).extracting(FileEvidenceSteps.Record::topic)
                .containsExactly("alert-evidence", "crypto-inventory", "crypto-inventory", "crypto-inventory");
        FileEvidenceSteps.Record certificate = collected.records().get(1);
        JsonNode record = MAPPER.readTree((String) certificate.value());
        assertThat(certificate.key()).isEqualTo("1004/" + record.path("recordId").asText());
        assertThat(record.path("trace").asText()).isEqualTo("diff");
        assertThat(record.path("source").path("path").asText()).isEqualTo(TRACE);
        assertThat(collected.summary().path("inventory").path("records").asInt()).isEqualTo(3);

        Investigation malformed = downloading(Map.of("path", TRACE, "trace", "cst"));
        FileEvidenceSteps.Collected none = steps.unpack(malformed, new ByteArrayInputStream(io.github.taniumroutes.evidence.EvidenceArchiveTest
                .zip(EncryptionMethod.ZIP_STANDARD, "trace.cst.gz", CstTraceReaderTest.gzip(CstTraceReaderTest.HEADER + CstTraceReaderTest.RSA + "{"))));
        assertThat(none.getPublishes()).isFalse();
        assertThat(none.summary().path("outcome").asText()).isEqualTo("rejected");
        assertThat(none.summary().path("reason").asText()).startsWith("the CST trace is malformed").endsWith("none of it is published");
        assertThat(none.summary().path("sha256").asText()).hasSize(64);
    }

    @Test
    void aFileOverTheCapIsNotPublishedButAnArchiveBombIsRefusedAndAnUnreadableOneFails() throws Exception {
        FileEvidenceSteps small = steps(1_000, 1 << 20);
        Investigation investigation = downloading(AUTH_LOG);
        byte[] big = new byte[5_000];
        new java.util.Random(3).nextBytes(big);

        FileEvidenceSteps.Collected tooLarge = small.unpack(investigation, new ByteArrayInputStream(
                io.github.taniumroutes.evidence.EvidenceArchiveTest.zip(EncryptionMethod.ZIP_STANDARD, "auth.log", big)));
        assertThat(tooLarge.getPublishes()).isFalse();
        assertThat(tooLarge.summary().path("outcome").asText()).isEqualTo("too_large");
        assertThat(tooLarge.summary().path("size").asInt()).isEqualTo(5_000);
        assertThat(tooLarge.summary().path("sha256").asText()).isEqualTo(io.github.taniumroutes.evidence.EvidenceArchiveTest.sha256(big));

        FileEvidenceSteps.Collected bomb = steps.unpack(investigation, new ByteArrayInputStream(
                io.github.taniumroutes.evidence.EvidenceArchiveTest.plainZip(new String[] {"../../etc/cron.d/x"}, new byte[][] {{1}})));
        assertThat(bomb.summary().path("outcome").asText()).isEqualTo("rejected");
        assertThat(bomb.summary().path("reason").asText()).startsWith("the evidence archive is refused");

        FileEvidenceSteps.Collected unreadable = steps.unpack(investigation, new ByteArrayInputStream("{}".getBytes(StandardCharsets.UTF_8)));
        assertThat(unreadable.summary().path("outcome").asText()).isEqualTo("collection_failed");
    }

    @Test
    void aStepOfSeveralPathsEndsWithTheFirstFailureElseTooLargeElseCollected() throws Exception {
        Investigation investigation = step(AUTH_LOG, "/var/log/syslog");
        steps.check(investigation);
        steps.connectionSeen(investigation, new LiveConnection("c", "connected", "9065204", "42", "1", null));
        steps.requesting(investigation);
        steps.requested(investigation, ACCEPTED);
        steps.taskSeen(investigation, "{\"data\":{\"status\":\"FAILED\",\"error\":\"no such file\"}}");

        assertThat(investigation.isStepEnded()).as("on to the second path").isFalse();
        assertThat(investigation.getPhase()).isEqualTo("request-file");
        assertThat(investigation.getState()).containsEntry("fileNumber", "2").doesNotContainKeys("fileTaskId", "fileRequestedAt");
        steps.requesting(investigation);
        steps.requested(investigation, ACCEPTED.replace("\"id\":1", "\"id\":2"));
        steps.taskSeen(investigation, "{\"data\":{\"status\":\"FAILED\",\"error\":\"no such file\"}}");

        assertThat(investigation.getOutcome()).isEqualTo("collection_failed");
        assertThat(investigation.getReason()).startsWith("file 1: ").endsWith("(0 of 2 collected)");
        steps.summarise(investigation);
        assertThat((List<?>) investigation.getCurrent().getDetails().get("files")).hasSize(2)
                .allSatisfy(f -> assertThat(((JsonNode) f).path("taskId").asText()).isNotEmpty());
    }

    @Test
    void eightPathsWithLongNamesAndReasonsStillFitTheStepsJournaledState() {
        Object[] paths = new Object[FileEvidenceFlow.MAX_PATHS];
        for (int i = 0; i < paths.length; i++) {
            paths[i] = "/var/log/" + i + "x".repeat(1000);
        }
        Investigation investigation = step(paths);
        steps.check(investigation);
        steps.connectionSeen(investigation, new LiveConnection("c", "connected", "9065204", "42", "1", null));
        for (int i = 0; i < paths.length; i++) {
            steps.requesting(investigation);
            steps.requested(investigation, ACCEPTED);
            steps.taskSeen(investigation, "{\"data\":{\"status\":\"FAILED\",\"error\":\"" + "e".repeat(5000) + "\"}}");
        }

        assertThat(investigation.getOutcome()).isEqualTo("collection_failed");
        assertThat(investigation.getReason()).endsWith("(0 of 8 collected)");
    }

    @Test
    void aCapThatCannotFitOneRecordIsRefusedAtStartUp() {
        assertThatThrownBy(() -> steps(921_600, 1 << 20)).isInstanceOf(IllegalStateException.class).hasMessageContaining("file-evidence.max-bytes");
    }
}
