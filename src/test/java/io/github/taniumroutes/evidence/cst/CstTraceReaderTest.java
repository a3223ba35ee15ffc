package io.github.taniumroutes.evidence.cst;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** CST traces as the scanner writes them (seed 002): gzipped concatenated JSON, a header first, then one object per artifact. */
public class CstTraceReaderTest {

    public static final ObjectMapper MAPPER = new ObjectMapper();
    public static final String HEADER = "{\"format\":\"CST\",\"api\":\"host-scanner\",\"api_specific\":{\"scanner_version\":\"1.14.2\",\"os\":\"linux\","
            + "\"hostname\":\"db-prod-01\"}}";
    public static final String CERTIFICATE = "{\"path\":\"/etc/ssl/certs/ca.pem\",\"last_modified\":1796569200,\"size_bytes\":745,"
            + "\"type\":\"X509 CERTIFICATE\",\"encrypted\":false,\"public\":true,\"details\":{\"tbs_certificate\":{\"version\":\"3\","
            + "\"serial\":\"4FEB\",\"issuer\":[{\"type\":\"CN\",\"value\":\"Root\"}],\"validity\":{\"not_before\":\"2026-12-07T16:44:28Z\"}},"
            + "\"signature_algorithm\":{\"algorithm\":\"ecdsa-with-SHA256\"},\"signature\":\"3045\",\"encoded\":\"MIIB\"}}";
    public static final String RSA = "{\"path\":\"/etc/pki/tls/private/db.key\",\"last_modified\":1796569260,\"size_bytes\":1704,\"type\":\"rsa_pkcs8\","
            + "\"encrypted\":false,\"public\":false,\"details\":{\"bit_length\":2048},\"key\":{\"type\":\"rsa\",\"value\":{\"type\":\"exact\","
            + "\"n\":\"c0ffee\",\"e\":\"65537\"}}}";
    public static final String PGP = "{\"path\":\"/home/deploy/.gnupg/pubring.kbx\",\"last_modified\":1760000000,\"size_bytes\":1430,\"type\":\"pgp\","
            + "\"encrypted\":false,\"public\":true,\"details\":{\"key\":{\"key\":{\"type\":\"rsa\",\"value\":{\"type\":\"exact\",\"n\":\"beef\","
            + "\"e\":\"65537\"}},\"info\":{\"creation_time\":1760000000,\"has_private_key\":true,\"ids\":[\"Deploy <d@corp.example>\"],"
            + "\"validity_period\":63072000,\"version\":4,\"uses\":[\"Certification\",\"Sign data\"],\"revocation_reason\":[]}}}}";

    private final CstTraceReader reader = new CstTraceReader(MAPPER, 1 << 20, 100);

    public static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    private CstTraceReader.Trace read(byte[] bytes) throws IOException {
        return reader.read(new ByteArrayInputStream(bytes));
    }

    @Test
    void theHeaderAndEachKindOfArtifactAreRead() throws Exception {
        CstTraceReader.Trace trace = read(gzip(String.join("\n", HEADER, CERTIFICATE, RSA, PGP) + "\n"));

        assertThat(trace.header()).isEqualTo(new CstTraceReader.Header("CST", "host-scanner", "db-prod-01", "linux", "1.14.2"));
        assertThat(trace.artifacts()).extracting(a -> a.path("type").asText()).containsExactly("X509 CERTIFICATE", "rsa_pkcs8", "pgp");
        assertThat(trace.artifacts().get(0)).isEqualTo(MAPPER.readTree(CERTIFICATE));
        assertThat(trace.artifacts().get(2).path("details").path("key").path("info").path("version").asInt()).isEqualTo(4);
    }

    @Test
    void objectsBackToBackWithoutNewlinesOrPlainTextAreReadAlike() throws Exception {
        CstTraceReader.Trace withNewlines = read(gzip(String.join("\n", HEADER, CERTIFICATE, RSA, PGP)));
        CstTraceReader.Trace backToBack = read(gzip(HEADER + CERTIFICATE + RSA + PGP));
        CstTraceReader.Trace spaced = read((HEADER + "  \r\n\t" + CERTIFICATE + " " + RSA + "\n\n" + PGP).getBytes(StandardCharsets.UTF_8));

        assertThat(backToBack).isEqualTo(withNewlines);
        assertThat(spaced).isEqualTo(withNewlines);
    }

    @Test
    void theSimulatorsSampleTracesAreTraces() throws Exception {
        CstTraceReader.Trace full = read(gzip(Files.readString(Path.of("config/simulator/traces/host-scanner-full.cst"))));
        CstTraceReader.Trace diff = read(gzip(Files.readString(Path.of("config/simulator/traces/host-scanner-diff.cst"))));

        assertThat(full.artifacts()).extracting(a -> a.path("type").asText())
                .containsExactly("X509 CERTIFICATE", "X509 CERTIFICATE", "rsa_pkcs8", "rsa_pkcs8", "pgp");
        assertThat(diff.artifacts()).hasSize(1);
        assertThat(diff.header().hostname()).isEqualTo("db-prod-01");
    }

    @Test
    void aMalformedTraceSaysWhereAndHowFarItGot() throws Exception {
        assertMalformed(new byte[0], "the trace is empty");
        assertMalformed(gzip(CERTIFICATE + RSA), "the trace's first object is not a CST header");
        assertMalformed(gzip("{\"format\":\"CSV\"}" + RSA), "its format is \"CSV\"");
        assertMalformed(gzip("[" + HEADER + "]"), "does not start with a JSON object");
        assertMalformed(gzip(HEADER + "\n" + CERTIFICATE + "\n" + RSA.substring(0, 60)), "(after 1 artifacts)");
        assertMalformed(gzip(HEADER + "\n" + CERTIFICATE + "\n{\"path\":\"/x\",}"), "not concatenated JSON at line 3");
        assertMalformed(gzip(HEADER + "\n" + CERTIFICATE + "\n42"), "expected artifact 2 as a JSON object at line 3");
        assertMalformed(gzip(HEADER + "{\"type\":\"pgp\"}"), "artifact 1 (line 1) has no 'path'");
        byte[] whole = gzip(HEADER + CERTIFICATE + RSA);
        assertMalformed(Arrays.copyOf(whole, whole.length - 12), "gzip stream is damaged or ends early");
    }

    @Test
    void limitsOnSizeAndArtifactsHold() throws Exception {
        CstTraceReader small = new CstTraceReader(MAPPER, 1000, 2);
        assertThatThrownBy(() -> small.read(new ByteArrayInputStream(gzip(HEADER + CERTIFICATE + RSA + PGP))))
                .isInstanceOf(CstTraceReader.Malformed.class).hasMessageContaining("file-evidence.cst.max-bytes");
        CstTraceReader fewArtifacts = new CstTraceReader(MAPPER, 1 << 20, 2);
        assertThatThrownBy(() -> fewArtifacts.read(new ByteArrayInputStream(gzip(HEADER + CERTIFICATE + RSA + PGP))))
                .isInstanceOf(CstTraceReader.Malformed.class).hasMessageContaining("more than 2 artifacts");
        // A gzip bomb of whitespace stops at the limit, not at its end.
        String bomb = HEADER + " ".repeat(5 << 20);
        assertThatThrownBy(() -> small.read(new ByteArrayInputStream(gzip(bomb)))).hasMessageContaining("file-evidence.cst.max-bytes");
    }

    private void assertMalformed(byte[] trace, String reason) {
        assertThatThrownBy(() -> read(trace)).isInstanceOf(CstTraceReader.Malformed.class).hasMessageContaining(reason);
    }

    static ObjectNode node(String json) throws IOException {
        return (ObjectNode) MAPPER.readTree(json);
    }
}
