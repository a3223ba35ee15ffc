package io.github.taniumroutes.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.taniumroutes.alert.CanonicalAlert;
import io.github.taniumroutes.tanium.SensorRows;
import io.github.taniumroutes.tanium.TaniumEndpoint;
import org.junit.jupiter.api.Test;

class ResultBuilderTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final TaniumEndpoint WS1 = new TaniumEndpoint("1001", "WS-0142", "10.0.0.42", "Windows");
    private static final TaniumEndpoint WS2 = new TaniumEndpoint("1002", "WS-0142", "10.0.0.43", null);

    private final ResultBuilder builder = new ResultBuilder(MAPPER);
    private static final long READ_AT = 1_764_000_000_000L;

    private static CanonicalAlert alert(String id, String time, String hostname, String ip, String taniumId) {
        return new CanonicalAlert(id, "splunk", "splunk-notable", time, "high", "malware", "Suspicious PowerShell",
                hostname, ip, taniumId, new CanonicalAlert.ProcessInfo("powershell.exe", 4242L, "abc123"),
                null, null, MAPPER.createObjectNode().put("vendorField", "kept"));
    }

    private JsonNode build(CanonicalAlert alert, String outcome, String reason, List<TaniumEndpoint> endpoints,
            Map<String, SensorRows> sensors, Integer calls, long receivedAt, Long enrichStartedAt) throws Exception {
        return MAPPER.readTree(builder.enrichmentResult(alert, "default", outcome, reason, endpoints, sensors,
                sensors == null ? null : READ_AT, sensors == null ? null : false, calls, receivedAt, enrichStartedAt, null));
    }

    @Test
    void enrichedResultCarriesIdsOutcomeEndpointAndSensors() throws Exception {
        Map<String, String> row = new LinkedHashMap<>();
        row.put("User", "alice");
        row.put("Domain", null);
        Map<String, SensorRows> sensors = new LinkedHashMap<>();
        sensors.put("Logged In Users", new SensorRows(List.of(row), null));
        sensors.put("Network Details", new SensorRows(List.of(Map.of("Remote Port", "443")), 812));
        long now = System.currentTimeMillis();

        JsonNode result = build(alert("alert-1", null, "WS-0142", null, null), "enriched", null, List.of(WS1),
                sensors, 2, now - 1500, now - 1000);

        assertThat(result.path("schemaVersion").asInt(-1)).isEqualTo(1);
        assertThat(result.path("resultId").asText()).isEqualTo(ResultIds.of("alert-1", "enrich"))
                .isEqualTo("80d7f0c6-063e-3e87-b5ad-90b42f8773e9");
        assertThat(result.path("alertId").asText()).isEqualTo("alert-1");
        assertThat(result.path("step").asText()).isEqualTo("enrich");
        assertThat(result.path("outcome").asText()).isEqualTo("enriched");
        assertThat(result.path("taniumServer").asText()).isEqualTo("default");
        assertThat(result.has("reason")).isFalse();
        assertThat(result.path("endpoint")).isEqualTo(MAPPER.readTree(
                "{\"id\": \"1001\", \"name\": \"WS-0142\", \"ipAddress\": \"10.0.0.42\", \"platform\": \"Windows\"}"));
        assertThat(result.has("candidates")).isFalse();
        assertThat(result.path("sensors")).isEqualTo(MAPPER.readTree("{"
                + "\"Logged In Users\": {\"rows\": [{\"User\": \"alice\", \"Domain\": null}]},"
                + "\"Network Details\": {\"rows\": [{\"Remote Port\": \"443\"}], \"totalRows\": 812}}"));
        assertThat(result.path("readings")).as("when they were read, and by this alert")
                .isEqualTo(MAPPER.readTree("{\"takenAt\": \"" + java.time.Instant.ofEpochMilli(READ_AT) + "\", \"shared\": false}"));
        assertThat(result.path("taniumCalls").asInt(-1)).isEqualTo(2);
        assertThat(result.path("alert").path("id").asText()).isEqualTo("alert-1");
        assertThat(result.path("alert").path("process").path("pid").asLong()).isEqualTo(4242L);
        assertThat(result.path("alert").path("raw").path("vendorField").asText()).isEqualTo("kept");
    }

    @Test
    void severalMatchesAreCandidatesNotAnEndpoint() throws Exception {
        JsonNode result = build(alert("alert-2", null, "WS-0142", null, null), "endpoint_ambiguous",
                "2 Tanium endpoints match this alert; none was read", List.of(WS1, WS2), null, 1,
                System.currentTimeMillis(), System.currentTimeMillis());

        assertThat(result.has("endpoint")).isFalse();
        assertThat(result.path("candidates")).isEqualTo(MAPPER.readTree("["
                + "{\"id\": \"1001\", \"name\": \"WS-0142\", \"ipAddress\": \"10.0.0.42\", \"platform\": \"Windows\"},"
                + "{\"id\": \"1002\", \"name\": \"WS-0142\", \"ipAddress\": \"10.0.0.43\"}]"));
        assertThat(result.path("outcome").asText()).isEqualTo("endpoint_ambiguous");
        assertThat(result.path("reason").asText()).isEqualTo("2 Tanium endpoints match this alert; none was read");
        assertThat(result.has("sensors")).isFalse();
    }

    @Test
    void noMatchHasNeitherEndpointNorCandidates() throws Exception {
        for (List<TaniumEndpoint> none : java.util.Arrays.asList(List.<TaniumEndpoint>of(), null)) {
            JsonNode result = build(alert("alert-3", null, "NO-SUCH-HOST", null, null), "endpoint_not_found", null,
                    none, null, null, System.currentTimeMillis(), null);

            assertThat(result.has("endpoint")).isFalse();
            assertThat(result.has("candidates")).isFalse();
            assertThat(result.path("taniumCalls").isInt()).isTrue();
            assertThat(result.path("taniumCalls").asInt(-1)).isEqualTo(0);
            assertThat(result.path("timings").path("enrichMs").asLong(-1)).isEqualTo(0);
        }
    }

    @Test
    void timingsAreMeasuredFromReceiptEnrichStartAndAlertTime() throws Exception {
        long before = System.currentTimeMillis();
        long receivedAt = before - 5_000;
        String alertTime = Instant.ofEpochMilli(before - 60_000).toString();

        JsonNode result = build(alert("alert-4", alertTime, "WS-0142", null, null), "tanium_error", "HTTP 500 from Tanium",
                null, null, 4, receivedAt, before - 2_000);
        long after = System.currentTimeMillis();

        JsonNode timings = result.path("timings");
        assertThat(timings.path("alertTime").asText()).isEqualTo(alertTime);
        assertThat(timings.path("receivedAt").asText()).isEqualTo(Instant.ofEpochMilli(receivedAt).toString());
        Instant published = Instant.parse(timings.path("publishedAt").asText());
        assertThat(published.toEpochMilli()).isBetween(before, after);
        assertThat(timings.path("pipelineMs").asLong()).isEqualTo(published.toEpochMilli() - receivedAt);
        assertThat(timings.path("pipelineMs").asLong()).isCloseTo(5_000L, within(after - before + 1));
        assertThat(timings.path("enrichMs").asLong()).isCloseTo(2_000L, within(after - before + 1));
        assertThat(timings.path("alertAgeMs").asLong()).isCloseTo(60_000L, within(after - before + 1));
    }

    @Test
    void withoutAnAlertTimeThereIsNoAlertAge() throws Exception {
        JsonNode timings = build(alert("alert-5", null, "WS-0142", null, null), "enriched", null, List.of(WS1),
                Map.of(), 2, System.currentTimeMillis(), System.currentTimeMillis()).path("timings");

        assertThat(timings.has("alertTime")).isFalse();
        assertThat(timings.has("alertAgeMs")).isFalse();
        assertThat(timings.has("receivedAt")).isTrue();
    }

    @Test
    void resultKeyIsTheEndpointIdForASingleMatch() {
        assertThat(builder.resultKey(alert("a", null, "WS-0142", null, null), List.of(WS1)))
                .isEqualTo("1001".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void resultKeyFallsBackToTheHostIdentity() {
        CanonicalAlert alert = alert("a", null, "WS-0142", "10.0.0.42", null);

        assertThat(builder.resultKey(alert, List.of(WS1, WS2))).isEqualTo("WS-0142".getBytes(StandardCharsets.UTF_8));
        assertThat(builder.resultKey(alert, List.of())).isEqualTo("WS-0142".getBytes(StandardCharsets.UTF_8));
        assertThat(builder.resultKey(alert, null)).isEqualTo("WS-0142".getBytes(StandardCharsets.UTF_8));
        assertThat(builder.resultKey(alert, List.of(new TaniumEndpoint(null, "WS-0142", null, null))))
                .isEqualTo("WS-0142".getBytes(StandardCharsets.UTF_8));
        assertThat(builder.resultKey(alert("a", null, null, "10.0.0.42", null), null))
                .isEqualTo("10.0.0.42".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void resultKeyUsesTheTaniumIdWithoutHostIdentity() {
        assertThat(builder.resultKey(alert("a", null, null, null, "777"), null)).isEqualTo(new byte[] {'7', '7', '7'});
    }

    @Test
    void resultKeyIsUtf8() {
        assertThat(builder.resultKey(alert("a", null, "Müller-PC", null, null), null))
                .isEqualTo(new byte[] {'M', (byte) 0xC3, (byte) 0xBC, 'l', 'l', 'e', 'r', '-', 'P', 'C'});
    }
}
