package io.github.taniumroutes.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import net.lingala.zip4j.io.inputstream.ZipInputStream;
import net.lingala.zip4j.model.LocalFileHeader;

/**
 * Threat Response's file evidence over real HTTP: a file task in the recorded shapes, the evidence list
 * (everyone's, paged, Windows paths doubled), the password-protected archive with the endpoint's real bytes,
 * both forms of delete, and the awkward parts (a missing file completes its task with the path failed).
 */
class ThreatResponseFilesTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String TR = ThreatResponseHandler.PREFIX;
    private static final String TOKEN = "sim-token";

    private final HttpClient http = HttpClient.newHttpClient();
    private TaniumSimulator simulator;
    private ThreatResponseControl control;

    @BeforeEach
    void start() throws Exception {
        simulator = TaniumSimulator.start(0, Path.of("config/simulator/inventory.json"), TOKEN);
        control = simulator.threatResponse();
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    @Test
    void aFileIsCollectedListedDownloadedAsAPasswordProtectedZipAndDeleted() throws Exception {
        String cid = connected("9065210", "db-prod-01", "Linux");

        JsonNode accepted = json(send("POST", TR + "/conns/" + cid + "/file", "{\"path\":\"" + EndpointFiles.TRACE + "\"}"), 200);

        assertThat(accepted.path("status").asText()).isEqualTo("ACCEPTED");
        JsonNode info = accepted.path("taskInfo");
        assertThat(info.path("status").asText()).isEqualTo("STARTED");
        assertThat(info.path("metadata").path("connection").asText()).isEqualTo(cid);
        assertThat(info.path("metadata").path("paths")).extracting(JsonNode::asText).containsExactly(EndpointFiles.TRACE);
        assertThat(info.path("metadata").path("compress").asText()).isEqualTo("true");
        JsonNode task = json(send("GET", TR + "/tasks/" + info.path("id").asInt(), null), 200).path("data");
        assertThat(task.path("type").asText()).isEqualTo("fileDownload");
        assertThat(task.path("status").asText()).isEqualTo("COMPLETED");
        assertThat(task.path("results").path("completed")).extracting(JsonNode::asText).containsExactly(EndpointFiles.TRACE);
        assertThat(task.path("results").path("failed")).isEmpty();
        byte[] file = control.files().read("9065210", "Linux", EndpointFiles.TRACE);
        assertThat(task.path("results").path("fileResults").get(0).path("response").path("totalBytes").asInt()).isEqualTo(file.length);
        assertThat(control.fileRequestCount("9065210")).isEqualTo(1);

        JsonNode evidence = single(json(send("GET", TR + "/filedownload?limit=10&offset=0", null), 200));
        assertThat(evidence.path("hostname").asText()).isEqualTo("db-prod-01");
        assertThat(evidence.path("path").asText()).isEqualTo(EndpointFiles.TRACE);
        assertThat(evidence.path("size").asInt()).isEqualTo(file.length);
        assertThat(evidence.path("downloaded").asText()).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}");
        assertThat(evidence.path("hash").asText()).hasSize(32);
        assertThat(evidence.path("evidenceType").asText()).isEqualTo("file");
        assertThat(evidence.has("connectionId")).as("recorded lists name no connection").isFalse();
        String uuid = evidence.path("uuid").asText();
        assertThat(json(send("GET", TR + "/filedownload/" + uuid, null), 200).path("evidence").path("uuid").asText()).isEqualTo(uuid);

        HttpResponse<byte[]> download = download(uuid);
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.headers().firstValue("Content-Type")).contains("application/zip");
        assertThat(download.headers().firstValue("Content-Disposition")).contains("attachment; filename=trace.cst.gz.zip");
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(download.body()), "infected".toCharArray())) {
            LocalFileHeader entry = zip.getNextEntry();
            assertThat(entry.getFileName()).isEqualTo("trace.cst.gz");
            assertThat(entry.isEncrypted()).as("password-protected").isTrue();
            byte[] unzipped = zip.readAllBytes();
            assertThat(unzipped).as("the endpoint's real bytes").isEqualTo(file);
            try (InputStream trace = new GZIPInputStream(new ByteArrayInputStream(unzipped))) {
                assertThat(new String(trace.readAllBytes(), StandardCharsets.UTF_8))
                        .isEqualTo(Files.readString(Path.of("config/simulator/traces/host-scanner-full.cst")));
            }
            assertThat(zip.getNextEntry()).as("one entry").isNull();
        }
        assertThat(control.heldEvidence()).isEqualTo(1);

        assertThat(send("DELETE", TR + "/filedownload", "{\"ids\":[\"" + uuid + "\"]}").statusCode()).isEqualTo(200);
        assertThat(json(send("GET", TR + "/filedownload", null), 200).path("fileEvidence")).isEmpty();
        assertThat(download(uuid).statusCode()).isEqualTo(404);
        assertThat(control.heldEvidence()).isZero();
        assertThat(control.evidence()).singleElement().satisfies(e -> {
            assertThat(e.deleted()).isTrue();
            assertThat(e.downloads()).isEqualTo(1);
        });
    }

    @Test
    void evidenceIsDeletedByIdAsPublicIntegrationsDoToo() throws Exception {
        String cid = connected("9065210", "db-prod-01", "Linux");
        send("POST", TR + "/conns/" + cid + "/file", "{\"path\":\"" + EndpointFiles.AUTH_LOG + "\"}");
        String uuid = single(json(send("GET", TR + "/filedownload", null), 200)).path("uuid").asText();

        assertThat(send("DELETE", TR + "/filedownload/" + uuid, null).statusCode()).isEqualTo(200);
        assertThat(send("DELETE", TR + "/filedownload/" + uuid, null).statusCode()).isEqualTo(404);
        assertThat(send("DELETE", TR + "/filedownload", "{\"ids\":[\"" + uuid + "\"]}").statusCode()).as("unknown ids in a list are ignored")
                .isEqualTo(200);
    }

    @Test
    void aFileTheEndpointDoesNotHaveCompletesItsTaskWithThePathFailedAndLeavesNoEvidence() throws Exception {
        String cid = connected("9065210", "db-prod-01", "Linux");

        int task = json(send("POST", TR + "/conns/" + cid + "/file", "{\"path\":\"/var/log/nothing.log\"}"), 200).path("taskInfo").path("id").asInt();

        JsonNode done = json(send("GET", TR + "/tasks/" + task, null), 200).path("data");
        assertThat(done.path("status").asText()).isEqualTo("COMPLETED");
        assertThat(done.path("results").path("failed")).extracting(JsonNode::asText).containsExactly("/var/log/nothing.log");
        assertThat(done.path("results").path("completed")).isEmpty();
        assertThat(json(send("GET", TR + "/filedownload", null), 200).path("totalCount").asInt()).isZero();
    }

    @Test
    void aFileTaskRunsForItsDurationCanFailAndAFailedTaskLeavesNoEvidence() throws Exception {
        control.fileTaskDuration(Duration.ofMillis(300)).fileTaskOutcome(ThreatResponseControl.TaskOutcome.FAILED);
        String cid = connected("9065210", "db-prod-01", "Linux");
        int task = json(send("POST", TR + "/conns/" + cid + "/file", "{\"path\":\"" + EndpointFiles.AUTH_LOG + "\"}"), 200)
                .path("taskInfo").path("id").asInt();

        assertThat(json(send("GET", TR + "/tasks/" + task, null), 200).path("data").path("status").asText()).isEqualTo("STARTED");
        assertThat(json(send("GET", TR + "/filedownload", null), 200).path("fileEvidence")).as("not before it completed").isEmpty();
        JsonNode failed = org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> json(send("GET", TR + "/tasks/" + task, null), 200).path("data"), t -> !t.path("status").asText().equals("STARTED"));
        assertThat(failed.path("status").asText()).isEqualTo("FAILED");
        assertThat(failed.path("error").asText()).contains("could not read the file");
        assertThat(json(send("GET", TR + "/filedownload", null), 200).path("fileEvidence")).isEmpty();
    }

    @Test
    void theEvidenceListHoldsEveryonesOldestFirstPagedWithWindowsPathsDoubled() throws Exception {
        control.addForeignEvidence(120);
        String older = control.addForeignEvidence("WS-0142", EndpointFiles.WINDOWS_DOWNLOAD, new byte[] {1}, Instant.now().minusSeconds(3 * 3600));
        String cid = connected("9065203", "WS-0142", "Windows");
        send("POST", TR + "/conns/" + cid + "/file", "{\"path\":\"c:\\\\users\\\\public\\\\downloads\\\\INVOICE.pdf.exe\"}");

        List<JsonNode> all = new ArrayList<>();
        for (int offset = 0; ; offset += 50) {
            JsonNode page = json(send("GET", TR + "/filedownload?limit=50&offset=" + offset, null), 200);
            assertThat(page.path("totalCount").asInt()).isEqualTo(122);
            page.path("fileEvidence").forEach(all::add);
            if (page.path("fileEvidence").size() < 50) {
                break;
            }
        }

        assertThat(all).hasSize(122);
        assertThat(all.get(0).path("uuid").asText()).as("the oldest first").isEqualTo(older);
        JsonNode ours = all.get(121);
        assertThat(ours.path("hostname").asText()).isEqualTo("WS-0142");
        assertThat(ours.path("path").asText()).as("doubled, as recorded").isEqualTo("c:\\\\users\\\\public\\\\downloads\\\\INVOICE.pdf.exe");
        assertThat(ours.path("size").asInt()).as("Windows paths ignore case").isEqualTo(4096);
        assertThat(json(send("GET", TR + "/filedownload?limit=1&sort=-downloaded", null), 200).path("fileEvidence").get(0).path("uuid").asText())
                .isEqualTo(ours.path("uuid").asText());
        assertThat(send("GET", TR + "/filedownload?sort=color", null).statusCode()).isEqualTo(400);
        assertThat(send("GET", TR + "/filedownload?limit=x", null).statusCode()).isEqualTo(400);
    }

    @Test
    void aFileRequestNeedsAConnectedConnectionAndAPath() throws Exception {
        control.connectDelay(Duration.ofSeconds(30));
        String waiting = MAPPER.readTree(send("POST", TR + "/conns/connect",
                "{\"target\":{\"clientId\":\"9065210\",\"hostname\":\"db-prod-01\",\"platform\":\"Linux\"}}").body()).asText();

        assertThat(send("POST", TR + "/conns/remote:nowhere:1:1/file", "{\"path\":\"/x\"}").statusCode()).isEqualTo(404);
        assertThat(send("POST", TR + "/conns/" + waiting + "/file", "{\"path\":\"/x\"}").statusCode()).isEqualTo(409);
        assertThat(send("POST", TR + "/conns/" + waiting + "/file", "{}").statusCode()).isEqualTo(400);
        assertThat(send("GET", TR + "/filedownload/data/nope", null).statusCode()).isEqualTo(404);
    }

    @Test
    void aTestCanPutAFileOnOneEndpointAndSteerFileTasksOverHttp() throws Exception {
        control.files().put("9065210", "/var/tmp/big.bin", false, new byte[70_000]);
        assertThat(control.files().read("9065210", "Linux", "/var/tmp/big.bin")).hasSize(70_000);
        assertThat(control.files().read("9065211", "Linux", "/var/tmp/big.bin")).as("only that endpoint").isNull();

        JsonNode settings = json(send("PUT", TaniumSimulator.THREAT_RESPONSE_PATH,
                "{\"fileTaskDurationMs\":1500,\"fileTaskOutcome\":\"FAILED\",\"foreignEvidence\":3}"), 200);
        assertThat(settings.path("fileTaskDurationMs").asInt()).isEqualTo(1500);
        assertThat(settings.path("fileTaskOutcome").asText()).isEqualTo("FAILED");
        assertThat(settings.path("evidence").asInt()).isEqualTo(3);

        control.reset();
        assertThat(control.files().read("9065210", "Linux", "/var/tmp/big.bin")).isNull();
        assertThat(control.evidence()).isEmpty();
    }

    // ---- helpers ----

    private String connected(String clientId, String hostname, String platform) throws Exception {
        send("POST", TR + "/conns/connect", "{\"target\":{\"clientId\":\"" + clientId + "\",\"hostname\":\"" + hostname + "\",\"platform\":\""
                + platform + "\"}}");
        return control.connections().stream().filter(c -> c.clientId().equals(clientId)).reduce((a, b) -> b).orElseThrow().id();
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(simulator.url() + path)).header("session", TOKEN)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<byte[]> download(String uuid) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(simulator.url() + TR + "/filedownload/data/" + uuid)).header("session", TOKEN).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private static JsonNode json(HttpResponse<String> reply, int status) throws Exception {
        assertThat(reply.statusCode()).as(reply.body()).isEqualTo(status);
        return MAPPER.readTree(reply.body());
    }

    private static JsonNode single(JsonNode list) {
        assertThat(list.path("fileEvidence")).hasSize(1);
        assertThat(list.path("totalCount").asInt()).isEqualTo(1);
        return list.path("fileEvidence").get(0);
    }
}
