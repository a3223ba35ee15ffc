package io.github.taniumroutes.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.taniumroutes.simulator.Sessions;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * A session that expires in the middle of a load, through the real broker and the simulator over
 * HTTP: with credentials configured, the rejected requests log in once for all of them and are sent
 * again, so every alert is still enriched; the password reaches only the login request.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaAndSimulator.class, restrictToAnnotatedClass = false)
@TestProfile(SessionRenewalTest.WithCredentials.class)
class SessionRenewalTest {

    static final String USER = "svc-routes";
    static final String PASSWORD = "pw-Zq81-secret";
    static final Duration WITHIN = Duration.ofSeconds(60);

    public static class WithCredentials implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tanium.servers.default.username", USER, "tanium.servers.default.password", PASSWORD);
        }
    }

    private Sessions sessions;

    @BeforeEach
    void credentials() {
        KafkaAndSimulator.simulator().faults().clear();
        sessions = KafkaAndSimulator.simulator().sessions().reset().credentials(USER, PASSWORD);
    }

    @AfterEach
    void backToTheToken() {
        KafkaAndSimulator.simulator().sessions().reset();
    }

    @Test
    void aSessionExpiringMidLoadIsRenewedByOneLoginAndEveryAlertIsEnriched() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> first = produce(run + "-a", 40);
        Map<String, JsonNode> before = results(first);
        assertThat(before.values()).extracting(r -> r.path("outcome").asText()).containsOnly("enriched");
        assertThat(sessions.logins()).as("the API token served until now").isZero();

        sessions.expireAll();
        List<String> second = produce(run + "-b", 40);
        Map<String, JsonNode> after = results(second);

        assertThat(after.values()).extracting(r -> r.path("outcome").asText()).as("none ends tanium_error").containsOnly("enriched");
        assertThat(sessions.logins()).as("one login for every rejected request").isEqualTo(1);
        assertThat(KafkaAndSimulator.simulator().requests()).as("the password goes to the login only")
                .filteredOn(r -> r.body() != null && r.body().contains(PASSWORD)).extracting(r -> r.path())
                .containsOnly(Sessions.LOGIN_PATH);
        assertThat(after.values()).allSatisfy(r -> assertThat(r.toString()).doesNotContain(PASSWORD));
    }

    private static List<String> produce(String prefix, int count) throws Exception {
        List<String> ids = new ArrayList<>();
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        String[] endpoints = {"1003", "1004", "1005", "1010"};
        for (int i = 0; i < count; i++) {
            String id = "session-" + prefix + "-" + i;
            ids.add(id);
            records.add(Investigations.alertFor(id, endpoints[i % endpoints.length]));
        }
        KafkaTopics.produce(KafkaAndSimulator.ALERTS, records);
        return ids;
    }

    private static Map<String, JsonNode> results(List<String> alertIds) {
        List<ConsumerRecord<byte[], byte[]>> read = KafkaTopics.readUntil(KafkaAndSimulator.RESULTS, WITHIN,
                records -> Investigations.enrichmentResults(records, alertIds).size() == alertIds.size());
        Map<String, JsonNode> results = Investigations.enrichmentResults(read, alertIds);
        assertThat(results.keySet()).containsExactlyInAnyOrderElementsOf(alertIds);
        return results;
    }
}
