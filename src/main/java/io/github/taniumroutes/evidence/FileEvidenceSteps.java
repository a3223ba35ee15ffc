package io.github.taniumroutes.evidence;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Variable;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.support.DefaultMessage;
import org.apache.hc.core5.http.io.EofSensorInputStream;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.taniumroutes.evidence.cst.CryptoInventory;
import io.github.taniumroutes.evidence.cst.CstTraceReader;
import io.github.taniumroutes.investigation.Investigation;
import io.github.taniumroutes.investigation.InvestigationProgress;
import io.github.taniumroutes.investigation.Target;
import io.github.taniumroutes.publish.OutcomeBudget;
import io.github.taniumroutes.publish.ResultIds;
import io.github.taniumroutes.tanium.TaniumErrors;
import io.github.taniumroutes.threatresponse.LiveConnection;
import io.quarkus.runtime.Startup;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/**
 * What each step of file evidence (routes/file-evidence.yaml) means for the investigation: the requests
 * to send, the next phase, another wait, or an outcome; and the records a collected file becomes.
 *
 * <p>The step's journaled state keeps {@code connectionId} and {@code connectedAt}, the path it is on
 * ({@code fileNumber}, from 1), that path's {@code fileRequestedAt} (journaled before the file is asked
 * for: it is never asked for twice), {@code fileTaskId}, {@code fileTaskStartedAt} and {@code evidenceId}
 * (held until Tanium deleted it), and one short summary per finished path ({@code file.<n>}); at the
 * step's end the summaries become its result's {@code files}. The file's bytes are never journaled: a
 * step resumed before it published them downloads them again.
 *
 * <p>Per path: {@code collected} (published), {@code too_large} (size and SHA-256 only), {@code rejected}
 * (the path policy, the archive's guards, a malformed CST trace), {@code collection_failed} (the
 * connection or the file task failed, the archive cannot be read). The step ends with the first failure
 * among its paths, else {@code too_large} if any was, else {@code collected}; or {@code interrupted} (the
 * file was asked for and the answer never seen: not asked again), or the engine's {@code expired} and
 * {@code tanium_error}.
 */
@Singleton
@Startup
@Named("fileEvidenceSteps")
public class FileEvidenceSteps {

    static final String CONNECTION_ID = "connectionId";
    static final String FILE_NUMBER = "fileNumber";
    static final String REQUESTED_AT = "fileRequestedAt";
    static final String TASK_ID = "fileTaskId";
    static final String TASK_STARTED_AT = "fileTaskStartedAt";
    static final String EVIDENCE_ID = "evidenceId";
    static final String SUMMARY = "file.";
    /** Without a task start time from Tanium, evidence as old as this before the request is still considered. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    public static final String COLLECTED = "collected";
    public static final String TOO_LARGE = "too_large";
    public static final String REJECTED = "rejected";
    public static final String COLLECTION_FAILED = "collection_failed";
    public static final String INTERRUPTED = "interrupted";

    /** Where a collected file's records go. */
    public record Settings(String evidenceTopic, String inventoryTopic, int maxBytes, long maxDownloadBytes, char[] zipPassword,
            long maxUncompressedBytes, int maxRatio, Duration collectDeadline, int pageSize, int maxPages) {
    }

    /** One record to publish: its topic, key, headers and value. */
    public record Record(String topic, String key, Map<String, String> headers, Object value) {
        int bytes() {
            int size = length(value) + key.getBytes(StandardCharsets.UTF_8).length;
            for (Map.Entry<String, String> header : headers.entrySet()) {
                size += header.getKey().length() + header.getValue().getBytes(StandardCharsets.UTF_8).length;
            }
            return size;
        }

        private static int length(Object value) {
            return value instanceof byte[] bytes ? bytes.length : String.valueOf(value).getBytes(StandardCharsets.UTF_8).length;
        }
    }

    /** What became of one downloaded file: its summary for the result, and the records to publish (maybe none). */
    public record Collected(ObjectNode summary, List<Record> records) {
        public boolean getPublishes() {
            return !records.isEmpty();
        }
    }

    private final ObjectMapper mapper;
    private final InvestigationProgress progress;
    private final FilePaths paths;
    private final EvidenceArchive archive;
    private final CstTraceReader traces;
    private final CryptoInventory inventory;
    private final OutcomeBudget budget;
    private final Settings settings;
    private final Clock clock;

    @Inject
    public FileEvidenceSteps(ObjectMapper mapper, InvestigationProgress progress, FilePaths paths, EvidenceArchive archive,
            CstTraceReader traces, CryptoInventory inventory, OutcomeBudget budget,
            @ConfigProperty(name = "evidence.topic") String evidenceTopic,
            @ConfigProperty(name = "crypto-inventory.topic") String inventoryTopic,
            @ConfigProperty(name = "file-evidence.max-bytes") java.util.Optional<Integer> maxBytes,
            @ConfigProperty(name = "file-evidence.max-download-bytes") long maxDownloadBytes,
            @ConfigProperty(name = "file-evidence.zip.password") String zipPassword,
            @ConfigProperty(name = "file-evidence.zip.max-uncompressed-bytes") long maxUncompressedBytes,
            @ConfigProperty(name = "file-evidence.zip.max-ratio") int maxRatio,
            @ConfigProperty(name = "file-evidence.collect-deadline") Duration collectDeadline,
            @ConfigProperty(name = "file-evidence.list-page-size") int pageSize,
            @ConfigProperty(name = "file-evidence.list-max-pages") int maxPages) {
        this(mapper, progress, paths, archive, traces, inventory, budget, new Settings(evidenceTopic, inventoryTopic,
                maxBytes.orElse(largestPublishable(budget)),
                maxDownloadBytes, zipPassword.toCharArray(), maxUncompressedBytes, maxRatio, collectDeadline, pageSize, maxPages),
                Clock.systemUTC());
    }

    public FileEvidenceSteps(ObjectMapper mapper, InvestigationProgress progress, FilePaths paths, EvidenceArchive archive,
            CstTraceReader traces, CryptoInventory inventory, OutcomeBudget budget, Settings settings, Clock clock) {
        int room = largestPublishable(budget);
        if (settings.maxBytes() <= 0 || settings.maxBytes() > room) {
            throw new IllegalStateException("file-evidence.max-bytes (" + settings.maxBytes() + ") must be positive and at most " + room
                    + ": outcomes.max-bytes less room for a record's key and headers");
        }
        this.mapper = mapper;
        this.progress = progress;
        this.paths = paths;
        this.archive = archive;
        this.traces = traces;
        this.inventory = inventory;
        this.budget = budget;
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * The largest file one record carries, with its key and headers (a path of up to {@link FilePaths#MAX_LENGTH}
     * characters): the default of {@code file-evidence.max-bytes}, and its upper bound.
     */
    static int largestPublishable(OutcomeBudget budget) {
        return budget.valueBytes() - 4 * FilePaths.MAX_LENGTH;
    }

    // ---- check (first phase) ----

    /** Every path is checked against the path policy before anything is asked; one refused path rejects the step. */
    public void check(Investigation investigation) {
        List<FileEvidenceFlow.PathSpec> specs = FileEvidenceFlow.paths(investigation.getParameters());
        if (specs.isEmpty()) {
            progress.fail(investigation, REJECTED, "the step has no paths");
            return;
        }
        String refused = null;
        for (int n = 1; n <= specs.size(); n++) {
            try {
                checked(investigation, n);
            } catch (FilePaths.Refused e) {
                ObjectNode summary = mapper.createObjectNode().put("outcome", REJECTED).put("reason", e.getMessage());
                remember(investigation, n, summary);
                refused = refused == null ? "path " + n + " is refused: " + e.getMessage() : refused;
            }
        }
        if (refused != null) {
            progress.fail(investigation, REJECTED, refused + "; nothing was asked of Tanium");
            return;
        }
        progress.remember(investigation, FILE_NUMBER, 1);
        progress.moveTo(investigation, "connect");
    }

    // ---- await-connection ----

    /** The endpoint's connection as the shared list shows it (null: not listed yet). */
    public void connectionSeen(Investigation investigation, LiveConnection seen) {
        progress.polled(investigation, "connection");
        String status = seen == null ? "waiting" : seen.status();
        if (seen != null) {
            progress.remember(investigation, CONNECTION_ID, seen.id());
        }
        switch (status) {
            case "connected" -> {
                progress.remember(investigation, "connectedAt", Instant.ofEpochMilli(clock.millis()).toString());
                progress.moveTo(investigation, "request-file", settings.collectDeadline().toString());
            }
            case "timeout" -> progress.fail(investigation, COLLECTION_FAILED, seen.describe("Tanium reports the live connection timed out"));
            case "disconnected" -> progress.fail(investigation, COLLECTION_FAILED, seen.describe("the live connection was closed"));
            default -> progress.waitOrExpire(investigation, "no live connection to the endpoint within the connect deadline");
        }
    }

    // ---- request-file ----

    /** True (and the step ended interrupted) when the file was asked for but the answer never journaled: asking again could collect it twice. */
    public boolean requestOutcomeUnknown(Investigation investigation) {
        Map<String, String> state = investigation.getState();
        if (state.containsKey(REQUESTED_AT) && !state.containsKey(TASK_ID)) {
            progress.fail(investigation, INTERRUPTED, "file " + fileNumber(investigation) + " was asked for and no answer was seen (the "
                    + "instance stopped, or Tanium did not answer); it is not asked for again, to avoid collecting it twice, and Tanium may "
                    + "hold its evidence");
            return true;
        }
        return false;
    }

    /** Journaled before the file is asked for. */
    public void requesting(Investigation investigation) {
        progress.remember(investigation, REQUESTED_AT, Instant.ofEpochMilli(clock.millis()).toString());
    }

    /** {@code POST /conns/{cid}/file}'s body: the current path, checked again right before it is sent. */
    public String fileBody(Investigation investigation) throws FilePaths.Refused {
        return json(Map.of("path", checked(investigation, fileNumber(investigation))));
    }

    /** The file request failed: when Tanium certainly did nothing the mark goes (it may be asked again), else it stays. */
    public void requestRefused(Investigation investigation, Exception refusal) throws Exception {
        if (TaniumErrors.nothingDone(refusal)) {
            progress.remember(investigation, REQUESTED_AT, null);
        }
        throw refusal;
    }

    /** Tanium accepted the file request: {@code {"taskInfo":{"id","status","startTime",…},"status":"ACCEPTED"}}. */
    public void requested(Investigation investigation, String reply) {
        JsonNode root = read(reply, "file request");
        JsonNode info = root.has("taskInfo") ? root.path("taskInfo") : root.path("data").path("taskInfo");
        String id = firstText(info.path("id"), root.path("data").path("taskId"), root.path("taskId"));
        if (id == null) {
            throw new IllegalStateException("Threat Response's reply to the file request carries no task id");
        }
        progress.remember(investigation, TASK_ID, id);
        String started = firstText(info.path("startTime"));
        if (started != null && EvidenceSearch.time(info.path("startTime")) != null) {
            progress.remember(investigation, TASK_STARTED_AT, started);
        }
        progress.moveTo(investigation, "await-file");
    }

    // ---- await-file ----

    /**
     * The file task as {@code GET /tasks/{id}} reports it: {@code STARTED} waits; {@code FAILED}, or
     * {@code COMPLETED} with the path among {@code results.failed}, is the file's collection failing;
     * {@code COMPLETED} moves on to find its evidence.
     */
    public void taskSeen(Investigation investigation, String reply) {
        progress.polled(investigation, "task");
        JsonNode root = read(reply, "file task");
        JsonNode task = root.path("data").isObject() ? root.path("data") : root;
        String status = task.path("status").asText("");
        switch (status) {
            case "COMPLETED" -> {
                JsonNode results = task.path("results");
                boolean failed = results.path("failed").isArray() && !results.path("failed").isEmpty()
                        || results.path("completed").isArray() && results.path("completed").isEmpty();
                if (failed) {
                    fileEnded(investigation, summary(investigation, COLLECTION_FAILED, "Threat Response could not collect the file (its task "
                            + "lists it as failed" + error(task) + ")"));
                    return;
                }
                if (!investigation.getState().containsKey(TASK_STARTED_AT) && EvidenceSearch.time(task.path("startTime")) != null) {
                    progress.remember(investigation, TASK_STARTED_AT, task.path("startTime").asText());
                }
                progress.moveTo(investigation, "find-evidence");
            }
            case "FAILED" -> fileEnded(investigation, summary(investigation, COLLECTION_FAILED, "Threat Response reports the file task failed"
                    + error(task)));
            default -> progress.waitOrExpire(investigation, "the file task did not finish within the collect deadline");
        }
    }

    // ---- find-evidence ----

    /** A search of the evidence list for the current file's evidence. */
    public EvidenceSearch search(Investigation investigation) throws FilePaths.Refused {
        Map<String, String> state = investigation.getState();
        String taskStart = state.get(TASK_STARTED_AT);
        Instant since = taskStart != null ? EvidenceSearch.time(mapper.getNodeFactory().textNode(taskStart))
                : Instant.parse(state.get(REQUESTED_AT)).minus(CLOCK_SKEW);
        Target target = investigation.getTarget();
        return new EvidenceSearch(target.hostname(), checked(investigation, fileNumber(investigation)), isWindows(target), state.get(CONNECTION_ID),
                since, settings.pageSize(), settings.maxPages());
    }

    /** One page of {@code GET /filedownload}. */
    public void listed(EvidenceSearch search, String reply) {
        search.read(read(reply, "evidence list"));
    }

    /**
     * The search is over: no evidence yet waits (until the collect deadline); evidence Tanium lists as larger
     * than what is downloaded is too_large at once (and deleted); else it is downloaded.
     */
    public void searched(Investigation investigation, EvidenceSearch search) {
        progress.polled(investigation, "evidenceList");
        EvidenceSearch.Evidence evidence = search.found();
        if (evidence == null) {
            progress.waitOrExpire(investigation, "Tanium listed no evidence of file " + fileNumber(investigation) + " (" + search.getListed()
                    + " entries read) before the collect deadline");
            return;
        }
        progress.remember(investigation, EVIDENCE_ID, evidence.uuid());
        if (evidence.size() != null && evidence.size() > settings.maxDownloadBytes()) {
            ObjectNode summary = summary(investigation, TOO_LARGE, "Tanium lists the file at " + evidence.size() + " bytes, more than "
                    + settings.maxDownloadBytes() + " (file-evidence.max-download-bytes): not downloaded");
            summary.put("size", evidence.size());
            if (evidence.hash() != null) {
                summary.put("taniumHash", evidence.hash());
            }
            remember(investigation, fileNumber(investigation), summary);
            progress.moveTo(investigation, "delete-evidence");
            return;
        }
        progress.moveTo(investigation, "download");
    }

    // ---- download ----

    /**
     * Reads the evidence archive as it streams (and closes it, or aborts it when it is not read to its end):
     * the file, hashed; for a CST trace, its artifacts. Returns the file's summary and the records to publish:
     * the file to {@code evidence.topic} if it fits, and a trace's inventory records. A download that breaks
     * is thrown, and the phase is tried again.
     */
    public Collected unpack(Investigation investigation, Object body) throws IOException, FilePaths.Refused {
        int number = fileNumber(investigation);
        FileEvidenceFlow.PathSpec spec = FileEvidenceFlow.paths(investigation.getParameters()).get(number - 1);
        String path = checked(investigation, number);
        InputStream in = body instanceof byte[] bytes ? new ByteArrayInputStream(bytes) : (InputStream) body;
        if (in == null) {
            throw new IllegalStateException("Threat Response's reply to the evidence download is empty");
        }
        boolean readToEnd = false;
        try {
            EvidenceArchive.Unpacked<CstTraceReader.Trace> file = archive.unpack(in, settings.zipPassword(), new EvidenceArchive.Limits(
                    settings.maxDownloadBytes(), settings.maxUncompressedBytes(), settings.maxRatio(), settings.maxBytes()),
                    spec.isTrace() ? traces::read : null);
            readToEnd = true;
            return collectedFile(investigation, number, spec, path, file);
        } catch (EvidenceArchive.Refused refused) {
            ObjectNode summary = switch (refused.kind()) {
                case TOO_LARGE -> summary(investigation, TOO_LARGE, refused.getMessage()).put("sizeAtLeast", refused.bytesAtLeast());
                case REFUSED -> summary(investigation, REJECTED, "the evidence archive is refused: " + refused.getMessage());
                case UNREADABLE -> summary(investigation, COLLECTION_FAILED, "the evidence archive cannot be used: " + refused.getMessage());
            };
            return new Collected(summary, List.of());
        } finally {
            release(in, readToEnd);
        }
    }

    private Collected collectedFile(Investigation investigation, int number, FileEvidenceFlow.PathSpec spec, String path,
            EvidenceArchive.Unpacked<CstTraceReader.Trace> file) {
        String alertId = investigation.getRequest().alertId();
        Target target = investigation.getTarget();
        ObjectNode summary = summary(investigation, COLLECTED, null);
        summary.put("size", file.size()).put("sha256", file.sha256());
        if (file.readFailure() != null) {
            summary.put("outcome", REJECTED).put("reason", "the CST trace is malformed: " + file.readFailure().getMessage()
                    + "; none of it is published");
            return new Collected(summary, List.of());
        }
        List<Record> records = new ArrayList<>();
        if (file.content() == null) {
            summary.put("outcome", TOO_LARGE).put("reason", "the file has " + file.size() + " bytes, more than " + settings.maxBytes()
                    + " (file-evidence.max-bytes): not published");
        } else {
            String recordId = ResultIds.of(alertId, "evidence step " + investigation.getStepNumber() + " file " + number);
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("alertId", alertId);
            headers.put("endpoint", target.resultKey());
            headers.put("path", path);
            headers.put("size", String.valueOf(file.size()));
            headers.put("sha256", file.sha256());
            headers.put("recordId", recordId);
            Record evidence = new Record(settings.evidenceTopic(), alertId, headers, file.content());
            if (evidence.bytes() > budget.maxBytes()) {
                summary.put("outcome", TOO_LARGE).put("reason", "the file with its headers is larger than one record may be "
                        + "(outcomes.max-bytes): not published");
            } else {
                records.add(evidence);
                summary.putObject("evidence").put("recordId", recordId);
            }
        }
        if (spec.isTrace() && file.read() != null) {
            CryptoInventory.Source source = new CryptoInventory.Source(target.resultKey(), target.hostname(), target.clientId(), alertId, path,
                    file.sha256(), spec.isDiff(), Instant.ofEpochMilli(clock.millis()).toString());
            int truncated = 0;
            for (ObjectNode record : inventory.records(file.read(), source)) {
                String recordId = record.path("recordId").asText();
                Map<String, String> headers = new LinkedHashMap<>();
                headers.put("alertId", alertId);
                headers.put("endpoint", target.resultKey());
                headers.put("recordId", recordId);
                Record out = new Record(settings.inventoryTopic(), CryptoInventory.key(target.resultKey(), recordId), headers, record.toString());
                if (out.bytes() > budget.maxBytes()) {
                    ObjectNode artifact = (ObjectNode) record.path("artifact");
                    artifact.remove("details");
                    artifact.remove("key");
                    artifact.put("truncated", true);
                    out = new Record(out.topic(), out.key(), headers, record.toString());
                    truncated++;
                }
                records.add(out);
            }
            ObjectNode inventoryRef = summary.putObject("inventory").put("records", file.read().artifacts().size())
                    .put("trace", spec.isDiff() ? "diff" : "full");
            if (truncated > 0) {
                inventoryRef.put("truncated", truncated);
            }
        }
        return new Collected(summary, records);
    }

    /** The records as Kafka messages: each names its topic and key and carries only its own headers. */
    public List<Message> messages(@Variable("collected") Collected collected, Exchange exchange) {
        List<Message> messages = new ArrayList<>(collected.records().size());
        for (Record record : collected.records()) {
            // Bytes, as the producers' serializers take them (a list's records are not converted).
            Message message = new DefaultMessage(exchange.getContext());
            message.setBody(record.value() instanceof byte[] bytes ? bytes : String.valueOf(record.value()).getBytes(StandardCharsets.UTF_8));
            message.setHeader(KafkaConstants.OVERRIDE_TOPIC, record.topic());
            message.setHeader(KafkaConstants.KEY, record.key().getBytes(StandardCharsets.UTF_8));
            record.headers().forEach(message::setHeader);
            messages.add(message);
        }
        return messages;
    }

    /**
     * The file is done: its records, if it had any, are acknowledged by Kafka (the evidence record's partition
     * and offset go into its summary). Its outcome is remembered and its evidence deleted next.
     */
    public void fileDone(Investigation investigation, Collected collected, List<RecordMetadata> acknowledged) {
        if (collected.summary().get("evidence") instanceof ObjectNode evidence && acknowledged != null && !acknowledged.isEmpty()) {
            evidence.put("partition", acknowledged.get(0).partition()).put("offset", acknowledged.get(0).offset());
        }
        remember(investigation, fileNumber(investigation), collected.summary());
        progress.moveTo(investigation, "delete-evidence");
    }

    /** Kafka did not take the records (all of them are sent again, with the same keys and ids): the phase runs again, until its deadline. */
    public void notPublished(Investigation investigation, Exception failure) {
        progress.waitOrExpire(investigation, "Kafka did not acknowledge file " + fileNumber(investigation) + "'s records before the collect "
                + "deadline: " + failure.getClass().getSimpleName());
    }

    // ---- delete-evidence and clean-up ----

    public boolean holdsEvidence(Investigation investigation) {
        return investigation.getState().containsKey(EVIDENCE_ID);
    }

    /** {@code DELETE /filedownload}'s body. */
    public String deleteBody(Investigation investigation) {
        return json(Map.of("ids", List.of(investigation.getState().get(EVIDENCE_ID))));
    }

    /** Tanium deleted the evidence (or had none by that id): on to the next path, or the step's end. */
    public void evidenceDeleted(Investigation investigation) {
        forgetEvidence(investigation);
        nextFile(investigation);
    }

    /** The evidence is gone (deleted by the clean-up). */
    public void forgetEvidence(Investigation investigation) {
        progress.remember(investigation, EVIDENCE_ID, null);
    }

    /** The next path, or the step's outcome from its files': the first failure, else too_large if any, else collected. */
    public void nextFile(Investigation investigation) {
        int number = fileNumber(investigation);
        int count = FileEvidenceFlow.paths(investigation.getParameters()).size();
        if (number < count) {
            for (String key : new String[] {REQUESTED_AT, TASK_ID, TASK_STARTED_AT}) {
                progress.remember(investigation, key, null);
            }
            progress.remember(investigation, FILE_NUMBER, number + 1);
            progress.moveTo(investigation, "request-file", settings.collectDeadline().toString());
            return;
        }
        String failure = null;
        String failureReason = null;
        String tooLarge = null;
        int collected = 0;
        for (int n = 1; n <= count; n++) {
            JsonNode summary = summaryOf(investigation, n);
            String outcome = summary.path("outcome").asText(COLLECTION_FAILED);
            if (COLLECTED.equals(outcome)) {
                collected++;
            } else if (TOO_LARGE.equals(outcome)) {
                tooLarge = tooLarge == null ? "file " + n + ": " + summary.path("reason").asText() : tooLarge;
            } else if (failure == null) {
                failure = outcome;
                failureReason = "file " + n + ": " + summary.path("reason").asText();
            }
        }
        String tally = " (" + collected + " of " + count + " collected)";
        if (failure != null) {
            progress.fail(investigation, failure, failureReason + tally);
        } else if (tooLarge != null) {
            progress.finish(investigation, TOO_LARGE, tooLarge + tally);
        } else {
            progress.finish(investigation, COLLECTED, null);
        }
    }

    /**
     * At the step's end (clean-up): its files for the result, one per path — its summary, or for the path it
     * was on when it ended, that outcome and its Tanium ids, or {@code not_attempted} — and the per-path
     * state out of the result's top level.
     */
    public void summarise(Investigation investigation) {
        List<FileEvidenceFlow.PathSpec> specs = FileEvidenceFlow.paths(investigation.getParameters());
        Map<String, String> state = investigation.getState();
        int current = state.containsKey(FILE_NUMBER) ? fileNumber(investigation) : 0;
        List<ObjectNode> files = new ArrayList<>();
        for (int n = 1; n <= specs.size(); n++) {
            ObjectNode file = mapper.createObjectNode();
            file.put("path", specs.get(n - 1).path());
            if (specs.get(n - 1).isTrace()) {
                file.put("trace", specs.get(n - 1).trace());
            }
            JsonNode summary = summaryOf(investigation, n);
            if (summary != null) {
                file.setAll((ObjectNode) summary);
                // Journaled short: where the records went is added here.
                if (file.get("evidence") instanceof ObjectNode evidence) {
                    ObjectNode where = mapper.createObjectNode().put("topic", settings.evidenceTopic())
                            .put("key", investigation.getRequest().alertId());
                    where.setAll(evidence);
                    file.set("evidence", where);
                }
                if (file.get("inventory") instanceof ObjectNode inventoryRef) {
                    ObjectNode where = mapper.createObjectNode().put("topic", settings.inventoryTopic());
                    where.setAll(inventoryRef);
                    file.set("inventory", where);
                }
            } else if (n == current && investigation.getOutcome() != null) {
                file.put("outcome", investigation.getOutcome());
                if (state.containsKey(TASK_ID)) {
                    file.put("taskId", state.get(TASK_ID));
                }
                if (state.containsKey(EVIDENCE_ID)) {
                    file.put("evidenceId", state.get(EVIDENCE_ID));
                }
            } else {
                file.put("outcome", "not_attempted");
            }
            files.add(file);
        }
        progress.report(investigation, "files", files);
        for (String key : List.copyOf(state.keySet())) {
            if (key.startsWith(SUMMARY) || key.equals(FILE_NUMBER) || key.equals(REQUESTED_AT) || key.equals(TASK_ID)
                    || key.equals(TASK_STARTED_AT)) {
                progress.remember(investigation, key, null);
            }
        }
    }

    // ---- helpers ----

    /** The current path's (or path {@code n}'s) checked form: the path policy is applied every time a path is used. */
    private String checked(Investigation investigation, int n) throws FilePaths.Refused {
        FileEvidenceFlow.PathSpec spec = FileEvidenceFlow.paths(investigation.getParameters()).get(n - 1);
        return paths.check(spec.path(), investigation.getTarget().platform(), FileEvidenceFlow.allowedPaths(investigation.getParameters()));
    }

    private static boolean isWindows(Target target) {
        return FilePaths.Platform.of(target.platform()) == FilePaths.Platform.WINDOWS;
    }

    private ObjectNode summary(Investigation investigation, String outcome, String reason) {
        ObjectNode summary = mapper.createObjectNode().put("outcome", outcome);
        if (reason != null) {
            summary.put("reason", reason);
        }
        Map<String, String> state = investigation.getState();
        if (state.containsKey(TASK_ID)) {
            summary.put("taskId", state.get(TASK_ID));
        }
        if (state.containsKey(EVIDENCE_ID)) {
            summary.put("evidenceId", state.get(EVIDENCE_ID));
        }
        return summary;
    }

    /** A path's outcome without a download: remembered, and on to the next path (nothing to delete). */
    private void fileEnded(Investigation investigation, ObjectNode summary) {
        remember(investigation, fileNumber(investigation), summary);
        nextFile(investigation);
    }

    /** A path's summary, journaled: short (a reason of at most 200 characters), so eight paths fit a step's state. */
    private void remember(Investigation investigation, int n, ObjectNode summary) {
        if (summary.path("reason").asText("").length() > 200) {
            summary.put("reason", summary.path("reason").asText().substring(0, 200) + "…");
        }
        progress.remember(investigation, SUMMARY + n, summary.toString());
    }

    private JsonNode summaryOf(Investigation investigation, int n) {
        String summary = investigation.getState().get(SUMMARY + n);
        return summary == null ? null : read(summary, "file summary");
    }

    private static int fileNumber(Investigation investigation) {
        return Integer.parseInt(investigation.getState().getOrDefault(FILE_NUMBER, "1"));
    }

    /** Closes a download read to its end; aborts one that was not, so the rest is never read (a connection closed is cheaper). */
    static void release(InputStream in, boolean readToEnd) {
        try {
            if (!readToEnd && in instanceof EofSensorInputStream download) {
                download.abort();
            } else {
                in.close();
            }
        } catch (IOException e) {
            // the download is over either way
        }
    }

    private static String error(JsonNode task) {
        JsonNode error = task.path("error");
        if (error.isMissingNode() || error.isNull() || error.asText("").isEmpty() && !error.isContainerNode()) {
            return "";
        }
        return ": " + (error.isValueNode() ? error.asText() : error.toString());
    }

    private static String firstText(JsonNode... candidates) {
        for (JsonNode candidate : candidates) {
            if (candidate != null && candidate.isValueNode() && !candidate.isNull() && !candidate.asText().isEmpty()) {
                return candidate.asText();
            }
        }
        return null;
    }

    private JsonNode read(String reply, String what) {
        try {
            JsonNode root = mapper.readTree(reply == null ? "" : reply);
            if (root == null || root.isMissingNode()) {
                throw new IllegalStateException("Threat Response's reply to the " + what + " is empty");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Threat Response's reply to the " + what + " is not JSON");
        }
    }

    private String json(Object body) {
        try {
            return mapper.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a Threat Response request", e);
        }
    }
}
