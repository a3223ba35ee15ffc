package io.github.taniumroutes.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.CamelContext;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.taniumroutes.simulator.RecordedRequest;
import io.github.taniumroutes.simulator.TaniumSimulator;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;

/**
 * A batch of alerts about many endpoints, through the real broker and Tanium server "wide" (a
 * simulator of its own): the batch's unknown hosts in one Data Service lookup, its endpoints read
 * live a hundred a request, and every alert still with its own result — its endpoint, readings taken
 * once per endpoint ("not shared" for the first alert about it), each request counted once. A request
 * that fails, an endpoint that does not answer, and a host Tanium does not know each end only their
 * own alerts.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaAndSimulator.class, restrictToAnnotatedClass = false)
@TestProfile(EnrichmentEstate.class)
class BatchedEnrichmentTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern ID_VARIABLE = Pattern.compile("\"id\\d+\":\"(\\d+)\"");

    @Inject
    CamelContext camel;

    @AfterEach
    void fast() {
        EnrichmentEstate.wide().faults().clear();
    }

    @Test
    void aBatchAboutManyEndpointsMakesOneLookupAndOneReadRequestPerHundredEndpoints() throws Exception {
        TaniumSimulator wide = EnrichmentEstate.wide();
        wide.clearRequests();
        // 250 endpoints, the first 50 of them named by two alerts each, in one batch.
        Map<String, Integer> alerts = new LinkedHashMap<>();
        for (int i = 0; i < 250; i++) {
            alerts.put("batched-" + i, i);
        }
        for (int i = 0; i < 50; i++) {
            alerts.put("batched-again-" + i, i);
        }

        Map<String, JsonNode> results = inOneBatch(alerts);

        assertThat(results.keySet()).containsExactlyInAnyOrderElementsOf(alerts.keySet());
        alerts.forEach((alertId, index) -> {
            JsonNode result = results.get(alertId);
            assertThat(result.path("outcome").asText()).as(alertId).isEqualTo("enriched");
            assertThat(result.path("endpoint").path("id").asText()).as(alertId + "'s own endpoint").isEqualTo(LargeEstates.endpointId(index));
            assertThat(result.path("endpoint").path("name").asText()).isEqualTo(LargeEstates.hostname(index));
            assertThat(result.path("readings").path("shared").asBoolean()).as(alertId + ": shared unless it is the endpoint's first alert")
                    .isEqualTo(alertId.startsWith("batched-again-"));
        });

        List<RecordedRequest> gateway = wide.requests("/plugin/products/gateway/graphql");
        List<RecordedRequest> lookups = gateway.stream().filter(r -> r.body().contains("tds")).toList();
        List<RecordedRequest> reads = gateway.stream().filter(r -> r.body().contains("sensorReadings")).toList();
        assertThat(lookups).as("one lookup for the batch's 250 unknown hosts").hasSize(1);
        assertThat(reads).as("ceil(250 / 100) live reads").hasSize(3);
        assertThat(gateway).hasSize(4);
        assertThat(reads).extracting(read -> idsAsked(read).size()).containsExactlyInAnyOrder(100, 100, 50);
        assertThat(reads.stream().flatMap(read -> idsAsked(read).stream()).distinct().count()).as("each endpoint read once").isEqualTo(250);
        alerts.keySet().forEach(alertId -> assertThat(results.get(alertId).path("taniumCalls").asInt())
                .as(alertId + ": its own lookup and read, in the batch's requests; none for an alert that shared them")
                .isEqualTo(alertId.startsWith("batched-again-") ? 0 : 2));
        assertThat(gateway).as("built from scratch: the alerts' own session and other headers never reach Tanium").allSatisfy(request -> {
            assertThat(request.header("session")).isEqualTo(KafkaAndSimulator.TOKEN);
            assertThat(request.header("x-siem")).isNull();
        });
        awaitCommittedToTheEnd(List.of(0));
    }

    @Test
    void aFailingRequestAnEndpointThatDoesNotAnswerAndAnUnknownHostEndOnlyTheirOwnAlerts() throws Exception {
        TaniumSimulator wide = EnrichmentEstate.wide();
        wide.clearRequests();
        // Endpoints 300..449 in one batch: reads 300..399 and 400..449. The second read fails with a GraphQL
        // error; endpoint 305 is offline; scale-999999 is not in the estate.
        wide.faults().graphqlErrorMatching("\"" + LargeEstates.endpointId(420) + "\"", 1).offline(Set.of(LargeEstates.endpointId(305)));
        Map<String, Integer> alerts = new LinkedHashMap<>();
        for (int i = 300; i < 450; i++) {
            alerts.put("chunks-" + i, i);
        }
        alerts.put("chunks-unknown", 999_999);

        Map<String, JsonNode> results = inOneBatch(alerts);

        assertThat(results.keySet()).containsExactlyInAnyOrderElementsOf(alerts.keySet());
        alerts.forEach((alertId, index) -> {
            JsonNode result = results.get(alertId);
            if (index == 999_999) {
                assertThat(result.path("outcome").asText()).isEqualTo("endpoint_not_found");
            } else if (index == 305) {
                assertThat(result.path("outcome").asText()).isEqualTo("tanium_error");
                assertThat(result.path("reason").asText()).isEqualTo("the live sensor read returned nothing for endpoint "
                        + LargeEstates.endpointId(305) + " (offline, or no longer that id; read together with 99 other endpoints)");
            } else if (index >= 400) {
                assertThat(result.path("outcome").asText()).as(alertId).isEqualTo("tanium_error");
                assertThat(result.path("reason").asText()).isEqualTo("GraphQL error: simulated Gateway failure");
                assertThat(result.path("endpoint").path("id").asText()).as("found, then not read").isEqualTo(LargeEstates.endpointId(index));
            } else {
                assertThat(result.path("outcome").asText()).as(alertId).isEqualTo("enriched");
                assertThat(result.path("endpoint").path("id").asText()).isEqualTo(LargeEstates.endpointId(index));
            }
        });

        List<RecordedRequest> gateway = wide.requests("/plugin/products/gateway/graphql");
        assertThat(gateway.stream().filter(r -> r.body().contains("tds"))).as("one lookup").hasSize(1);
        assertThat(gateway.stream().filter(r -> r.body().contains("sensorReadings")))
                .as("two reads; the failed one is not asked again, alert by alert").hasSize(2);
    }

    @Test
    void theBatchesOfTwoPartitionsAskTaniumAtTheSameTimeAndEachPartitionIsCommittedToItsEnd() throws Exception {
        TaniumSimulator wide = EnrichmentEstate.wide();
        wide.clearRequests();
        wide.faults().latency(2000);
        Map<String, Integer> first = new LinkedHashMap<>();
        Map<String, Integer> second = new LinkedHashMap<>();
        for (int i = 0; i < 20; i++) {
            first.put("partition-1-" + i, 600 + i);
            second.put("partition-2-" + i, 620 + i);
        }
        Map<String, Integer> all = new LinkedHashMap<>(first);
        all.putAll(second);

        Map<String, JsonNode> results = whileIntakeIsStopped(Map.of(1, first, 2, second), all.keySet());

        assertThat(results.values()).extracting(result -> result.path("outcome").asText()).hasSize(40).containsOnly("enriched");
        List<RecordedRequest> lookups = wide.requests("/plugin/products/gateway/graphql").stream().filter(r -> r.body().contains("tds")).toList();
        assertThat(lookups).as("one lookup per partition's batch").hasSize(2);
        assertThat(Math.abs(lookups.get(1).receivedAtMillis() - lookups.get(0).receivedAtMillis()))
                .as("the second batch asked before the first one's answer came (2 s): both in flight (alerts.consumers)")
                .isLessThan(2000);
        awaitCommittedToTheEnd(List.of(1, 2));
    }

    /**
     * Produces the alerts (alert id → index of the estate's host it names) while the intake is stopped,
     * all to one partition, so that the intake reads them as one batch; returns each alert's result.
     */
    private Map<String, JsonNode> inOneBatch(Map<String, Integer> alerts) throws Exception {
        return whileIntakeIsStopped(Map.of(0, alerts), alerts.keySet());
    }

    /** Produces each partition's alerts (alert id → index of the estate's host it names) while the intake is stopped; returns each alert's result. */
    private Map<String, JsonNode> whileIntakeIsStopped(Map<Integer, Map<String, Integer>> byPartition, java.util.Collection<String> alertIds)
            throws Exception {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        byPartition.forEach((partition, alerts) -> alerts.forEach((alertId, index) -> records.add(alert(partition, alertId, index))));
        camel.getRouteController().stopRoute("alert-intake");
        try {
            KafkaTopics.produce(KafkaAndSimulator.ALERTS, records);
        } finally {
            camel.getRouteController().startRoute("alert-intake");
        }
        List<ConsumerRecord<byte[], byte[]>> read = KafkaTopics.readUntil(KafkaAndSimulator.RESULTS, Duration.ofSeconds(90),
                got -> Investigations.enrichmentResults(got, alertIds).size() == alertIds.size());
        return Investigations.enrichmentResults(read, alertIds);
    }

    private static ProducerRecord<byte[], byte[]> alert(int partition, String alertId, int index) {
        String host = LargeEstates.hostname(index);
        byte[] alert = MAPPER.createObjectNode().put("schemaVersion", 1).put("id", alertId).put("severity", "high").put("hostname", host)
                .toString().getBytes(StandardCharsets.UTF_8);
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(KafkaAndSimulator.ALERTS, partition, host.getBytes(StandardCharsets.UTF_8), alert);
        // SIEM metadata that must never reach Tanium.
        record.headers().add(new RecordHeader("session", "siem-session".getBytes(StandardCharsets.UTF_8)));
        record.headers().add(new RecordHeader("x-siem", "1".getBytes(StandardCharsets.UTF_8)));
        return record;
    }

    /** Until the application's group has committed the end offset of each of these partitions of the alerts topic. */
    private static void awaitCommittedToTheEnd(List<Integer> partitions) {
        Awaitility.await().atMost(60, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(250)).until(() -> {
            try (Admin admin = KafkaAndSimulator.kafka.admin()) {
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                partitions.forEach(p -> latest.put(new TopicPartition(KafkaAndSimulator.ALERTS, p), OffsetSpec.latest()));
                Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all().get();
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("tanium-response-routes")
                        .partitionsToOffsetAndMetadata().get();
                return ends.entrySet().stream().allMatch(end -> committed.get(end.getKey()) != null
                        && committed.get(end.getKey()).offset() == end.getValue().offset());
            }
        });
    }

    private static List<String> idsAsked(RecordedRequest read) {
        List<String> ids = new ArrayList<>();
        Matcher matcher = ID_VARIABLE.matcher(read.body());
        while (matcher.find()) {
            ids.add(matcher.group(1));
        }
        return ids;
    }
}
