package io.github.taniumroutes.tanium;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.taniumroutes.alert.AlertParser;
import io.github.taniumroutes.alert.CanonicalAlert;
import io.github.taniumroutes.alert.InvalidAlertException;
import io.github.taniumroutes.kafka.AnsweredRecords;
import io.github.taniumroutes.kafka.RecordSource;
import io.github.taniumroutes.policy.AllStepTypes;
import io.github.taniumroutes.policy.PlaybookPolicy;

/** A batch's records read once before the split: parsed, sent to their server with their rule's sensors; the rest left to process-alert. */
class EnrichBatchesTest {

    private final DefaultCamelContext camel = new DefaultCamelContext();
    private final AnsweredRecords answered = new AnsweredRecords(1_000_000, Duration.ofMinutes(1));

    @TempDir
    Path dir;

    @Test
    void eachRecordIsParsedOnceAndGoesToItsRulesServerWithItsSensors() throws Exception {
        EnrichBatches batches = batches();
        EnrichBatch batch = batches.newBatch();

        batches.read(List.of(record(1, "{\"schemaVersion\": 1, \"id\": \"b\", \"hostname\": \"db-1\"}"),
                record(7, "{\"schemaVersion\": 1, \"id\": \"x\", \"ip\": \"10.0.0.1\"}"),
                record(0, "{\"schemaVersion\": 1, \"id\": \"a\", \"hostname\": \"ws-1\"}")), batch);

        assertThat(batch.alerts()).extracting(alert -> alert.alert().id()).as("batch order").containsExactly("b", "x", "a");
        EnrichBatch.Alert lab = batch.alert(new RecordSource("alerts", 0, 0));
        assertThat(lab.server()).isEqualTo("lab");
        assertThat(lab.sensorOverride()).containsExactly("Logged In Users");
        assertThat(batch.alert(new RecordSource("alerts", 0, 1))).extracting(EnrichBatch.Alert::server, EnrichBatch.Alert::sensorOverride)
                .containsExactly("default", null);
        assertThat(batches.alert(new RecordSource("alerts", 0, 0), batch, new byte[0])).as("not parsed again").isSameAs(lab.alert());
    }

    @Test
    void recordsAnsweredBeforeOrUnreadableAreLeftToTheirOwnProcessing() throws Exception {
        EnrichBatches batches = batches();
        EnrichBatch batch = batches.newBatch();
        Exchange replayed = record(3, "{\"schemaVersion\": 1, \"id\": \"a\", \"hostname\": \"ws-1\"}");
        answered.remember(new RecordSource("alerts", 0, 3), replayed);

        batches.read(List.of(replayed, record(4, "{not json")), batch);

        assertThat(batch.alerts()).isEmpty();
        assertThatThrownBy(() -> batches.alert(new RecordSource("alerts", 0, 4), batch, "{not json".getBytes(StandardCharsets.UTF_8)))
                .as("refused where it always was").isInstanceOf(InvalidAlertException.class);
        CanonicalAlert parsedNow = batches.alert(new RecordSource("alerts", 0, 5), batch,
                "{\"schemaVersion\": 1, \"id\": \"c\", \"ip\": \"10.0.0.1\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(parsedNow.ip()).isEqualTo("10.0.0.1");
        assertThat(batches.callsMadeFor(new RecordSource("alerts", 0, 5), null)).isZero();
    }

    private EnrichBatches batches() throws Exception {
        Path file = dir.resolve("policy.yaml");
        Files.writeString(file, """
                rules:
                  - name: lab-hosts
                    match: {hostname: "ws-.*"}
                    server: lab
                    steps:
                      - enrich: {sensors: [Logged In Users]}
                default:
                  steps: [enrich]
                """);
        TaniumSettings servers = () -> Map.of("default", ServerSettings.of("https://tanium.example.com", "t"),
                "lab", ServerSettings.of("https://lab.example.com", "t"));
        PlaybookPolicy policy = new PlaybookPolicy(file.toString(), "dry-run", dir.resolve("KILL").toString(), servers, AllStepTypes.ALL,
                new DefaultCamelContext());
        return new EnrichBatches(new AlertParser(new ObjectMapper(), 65536), policy, answered);
    }

    private Exchange record(long offset, String value) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setHeaders(new java.util.HashMap<>(
                Map.of(KafkaConstants.TOPIC, "alerts", KafkaConstants.PARTITION, 0, KafkaConstants.OFFSET, offset)));
        exchange.getMessage().setBody(value.getBytes(StandardCharsets.UTF_8));
        return exchange;
    }
}
