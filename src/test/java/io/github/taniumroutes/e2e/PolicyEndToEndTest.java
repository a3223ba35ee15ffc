package io.github.taniumroutes.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.taniumroutes.investigation.Investigation;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The playbook policy through the real broker: one alert stream under two policies, the kill
 * switch flipped mid-stream, and a broken policy refused on reload while the previous one stays.
 */
@QuarkusTest
@TestProfile(PolicyEndToEndTest.LivePolicy.class)
@QuarkusTestResource(value = KafkaAndSimulator.class, restrictToAnnotatedClass = false)
class PolicyEndToEndTest {

    static final Path DIR = Path.of("target", "policy-e2e");
    static final Path POLICY = DIR.resolve("policy.yaml");
    static final Path KILL_SWITCH = DIR.resolve("KILL_SWITCH");
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Duration WITHIN = Duration.ofSeconds(30);

    /** Global mode live, a policy file the test can rewrite, a fast reload. */
    public static class LivePolicy implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Files.createDirectories(DIR);
                Files.deleteIfExists(KILL_SWITCH);
                Files.copy(Path.of("src/test/resources/policies/live.yaml"), POLICY, StandardCopyOption.REPLACE_EXISTING);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return Map.of("policy.file", POLICY.toString(), "policy.mode", "live",
                    "policy.kill-switch-file", KILL_SWITCH.toString(), "policy.reload-interval-ms", "300",
                    "investigations.flows.unrouted.first-phase", "start");
        }
    }

    @Inject
    CamelContext camel;

    @Test
    void addingARouteForAStepTypeImplementsIt() throws Exception {
        // 'unrouted' is a flow declared in configuration alone (see the profile): until its first phase's route exists, it is not implemented.
        assertThat(decisionFor("db-prod-01.corp.example", "critical").path("steps").get(1).path("status").asText())
                .isEqualTo("not_implemented");
        List<String> startedFor = new CopyOnWriteArrayList<>();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:unrouted-start").routeId("unrouted-start")
                        .process(e -> startedFor.add(e.getVariable("investigation", Investigation.class).getRequest().alertId()))
                        .bean("investigationProgress", "complete(${variable.investigation})");
            }
        });
        try {
            JsonNode decision = decisionFor("db-prod-01.corp.example", "critical");
            assertThat(decision.path("steps").get(1).path("status").asText()).isEqualTo("planned");
            Instant deadline = Instant.now().plus(WITHIN);
            while (startedFor.isEmpty() && Instant.now().isBefore(deadline)) {
                Thread.sleep(50);
            }
            assertThat(startedFor).containsExactly(decision.path("alertId").asText());
        } finally {
            camel.getRouteController().stopRoute("unrouted-start");
            camel.removeRoute("unrouted-start");
        }
    }

    @Test
    void decisionsFollowThePolicyTheKillSwitchAndRefuseABrokenPolicy() throws Exception {
        // Policy 1: the rule may act; the global mode is live.
        JsonNode live = decisionFor("db-prod-01.corp.example", "critical");
        assertThat(live.path("rule").asText()).isEqualTo("reverse-shell");
        assertThat(live.path("sensorsRead")).as("the rule's enrich step names its sensors")
                .containsExactly(com.fasterxml.jackson.databind.node.TextNode.valueOf("Logged In Users"));
        JsonNode action = live.path("steps").get(2);
        assertThat(action.path("type").asText()).isEqualTo("action");
        assertThat(action.path("dryRun").asBoolean()).isFalse();
        assertThat(action.path("parameters").path("parameters").path("$1").asText()).isEqualTo("31337");
        assertThat(live.path("steps").get(1).path("status").asText()).isEqualTo("not_implemented");
        JsonNode audit = auditFor(live.path("alertId").asText());
        assertThat(audit.path("decision").path("steps").get(2).path("dryRun").asBoolean()).isFalse();
        assertThat(audit.path("decision").path("policyVersion").asText()).isEqualTo(live.path("policyVersion").asText());
        // An alert the rule does not match is enriched only, and leaves no audit record.
        assertThat(decisionFor("MAC-0007", "low").path("rule").asText()).isEqualTo("default");

        // The kill switch turns remediation into dry runs without a restart.
        Files.writeString(KILL_SWITCH, "on");
        JsonNode killed = decisionFor("db-prod-01.corp.example", "critical");
        assertThat(killed.path("steps").get(2).path("dryRun").asBoolean()).isTrue();
        assertThat(killed.path("steps").get(2).path("why").asText()).startsWith("kill switch");
        Files.delete(KILL_SWITCH);

        // Policy 2, same stream: the rule may no longer act.
        String firstVersion = live.path("policyVersion").asText();
        Files.copy(Path.of("src/test/resources/policies/cautious.yaml"), POLICY, StandardCopyOption.REPLACE_EXISTING);
        JsonNode cautious = decisionUnder(v -> !v.equals(firstVersion));
        assertThat(cautious.path("rule").asText()).isEqualTo("reverse-shell");
        assertThat(cautious.path("steps").get(2).path("dryRun").asBoolean()).isTrue();
        assertThat(cautious.path("steps").get(2).path("why").asText()).isEqualTo("rule 'reverse-shell' is not live");
        assertThat(auditFor(cautious.path("alertId").asText()).path("decision").path("steps").get(2).path("dryRun").asBoolean()).isTrue();

        // A broken policy is refused: the one in force stays.
        String secondVersion = cautious.path("policyVersion").asText();
        Files.copy(Path.of("src/test/resources/policies/broken.yaml"), POLICY, StandardCopyOption.REPLACE_EXISTING);
        Instant refusedAfter = Instant.now().plusSeconds(2); // several reload intervals
        JsonNode afterBroken;
        do {
            afterBroken = decisionFor("db-prod-01.corp.example", "critical");
        } while (Instant.now().isBefore(refusedAfter));
        assertThat(afterBroken.path("policyVersion").asText()).isEqualTo(secondVersion);
        assertThat(afterBroken.path("rule").asText()).isEqualTo("reverse-shell");
    }

    private JsonNode decisionUnder(java.util.function.Predicate<String> version) throws Exception {
        Instant deadline = Instant.now().plus(WITHIN);
        JsonNode decision;
        do {
            decision = decisionFor("db-prod-01.corp.example", "critical");
        } while (!version.test(decision.path("policyVersion").asText()) && Instant.now().isBefore(deadline));
        return decision;
    }

    /** Produces one alert and returns its result's decision, with the alert id added. */
    private JsonNode decisionFor(String host, String severity) throws Exception {
        String id = "policy-" + UUID.randomUUID();
        String alert = MAPPER.createObjectNode().put("schemaVersion", 1).put("id", id).put("hostname", host)
                .put("severity", severity).put("time", Instant.now().toString())
                .set("process", MAPPER.createObjectNode().put("name", "kworker").put("pid", 31337)).toString();
        KafkaTopics.produce(KafkaAndSimulator.ALERTS,
                List.of(KafkaTopics.record(KafkaAndSimulator.ALERTS, host, alert.getBytes(StandardCharsets.UTF_8), Map.of())));
        JsonNode result = find(KafkaAndSimulator.RESULTS, id).orElseThrow(() -> new AssertionError("no result for " + id));
        com.fasterxml.jackson.databind.node.ObjectNode decision = (com.fasterxml.jackson.databind.node.ObjectNode) result.path("decision");
        com.fasterxml.jackson.databind.node.ArrayNode read = decision.putArray("sensorsRead");
        result.path("sensors").fieldNames().forEachRemaining(read::add);
        return decision.put("alertId", id);
    }

    private JsonNode auditFor(String alertId) throws Exception {
        return find(KafkaAndSimulator.AUDIT, alertId).orElseThrow(() -> new AssertionError("no audit record for " + alertId));
    }

    private static Optional<JsonNode> find(String topic, String alertId) throws Exception {
        List<ConsumerRecord<byte[], byte[]>> records = KafkaTopics.readUntil(topic, WITHIN,
                read -> read.stream().anyMatch(r -> alertId.equals(KafkaTopics.header(r, "alertId"))));
        for (ConsumerRecord<byte[], byte[]> record : records) {
            if (alertId.equals(KafkaTopics.header(record, "alertId"))) {
                return Optional.of(MAPPER.readTree(record.value()));
            }
        }
        return Optional.empty();
    }
}
