package io.github.taniumroutes.evidence.cst;

import static io.github.taniumroutes.evidence.cst.CstTraceReaderTest.CERTIFICATE;
import static io.github.taniumroutes.evidence.cst.CstTraceReaderTest.MAPPER;
import static io.github.taniumroutes.evidence.cst.CstTraceReaderTest.PGP;
import static io.github.taniumroutes.evidence.cst.CstTraceReaderTest.RSA;
import static io.github.taniumroutes.evidence.cst.CstTraceReaderTest.node;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Inventory records: the scan's metadata, the artifact's details without private parts, and an id that is the same for the same artifact. */
class CryptoInventoryTest {

    private static final CstTraceReader.Header HEADER = new CstTraceReader.Header("CST", "host-scanner", "db-prod-01", "linux", "1.14.2");
    private static final CryptoInventory.Source FULL = new CryptoInventory.Source("1010", "db-prod-01", "9065210", "alert-1",
            "/opt/cryptosense/traces/trace.cst.gz", "ab12", false, "2026-12-07T16:00:00Z");

    private final CryptoInventory inventory = new CryptoInventory(MAPPER);

    @Test
    void aCertificatesRecordCarriesTheScanTheArtifactAndItsIdentity() throws Exception {
        ObjectNode record = inventory.record(HEADER, node(CERTIFICATE), FULL);

        assertThat(record.path("schemaVersion").asInt()).isEqualTo(1);
        assertThat(record.path("trace").asText()).isEqualTo("full");
        assertThat(record.path("endpoint").path("id").asText()).isEqualTo("1010");
        assertThat(record.path("scan").path("scannerVersion").asText()).isEqualTo("1.14.2");
        assertThat(record.path("scan").path("os").asText()).isEqualTo("linux");
        assertThat(record.path("scan").path("hostname").asText()).isEqualTo("db-prod-01");
        assertThat(record.path("source").path("alertId").asText()).isEqualTo("alert-1");
        JsonAssert artifact = new JsonAssert(record.path("artifact"));
        artifact.has("path", "/etc/ssl/certs/ca.pem").has("type", "X509 CERTIFICATE").has("kind", "certificate").has("sizeBytes", "745")
                .has("public", "true").has("encrypted", "false");
        assertThat(record.path("artifact").path("certificate").path("serial").asText()).isEqualTo("4FEB");
        assertThat(record.path("artifact").path("certificate").path("signatureAlgorithm").asText()).isEqualTo("ecdsa-with-SHA256");
        assertThat(record.path("artifact").path("details").path("encoded").asText()).as("a certificate's encoding is public").isEqualTo("MIIB");
    }

    @Test
    void keysKeepOnlyTheirPublicParts() throws Exception {
        ObjectNode rsa = node(RSA);
        ((ObjectNode) rsa.path("key").path("value")).put("d", "5ec12e7").put("p", "11").put("q", "13");
        ((ObjectNode) rsa.path("details")).put("encoded", "LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0t").put("private_key", "x");

        ObjectNode record = inventory.record(HEADER, rsa, FULL);

        assertThat(record.path("artifact").path("kind").asText()).isEqualTo("private_key");
        assertThat(record.path("artifact").path("keyAlgorithm").asText()).isEqualTo("rsa");
        assertThat(record.path("artifact").path("bitLength").asInt()).isEqualTo(2048);
        assertThat(record.path("artifact").path("key").path("value").toString()).isEqualTo("{\"type\":\"exact\",\"n\":\"c0ffee\",\"e\":\"65537\"}");
        assertThat(record.toString()).doesNotContain("5ec12e7", "LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0t");
        assertThat(record.path("artifact").path("details").has("private_key")).isFalse();

        ObjectNode ec = node("{\"path\":\"/k\",\"type\":\"ec_pkcs8\",\"public\":false,\"key\":{\"type\":\"ec\",\"value\":{\"curve\":\"P-256\","
                + "\"x\":\"01\",\"y\":\"02\",\"d\":\"03\"}}}");
        assertThat(inventory.record(HEADER, ec, FULL).path("artifact").path("key").path("value").toString())
                .isEqualTo("{\"curve\":\"P-256\",\"x\":\"01\",\"y\":\"02\"}");
        ObjectNode unknown = node("{\"path\":\"/k\",\"type\":\"sm2\",\"key\":{\"type\":\"sm2\",\"value\":{\"type\":\"exact\",\"k\":\"99\"}}}");
        assertThat(inventory.record(HEADER, unknown, FULL).path("artifact").path("key").path("value").toString())
                .as("an algorithm we do not know keeps nothing but its type").isEqualTo("{\"type\":\"exact\"}");
    }

    @Test
    void aPgpKeysRecordNamesItAndKeepsItsInfo() throws Exception {
        ObjectNode record = inventory.record(HEADER, node(PGP), FULL);

        assertThat(record.path("artifact").path("kind").asText()).isEqualTo("pgp_key");
        assertThat(record.path("artifact").path("keyAlgorithm").asText()).isEqualTo("rsa");
        assertThat(record.path("artifact").path("details").path("key").path("info").path("uses")).hasSize(2);
        assertThat(record.path("artifact").path("details").path("key").path("key").path("value").path("n").asText()).isEqualTo("beef");
    }

    @Test
    void theIdIsTheSameForTheSameArtifactAndDiffersForAnother() throws Exception {
        String first = inventory.record(HEADER, node(RSA), FULL).path("recordId").asText();
        ObjectNode reordered = node("{\"public\":false,\"type\":\"rsa_pkcs8\",\"key\":{\"value\":{\"e\":\"65537\",\"n\":\"c0ffee\","
                + "\"type\":\"exact\"},\"type\":\"rsa\"},\"details\":{\"bit_length\":2048},\"path\":\"/etc/pki/tls/private/db.key\","
                + "\"size_bytes\":99,\"last_modified\":1}");
        CryptoInventory.Source diff = new CryptoInventory.Source("1010", "db-prod-01", "9065210", "alert-2", "/x.diff.cst.gz", "cd34", true, "t");

        assertThat(inventory.record(HEADER, reordered, diff).path("recordId").asText())
                .as("field order, modification time, size, alert and trace do not change it").isEqualTo(first);
        assertThat(inventory.record(HEADER, reordered, diff).path("trace").asText()).isEqualTo("diff");
        CryptoInventory.Source otherHost = new CryptoInventory.Source("1003", "WS-0142", "9065203", "alert-1", "/t", "ab12", false, "t");
        assertThat(inventory.record(HEADER, node(RSA), otherHost).path("recordId").asText()).as("another endpoint").isNotEqualTo(first);
        ObjectNode rotated = node(RSA);
        ((ObjectNode) rotated.path("key").path("value")).put("n", "facade");
        assertThat(inventory.record(HEADER, rotated, FULL).path("recordId").asText()).as("another key at the same path").isNotEqualTo(first);
        assertThat(first).matches("[0-9a-f-]{36}");
        assertThat(CryptoInventory.key("1010", first)).isEqualTo("1010/" + first);
    }

    private record JsonAssert(com.fasterxml.jackson.databind.JsonNode node) {
        JsonAssert has(String field, String value) {
            assertThat(node.path(field).asText()).as(field).isEqualTo(value);
            return this;
        }
    }
}
