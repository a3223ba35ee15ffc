package io.github.taniumroutes.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.taniumroutes.simulator.RecordedRequest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * A burst of alerts about one endpoint against a Tanium that takes its time: they are enriched in
 * parallel and over several batches, yet share one endpoint lookup and one live read (those of one
 * batch at once, the next batches' within tanium.enrich.shared-read-window), and each result says its
 * readings were shared and when they were taken.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaAndSimulator.class, restrictToAnnotatedClass = false)
@TestProfile(EnrichmentEstate.class)
class SharedEnrichmentTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String IP = "10.20.50.7";
    private static final String ENDPOINT_ID = "1005";

    @AfterEach
    void fast() {
        KafkaAndSimulator.simulator().faults().clear();
    }

    @Test
    void aBurstAboutOneEndpointSharesOneLookupAndOneLiveRead() throws Exception {
        KafkaAndSimulator.simulator().faults().clear().latency(300);
        KafkaAndSimulator.simulator().clearRequests();
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> ids = new ArrayList<>();
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String id = "shared-" + run + "-" + i;
            ids.add(id);
            byte[] alert = MAPPER.createObjectNode().put("schemaVersion", 1).put("id", id).put("ip", IP).toString()
                    .getBytes(StandardCharsets.UTF_8);
            records.add(KafkaTopics.record(KafkaAndSimulator.ALERTS, IP, alert, Map.of()));
        }
        KafkaTopics.produce(KafkaAndSimulator.ALERTS, records);

        List<ConsumerRecord<byte[], byte[]>> read = KafkaTopics.readUntil(KafkaAndSimulator.RESULTS, Duration.ofSeconds(60),
                got -> Investigations.enrichmentResults(got, ids).size() == ids.size());
        Map<String, JsonNode> results = Investigations.enrichmentResults(read, ids);
        assertThat(results.keySet()).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(results.values()).extracting(result -> result.path("outcome").asText()).containsOnly("enriched");
        assertThat(results.values()).extracting(result -> result.path("endpoint").path("id").asText()).containsOnly(ENDPOINT_ID);

        List<RecordedRequest> gateway = KafkaAndSimulator.simulator().requests("/plugin/products/gateway/graphql");
        long lookups = gateway.stream().filter(r -> r.body().contains(IP) && !r.body().contains("sensorReadings")).count();
        long reads = gateway.stream().filter(r -> r.body().contains("sensorReadings") && r.body().contains("\"" + ENDPOINT_ID + "\"")).count();
        assertThat(lookups).as("one lookup for the 20 alerts (none if a test before looked this address up)").isLessThanOrEqualTo(1);
        assertThat(reads).as("one live read for the 20 alerts (none if one was taken for it in the last seconds)").isLessThanOrEqualTo(1);

        long unshared = results.values().stream().filter(result -> !result.path("readings").path("shared").asBoolean(true)).count();
        assertThat(unshared).as("the alert whose read answered the others").isEqualTo(reads);
        assertThat(results.values()).extracting(result -> result.path("readings").path("takenAt").asText())
                .as("all read at the same moment").containsOnly(results.get(ids.get(0)).path("readings").path("takenAt").asText())
                .allSatisfy(takenAt -> assertThat(takenAt).isNotBlank());
        assertThat(results.values().stream().mapToInt(result -> result.path("taniumCalls").asInt()).sum())
                .as("each call counted once, by the alert that made it").isEqualTo((int) (lookups + reads));
    }
}
