package io.github.taniumroutes.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A token that expires mid-load with no credentials to renew it, through the real broker and the
 * simulator: the alerts after it end tanium_unauthorized with a reason that holds no secret, nothing
 * is lost, readiness says so, and once Tanium accepts the token again the alerts are enriched and
 * readiness is UP.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaAndSimulator.class, restrictToAnnotatedClass = false)
class UnauthorizedEndToEndTest {

    static final Duration WITHIN = Duration.ofSeconds(60);

    @TestHTTPResource("/q/health/ready")
    URI readiness;

    @AfterEach
    void tokenValidAgain() {
        KafkaAndSimulator.simulator().sessions().reset();
    }

    @Test
    void anExpiredTokenWithoutCredentialsEndsAlertsUnauthorizedUntilItIsAcceptedAgain() throws Exception {
        KafkaAndSimulator.simulator().faults().clear();
        KafkaAndSimulator.simulator().sessions().reset();
        String run = UUID.randomUUID().toString().substring(0, 8);
        assertThat(outcomes(produce(run + "-before", 10)).values()).containsOnly("enriched");

        KafkaAndSimulator.simulator().sessions().expireAll();
        Map<String, JsonNode> rejected = results(produce(run + "-expired", 10));
        assertThat(rejected.values()).extracting(r -> r.path("outcome").asText()).containsOnly("tanium_unauthorized");
        assertThat(rejected.values()).allSatisfy(r -> {
            assertThat(r.path("reason").asText()).startsWith("HTTP 401 from Tanium (session rejected");
            assertThat(r.toString()).doesNotContain(KafkaAndSimulator.TOKEN);
        });
        assertThat(get(readiness).statusCode()).as("readiness is DOWN").isEqualTo(503);

        KafkaAndSimulator.simulator().sessions().reset();
        assertThat(outcomes(produce(run + "-after", 10)).values()).containsOnly("enriched");
        assertThat(get(readiness).statusCode()).as("and UP again").isEqualTo(200);
    }

    private static List<String> produce(String prefix, int count) throws Exception {
        List<String> ids = new ArrayList<>();
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = "unauthorized-" + prefix + "-" + i;
            ids.add(id);
            records.add(Investigations.alertFor(id, i % 2 == 0 ? "1003" : "1004"));
        }
        KafkaTopics.produce(KafkaAndSimulator.ALERTS, records);
        return ids;
    }

    private static Map<String, String> outcomes(List<String> alertIds) {
        Map<String, String> outcomes = new LinkedHashMap<>();
        results(alertIds).forEach((id, result) -> outcomes.put(id, result.path("outcome").asText()));
        return outcomes;
    }

    private static Map<String, JsonNode> results(List<String> alertIds) {
        List<ConsumerRecord<byte[], byte[]>> read = KafkaTopics.readUntil(KafkaAndSimulator.RESULTS, WITHIN,
                records -> Investigations.enrichmentResults(records, alertIds).size() == alertIds.size());
        Map<String, JsonNode> results = Investigations.enrichmentResults(read, alertIds);
        assertThat(results.keySet()).as("every alert has its result").containsExactlyInAnyOrderElementsOf(alertIds);
        return results;
    }

    private static HttpResponse<String> get(URI uri) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
