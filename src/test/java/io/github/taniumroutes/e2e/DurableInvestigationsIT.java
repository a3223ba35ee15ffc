package io.github.taniumroutes.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.taniumroutes.simulator.PlatformControl;
import io.github.taniumroutes.simulator.ThreatResponseControl;

/**
 * Investigations survive their instance: the production application runs as separate processes
 * against the embedded broker and the simulator; one is SIGKILLed (or stopped) while its
 * investigations wait for their live connections, and the instance that gets its partitions
 * finishes every one from the journal — one result per alert, and no second connect or snapshot.
 */
class DurableInvestigationsIT {

    private static final List<String> ENDPOINTS = List.of("1003", "1004", "1005", "1010", "1011", "1020");
    private static final int ALERTS_PER_ENDPOINT = 4;
    private static final Duration WITHIN = Duration.ofSeconds(120);
    /** The grace a stopping instance is given in these tests (SHUTDOWN_GRACE_SECONDS). */
    private static final Duration GRACE = Duration.ofSeconds(15);
    private static final Pattern RESUMED = Pattern.compile("assigned investigation partitions \\[[0-9, ]+\\]: (\\d+) investigations resumed");

    private static final KafkaAndSimulator ENVIRONMENT = new KafkaAndSimulator();

    @BeforeAll
    static void start() {
        ENVIRONMENT.start();
    }

    @AfterAll
    static void stop() {
        ENVIRONMENT.stop();
    }

    @Test
    void aKilledInstanceIsReplacedAndItsInvestigationsFinishFromTheJournal() throws Exception {
        Topics topics = Topics.create("crash");
        ThreatResponseControl threatResponse = slowConnections();

        Set<String> alertIds;
        try (AppProcess first = AppProcess.start("crash-first", topics.environment())) {
            first.awaitReady(WITHIN, log -> log.contains("assigned investigation partitions"));
            alertIds = produceAlerts(topics);
            awaitEveryInvestigationWaitingForItsConnection(topics, alertIds.size());
            first.kill();
        }
        assertThat(snapshotResults(topics, Duration.ofSeconds(1))).as("nothing finished before the crash").isEmpty();

        try (AppProcess second = AppProcess.start("crash-second", topics.environment())) {
            second.awaitReady(WITHIN, log -> resumed(log) > 0);
            assertThat(Investigations.snapshotResults(KafkaTopics.readUntil(topics.results, WITHIN,
                    read -> snapshotResultCount(read).keySet().containsAll(alertIds))).keySet()).containsAll(alertIds);
            second.stop();
            assertThat(resumed(second.log())).as("investigations resumed from the journal").isEqualTo(alertIds.size());
        }
        assertExactlyOnce(topics, alertIds, threatResponse);
    }

    @Test
    void whenAnInstanceLeavesTheOtherResumesItsInvestigations() throws Exception {
        Topics topics = Topics.create("rebalance");
        ThreatResponseControl threatResponse = slowConnections();

        try (AppProcess staying = AppProcess.start("rebalance-staying", topics.environment());
                AppProcess leaving = AppProcess.start("rebalance-leaving", topics.environment())) {
            staying.awaitReady(WITHIN, log -> log.contains("assigned investigation partitions"));
            leaving.awaitReady(WITHIN, log -> log.contains("assigned investigation partitions"));
            Set<String> alertIds = produceAlerts(topics);
            awaitEveryInvestigationWaitingForItsConnection(topics, alertIds.size());

            leaving.stop();

            Map<String, Integer> results = snapshotResultCount(KafkaTopics.readUntil(topics.results, WITHIN,
                    read -> snapshotResultCount(read).keySet().containsAll(alertIds)));
            assertThat(results.keySet()).containsAll(alertIds);
            staying.stop();
            assertThat(resumedTotal(staying.log())).as("the staying instance resumed the leaving one's investigations").isPositive();
            assertExactlyOnce(topics, alertIds, threatResponse);
        }
    }

    /**
     * SIGTERM mid-load: a batch of alerts is being enriched (Tanium answers it 3 s late) while every earlier
     * alert's investigation waits for its connection. The instance finishes and commits the batch, leaves its
     * groups (static members named after the pod, with a 45 s session timeout: only leaving explains a prompt
     * takeover) and exits within its grace, with no stack trace; the next pod, under another name, resumes
     * the investigations from the journal at once. Every alert gets exactly one enrichment result and one
     * snapshot result, and every endpoint one connection.
     */
    @Test
    void aStoppedInstanceFinishesItsBatchLeavesItsGroupsAndExitsWithinItsGrace() throws Exception {
        Topics topics = Topics.create("sigterm");
        ThreatResponseControl threatResponse = slowConnections();
        Map<String, String> environment = topics.environment();
        environment.put("KAFKA_SESSION_TIMEOUT_MS", "45000");
        environment.put("INVESTIGATIONS_SESSION_TIMEOUT_MS", "45000");
        environment.put("SHUTDOWN_GRACE_SECONDS", String.valueOf(GRACE.toSeconds()));
        // Waits as long as the grace: the stop must end them, not outwait them.
        environment.put("INVESTIGATIONS_POLL_INITIAL_MS", String.valueOf(GRACE.toMillis()));
        environment.put("INVESTIGATIONS_POLL_MAX_MS", String.valueOf(GRACE.toMillis()));
        environment.put("POD_NAME", "routes-" + topics.name + "-a");
        // The late alerts make live reads of their own (not the earlier alerts' readings), so their batch waits on Tanium.
        environment.put("TANIUM_ENRICH_SHARED_READ_WINDOW", "PT0S");

        Set<String> alertIds = new TreeSet<>();
        Duration stoppedIn;
        int exitCode;
        String shutdownLog;
        try (AppProcess first = AppProcess.start("sigterm-first", environment)) {
            first.awaitReady(WITHIN, log -> log.contains("assigned investigation partitions"));
            alertIds.addAll(produceAlerts(topics));
            awaitEveryInvestigationWaitingForItsConnection(topics, alertIds.size());

            KafkaAndSimulator.simulator().faults().slowMatching("^/plugin/products/gateway/graphql$", 3_000);
            long producedAt = System.currentTimeMillis();
            List<ProducerRecord<byte[], byte[]>> late = new ArrayList<>();
            for (String endpoint : ENDPOINTS) {
                String id = topics.name + "-late-" + endpoint;
                alertIds.add(id);
                late.add(new ProducerRecord<>(topics.alerts, endpoint.getBytes(), Investigations.alertFor(id, endpoint).value()));
            }
            KafkaTopics.produce(topics.alerts, late);
            long deadline = System.nanoTime() + WITHIN.toNanos();
            while (KafkaAndSimulator.simulator().requests("/plugin/products/gateway/graphql").stream()
                    .noneMatch(request -> request.receivedAtMillis() >= producedAt)) {
                assertThat(System.nanoTime()).as("the late alerts' batch asked Tanium within " + WITHIN).isLessThan(deadline);
                Thread.sleep(20);
            }
            int logged = first.log().length();
            long sigterm = System.nanoTime();
            exitCode = first.terminate(GRACE.plus(Duration.ofSeconds(30)));
            stoppedIn = Duration.ofNanos(System.nanoTime() - sigterm);
            shutdownLog = first.log().substring(logged);
        }
        KafkaAndSimulator.simulator().faults().clear();
        System.out.printf("SIGTERM mid-batch: exited with %d after %d ms (grace %s)%n", exitCode, stoppedIn.toMillis(), GRACE);
        assertThat(exitCode).as("exit code after SIGTERM (the JVM's for a signal, 128 + 15)").isEqualTo(143);
        assertThat(stoppedIn).as("exited within its grace").isLessThan(GRACE);
        assertThat(shutdownLog).as("the shutdown's log").doesNotContain("\tat ", "Exception", " ERROR ")
                .contains("are left to the journal");
        Map<String, Integer> enriched = enrichmentResultCount(KafkaTopics.readUntil(topics.results, Duration.ofSeconds(2), read -> false), alertIds);
        // The batch waiting on Tanium at SIGTERM was finished and published (alerts of batches not yet read are the next pod's).
        assertThat(enriched.keySet()).as("the batch in flight was finished and published before the exit").anyMatch(id -> id.contains("-late-"));

        environment.put("POD_NAME", "routes-" + topics.name + "-b");
        environment.putAll(Map.of("INVESTIGATIONS_POLL_INITIAL_MS", "100", "INVESTIGATIONS_POLL_MAX_MS", "1000"));
        try (AppProcess next = AppProcess.start("sigterm-next", environment)) {
            long started = System.nanoTime();
            next.awaitReady(WITHIN, log -> resumed(log) > 0);
            Duration takeover = Duration.ofNanos(System.nanoTime() - started);
            System.out.printf("the next pod resumed the investigations %d ms after it started%n", takeover.toMillis());
            assertThat(takeover).as("the stopped pod had left its groups: its partitions were not held for the 45 s session timeout")
                    .isLessThan(Duration.ofSeconds(40));
            KafkaTopics.readUntil(topics.results, WITHIN, read -> snapshotResultCount(read).keySet().containsAll(alertIds));
            next.terminate(WITHIN);
        }
        List<ConsumerRecord<byte[], byte[]>> all = KafkaTopics.readUntil(topics.results, Duration.ofSeconds(3), read -> false);
        assertThat(enrichmentResultCount(all, alertIds)).as("one enrichment result per alert: nothing read again, nothing lost")
                .containsOnlyKeys(alertIds).allSatisfy((alert, count) -> assertThat(count).as(alert).isEqualTo(1));
        assertThat(snapshotResultCount(all)).as("one snapshot result per alert").containsOnlyKeys(alertIds)
                .allSatisfy((alert, count) -> assertThat(count).as(alert).isEqualTo(1));
        assertThat(Investigations.all(all, "snapshot")).extracting(r -> r.path("outcome").asText()).containsOnly("completed");
        for (String endpoint : ENDPOINTS) {
            String clientId = KafkaAndSimulator.simulator().computerIdOf(endpoint);
            assertThat(threatResponse.connectCount(clientId)).as("the connection handed over, not opened again: " + endpoint).isEqualTo(1);
            assertThat(threatResponse.closeCount(clientId)).as("closed once by the next pod: " + endpoint).isEqualTo(1);
        }
        assertThat(threatResponse.openConnections()).isZero();
    }

    /**
     * SIGKILL, and the pod restarted under its own name (a container restart keeps the pod's name): its
     * consumers come back as the same static members and take their partitions back at once, where a
     * dynamic member would wait for the dead one's 45 s session to time out. An alert published while it
     * was down is answered within seconds of the restart.
     */
    @Test
    void aKilledPodRestartedUnderItsNameConsumesAgainWithinSeconds() throws Exception {
        Topics topics = Topics.create("takeover");
        KafkaAndSimulator.simulator().faults().clear();
        KafkaAndSimulator.simulator().threatResponse().reset().connectDelay(Duration.ofMillis(200)).snapshotDuration(Duration.ofMillis(200));
        Map<String, String> environment = topics.environment();
        environment.put("KAFKA_SESSION_TIMEOUT_MS", "45000");
        environment.put("INVESTIGATIONS_SESSION_TIMEOUT_MS", "45000");
        environment.put("POD_NAME", "routes-" + topics.name);

        try (AppProcess first = AppProcess.start("takeover-first", environment)) {
            first.awaitReady(WITHIN, log -> log.contains("assigned investigation partitions"));
            first.kill();
        }
        String alertId = topics.name + "-while-down";
        KafkaTopics.produce(topics.alerts, List.of(new ProducerRecord<>(topics.alerts, "1003".getBytes(),
                Investigations.alertFor(alertId, "1003").value())));

        try (AppProcess restarted = AppProcess.start("takeover-restarted", environment)) {
            long started = System.nanoTime();
            restarted.awaitReady(WITHIN, log -> log.contains("assigned investigation partitions"));
            Duration ready = Duration.ofNanos(System.nanoTime() - started);
            KafkaTopics.readUntil(topics.results, WITHIN, read -> enrichmentResultCount(read, Set.of(alertId)).containsKey(alertId));
            Duration answered = Duration.ofNanos(System.nanoTime() - started);
            System.out.printf("restarted after SIGKILL: ready with its partitions after %d ms, the waiting alert answered after %d ms%n",
                    ready.toMillis(), answered.toMillis());
            assertThat(answered).as("consuming again long before the dead members' 45 s session timeout").isLessThan(Duration.ofSeconds(30));
            assertThat(restarted.log()).doesNotContain("FencedInstanceId");
            restarted.terminate(WITHIN);
        }
    }

    /** Connections take 8 s: long enough to stop an instance while every investigation waits for one. */
    @Test
    void killedBetweenTheStepsOfAPlanTheNextInstanceRunsTheSecondStepAndDoesNotRepeatTheFirst() throws Exception {
        Topics topics = Topics.create("plan");
        KafkaAndSimulator.simulator().faults().clear();
        ThreatResponseControl threatResponse = KafkaAndSimulator.simulator().threatResponse().reset()
                .connectDelay(Duration.ofMillis(300)).snapshotDuration(Duration.ofMillis(300));
        Map<String, String> environment = topics.environment();
        // snapshot, then the test-only flow probe, which holds long enough for the instance to be killed in it
        environment.put("POLICY_FILE", "src/test/resources/policies/snapshot-then-probe.yaml");
        List<String> probeFlow = List.of("-Dcamel.main.routes-include-pattern=file:routes/*.yaml,file:src/test/resources/flows/*.yaml",
                "-Dinvestigations.flows.probe.first-phase=start", "-Dinvestigations.flows.probe.clean-up=clean-up", "-Dprobe.hold=PT10S");
        List<String> endpoints = ENDPOINTS.subList(0, 3);
        Set<String> alertIds = new TreeSet<>();
        List<ProducerRecord<byte[], byte[]>> alerts = new ArrayList<>();
        for (String endpoint : endpoints) {
            String id = "plan-" + endpoint + "-" + UUID.randomUUID();
            alertIds.add(id);
            alerts.add(KafkaTopics.record(topics.alerts, endpoint, Investigations.alertFor(id, endpoint).value(), Map.of()));
        }

        try (AppProcess first = AppProcess.start("plan-first", environment, probeFlow)) {
            first.awaitReady(WITHIN, log -> log.contains("assigned investigation partitions"));
            KafkaTopics.produce(topics.alerts, alerts);
            List<ConsumerRecord<byte[], byte[]>> state = KafkaTopics.readUntil(topics.state, WITHIN,
                    records -> latestSteps(records).values().stream().filter("hold"::equals).count() == alertIds.size());
            assertThat(latestSteps(state).values()).as("every investigation is in its second step").containsOnly("hold");
            first.kill();
        }
        List<ConsumerRecord<byte[], byte[]>> beforeRestart = KafkaTopics.readUntil(topics.results, Duration.ofSeconds(1), read -> false);
        assertThat(snapshotResultCount(beforeRestart).keySet()).as("the first steps ended before the crash").isEqualTo(alertIds);
        assertThat(Investigations.all(beforeRestart, "probe")).as("the second had not").isEmpty();

        try (AppProcess second = AppProcess.start("plan-second", environment, probeFlow)) {
            second.awaitReady(WITHIN, log -> resumed(log) > 0);
            KafkaTopics.readUntil(topics.results, WITHIN, read -> Investigations.all(read, "probe").size() >= alertIds.size());
            second.stop();
            assertThat(resumed(second.log())).as("investigations resumed from the journal").isEqualTo(alertIds.size());
        }
        List<ConsumerRecord<byte[], byte[]>> all = KafkaTopics.readUntil(topics.results, Duration.ofSeconds(3), read -> false);
        assertThat(snapshotResultCount(all)).as("one snapshot result per alert").containsOnlyKeys(alertIds)
                .allSatisfy((alert, count) -> assertThat(count).as(alert).isEqualTo(1));
        Map<String, Integer> probes = new LinkedHashMap<>();
        Investigations.all(all, "probe").forEach(r -> probes.merge(r.path("alertId").asText(), 1, Integer::sum));
        assertThat(probes).as("one probe result per alert").containsOnlyKeys(alertIds)
                .allSatisfy((alert, count) -> assertThat(count).as(alert).isEqualTo(1));
        assertThat(Investigations.all(all, "probe")).extracting(r -> r.path("outcome").asText()).containsOnly("completed");
        assertThat(Investigations.all(all, "probe")).extracting(r -> r.path("stepNumber").asInt()).containsOnly(2);
        for (String endpoint : endpoints) {
            String clientId = KafkaAndSimulator.simulator().computerIdOf(endpoint);
            assertThat(threatResponse.connectCount(clientId)).as("no second connect to " + endpoint).isEqualTo(1);
            assertThat(threatResponse.snapshotCount(clientId)).as("no second snapshot of " + endpoint).isEqualTo(1);
        }
        assertThat(threatResponse.openConnections()).isZero();
    }

    /**
     * Killed after Tanium issued each action and before the instance saw the answer (the simulator answers
     * POST /api/v2/actions a minute late): the journal holds "about to issue" and no action id. The next
     * instance finds each action by its name, follows it to the end, and issues no second one.
     */
    @Test
    void killedRightAfterTheActionPostTheNextInstanceFollowsTheSameActionAndIssuesNoOther() throws Exception {
        Topics topics = Topics.create("action");
        KafkaAndSimulator.simulator().faults().clear().slowMatching("^/api/v2/actions$", 60_000);
        PlatformControl platform = KafkaAndSimulator.simulator().platform().reset().actionDuration(Duration.ofMillis(300));
        Map<String, String> environment = topics.environment();
        environment.put("POLICY_FILE", "src/test/resources/policies/responses.yaml");
        environment.put("POLICY_MODE", "live");
        environment.put("TANIUM_ACTION_GROUP", "All Computers");
        List<String> endpoints = ENDPOINTS.subList(0, 3);
        Set<String> alertIds = new TreeSet<>();
        List<ProducerRecord<byte[], byte[]>> alerts = new ArrayList<>();
        for (String endpoint : endpoints) {
            String id = "action-" + endpoint + "-" + UUID.randomUUID();
            alertIds.add(id);
            var alert = Investigations.MAPPER.createObjectNode().put("schemaVersion", 1).put("id", id).put("taniumEndpointId", endpoint)
                    .put("rule", "act").put("severity", "high");
            alert.putObject("process").put("name", "evil.exe").put("pid", 4242);
            alerts.add(KafkaTopics.record(topics.alerts, endpoint, alert.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8), Map.of()));
        }

        try (AppProcess first = AppProcess.start("action-first", environment)) {
            first.awaitReady(WITHIN, log -> log.contains("assigned investigation partitions"));
            KafkaTopics.produce(topics.alerts, alerts);
            awaitActionsIssued(platform, alertIds);
            List<ConsumerRecord<byte[], byte[]>> state = KafkaTopics.readUntil(topics.state, WITHIN,
                    records -> latestStepStates(records).values().stream().filter(s -> s.has("issueRequestedAt")).count() == alertIds.size());
            assertThat(latestStepStates(state).values()).as("journaled: about to issue, and no action id yet").hasSize(alertIds.size())
                    .allSatisfy(s -> assertThat(s.has("actionId")).isFalse());
            first.kill();
        }
        KafkaAndSimulator.simulator().faults().slowMatching("^/api/v2/actions$", 0);

        try (AppProcess second = AppProcess.start("action-second", environment)) {
            second.awaitReady(WITHIN, log -> resumed(log) > 0);
            KafkaTopics.readUntil(topics.results, WITHIN, read -> Investigations.all(read, "action").size() >= alertIds.size());
            second.stop();
        }
        List<ConsumerRecord<byte[], byte[]>> all = KafkaTopics.readUntil(topics.results, Duration.ofSeconds(3), read -> false);
        List<JsonNode> results = Investigations.all(all, "action");
        assertThat(results).extracting(r -> r.path("alertId").asText()).as("one action result per alert")
                .containsExactlyInAnyOrderElementsOf(alertIds);
        assertThat(results).allSatisfy(r -> {
            assertThat(r.path("outcome").asText()).as(r.toString()).isEqualTo("completed");
            assertThat(r.path("foundByName").asBoolean()).as("found by its name, not issued again").isTrue();
        });
        for (String alertId : alertIds) {
            assertThat(platform.actions().stream().filter(a -> a.name().contains(alertId))).as("actions for " + alertId).hasSize(1);
        }
        List<JsonNode> audits = KafkaTopics.readUntil("audit-" + topics.name, Duration.ofSeconds(1), read -> false).stream()
                .map(r -> Investigations.json(r.value())).filter(a -> a.has("actionId")).toList();
        assertThat(audits).extracting(a -> a.path("alertId").asText()).as("each live action audited, with its id")
                .containsExactlyInAnyOrderElementsOf(alertIds);
    }

    /**
     * Killed after Tanium carried out each Direct Connect kill and before the instance saw the answer (the
     * simulator answers the kill mutation a minute late): the journal holds "about to kill" and no result. The
     * next instance adopts each endpoint's session from the journal (no second open), does not kill again,
     * finds the process gone, audits the kill and closes the session.
     */
    @Test
    void killedRightAfterTheDirectConnectKillTheNextInstanceAdoptsTheSessionAndKillsNothingMore() throws Exception {
        Topics topics = Topics.create("dckill");
        KafkaAndSimulator.simulator().faults().clear().slowMatching("^/plugin/products/gateway/graphql$", "directConnectProcessTerminate", 60_000);
        io.github.taniumroutes.simulator.DirectConnectControl directConnect = KafkaAndSimulator.simulator().directConnect().reset();
        Map<String, String> environment = topics.environment();
        environment.put("POLICY_FILE", "src/test/resources/policies/direct-connect-kill.yaml");
        environment.put("POLICY_MODE", "live");
        environment.put("DIRECT_CONNECT_VERIFY_AFTER", "PT0.2S");
        // endpoint → the process its alert names (seed data of config/simulator/inventory.json)
        Map<String, Map.Entry<String, Long>> processes = Map.of("1003", Map.entry("evil.exe", 4242L), "1005", Map.entry("evil", 4242L),
                "1020", Map.entry("evil \"7\".exe", 6666L));
        Map<String, String> alertEndpoints = new LinkedHashMap<>();
        List<ProducerRecord<byte[], byte[]>> alerts = new ArrayList<>();
        processes.forEach((endpoint, process) -> {
            String id = "dckill-" + endpoint + "-" + UUID.randomUUID();
            alertEndpoints.put(id, endpoint);
            var alert = Investigations.MAPPER.createObjectNode().put("schemaVersion", 1).put("id", id).put("taniumEndpointId", endpoint)
                    .put("rule", "dc-kill").put("severity", "high");
            alert.putObject("process").put("name", process.getKey()).put("pid", process.getValue());
            alerts.add(KafkaTopics.record(topics.alerts, endpoint, alert.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8), Map.of()));
        });
        Set<String> alertIds = alertEndpoints.keySet();

        try (AppProcess first = AppProcess.start("dckill-first", environment)) {
            first.awaitReady(WITHIN, log -> log.contains("assigned investigation partitions"));
            KafkaTopics.produce(topics.alerts, alerts);
            long deadline = System.nanoTime() + WITHIN.toNanos();
            while (!processes.keySet().stream().allMatch(endpoint -> directConnect.killCount(endpoint) == 1)) {
                assertThat(System.nanoTime()).as("every endpoint's kill carried out within " + WITHIN).isLessThan(deadline);
                Thread.sleep(50);
            }
            List<ConsumerRecord<byte[], byte[]>> state = KafkaTopics.readUntil(topics.state, WITHIN,
                    records -> latestStepStates(records).values().stream().filter(s -> s.has("killRequestedAt")).count() == alertIds.size());
            assertThat(latestStepStates(state).values()).as("journaled: about to kill, and no result yet").hasSize(alertIds.size())
                    .allSatisfy(s -> assertThat(s.has("killResult")).isFalse());
            first.kill();
        }
        KafkaAndSimulator.simulator().faults().clear();
        processes.forEach((endpoint, process) -> assertThat(directConnect.runs(endpoint, process.getValue())).as("killed on " + endpoint).isFalse());

        try (AppProcess second = AppProcess.start("dckill-second", environment)) {
            second.awaitReady(WITHIN, log -> resumed(log) > 0);
            KafkaTopics.readUntil(topics.results, WITHIN, read -> Investigations.all(read, "direct-connect").size() >= alertIds.size());
            // Everything asserted below is on Kafka or in the simulator before a step's result goes out (clean-up, audit):
            // no need to wait for a graceful stop.
            second.kill();
        }
        List<JsonNode> results = Investigations.all(KafkaTopics.readUntil(topics.results, Duration.ofSeconds(3), read -> false), "direct-connect");
        assertThat(results).extracting(r -> r.path("alertId").asText()).as("one result per alert").containsExactlyInAnyOrderElementsOf(alertIds);
        assertThat(results).allSatisfy(r -> {
            assertThat(r.path("outcome").asText()).as(r.toString()).isEqualTo("killed");
            assertThat(r.path("killAnswerSeen").asBoolean(true)).as("resumed without Tanium's answer").isFalse();
            assertThat(r.path("processGone").asBoolean()).isTrue();
            assertThat(Schemas.violations("direct-connect-result.schema.json", r)).isEmpty();
        });
        for (String endpoint : processes.keySet()) {
            assertThat(directConnect.killCount(endpoint)).as("no second kill on " + endpoint).isEqualTo(1);
            assertThat(directConnect.openCount(endpoint)).as("the session adopted from the journal, not opened again: " + endpoint).isEqualTo(1);
            assertThat(directConnect.closeCount(endpoint)).as("and closed: " + endpoint).isEqualTo(1);
        }
        assertThat(directConnect.openSessions()).isZero();
        List<JsonNode> audits = KafkaTopics.readUntil("audit-" + topics.name, Duration.ofSeconds(1), read -> false).stream()
                .map(r -> Investigations.json(r.value())).filter(a -> "direct-connect".equals(a.path("step").asText())).toList();
        assertThat(audits).extracting(a -> a.path("alertId").asText()).as("each kill audited once, by the instance that resumed it")
                .containsExactlyInAnyOrderElementsOf(alertIds);
        assertThat(audits).allSatisfy(a -> {
            assertThat(a.path("dryRun").asBoolean()).isFalse();
            assertThat(a.path("killRequestedAt").asText()).isNotEmpty();
            assertThat(a.path("connectionId").asText()).isNotEmpty();
        });
    }

    @Test
    void anInvestigationJournaledByRelease01ResumesAfterTheUpgradeWithTheConnectionItHad() throws Exception {
        Topics topics = Topics.create("upgrade");
        KafkaAndSimulator.simulator().faults().clear();
        ThreatResponseControl threatResponse = KafkaAndSimulator.simulator().threatResponse().reset().snapshotDuration(Duration.ofMillis(300));
        String endpoint = ENDPOINTS.get(0);
        String clientId = KafkaAndSimulator.simulator().computerIdOf(endpoint);
        // Release 0.1 had connected (the connection is still open on Tanium) and was waiting when it was replaced.
        String connectionId = threatResponse.addForeignConnection(clientId, "upgrade-host", threatResponse.userId());
        String alertId = "upgrade-" + UUID.randomUUID();
        String investigationId = "inv-" + alertId;
        com.fasterxml.jackson.databind.node.ObjectNode request = (com.fasterxml.jackson.databind.node.ObjectNode) Investigations.MAPPER
                .readTree(getClass().getResourceAsStream("/journal/v1-request.json"));
        request.put("investigationId", investigationId).put("alertId", alertId);
        request.putObject("target").put("clientId", clientId).put("hostname", "upgrade-host").put("endpointId", endpoint);
        com.fasterxml.jackson.databind.node.ObjectNode state = (com.fasterxml.jackson.databind.node.ObjectNode) Investigations.MAPPER
                .readTree(getClass().getResourceAsStream("/journal/v1-await-connection.json"));
        state.set("request", request);
        state.put("partition", 0).put("connectionId", connectionId).put("stepDeadline", System.currentTimeMillis() + 600_000);
        KafkaTopics.produce(topics.state, List.of(new ProducerRecord<>(topics.state, 0, investigationId.getBytes(),
                Investigations.MAPPER.writeValueAsBytes(state))));
        KafkaTopics.produce(topics.investigations, List.of(new ProducerRecord<>(topics.investigations, 0, endpoint.getBytes(),
                Investigations.MAPPER.writeValueAsBytes(request))));

        try (AppProcess upgraded = AppProcess.start("upgrade", topics.environment())) {
            upgraded.awaitReady(WITHIN, log -> resumed(log) > 0);
            List<ConsumerRecord<byte[], byte[]>> results = KafkaTopics.readUntil(topics.results, WITHIN,
                    read -> snapshotResultCount(read).containsKey(alertId));
            upgraded.stop();
            JsonNode result = Investigations.snapshotResults(results).get(alertId);
            assertThat(result.path("outcome").asText()).isEqualTo("completed");
            assertThat(result.path("connectionId").asText()).isEqualTo(connectionId);
            assertThat(Schemas.violations("snapshot-result.schema.json", result)).isEmpty();
        }
        assertThat(threatResponse.connectCount(clientId)).as("the connection it had is used, not a new one").isZero();
        assertThat(threatResponse.snapshotCount(clientId)).isEqualTo(1);
        assertThat(threatResponse.closeCount(clientId)).as("and given back").isEqualTo(1);
    }

    private static ThreatResponseControl slowConnections() {
        KafkaAndSimulator.simulator().faults().clear();
        return KafkaAndSimulator.simulator().threatResponse().reset()
                .connectDelay(Duration.ofSeconds(8)).snapshotDuration(Duration.ofMillis(500));
    }

    private static Set<String> produceAlerts(Topics topics) throws Exception {
        Set<String> ids = new TreeSet<>();
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < ALERTS_PER_ENDPOINT; i++) {
            for (String endpoint : ENDPOINTS) {
                String id = topics.name + "-" + endpoint + "-" + i;
                ids.add(id);
                ProducerRecord<byte[], byte[]> alert = Investigations.alertFor(id, endpoint);
                records.add(new ProducerRecord<>(topics.alerts, alert.key(), alert.value()));
            }
        }
        KafkaTopics.produce(topics.alerts, records);
        return ids;
    }

    /** Every investigation's latest journal record says it waits for its connection. */
    private static void awaitEveryInvestigationWaitingForItsConnection(Topics topics, int count) {
        List<ConsumerRecord<byte[], byte[]>> read = KafkaTopics.readUntil(topics.state, WITHIN,
                records -> latestSteps(records).values().stream().filter("await-connection"::equals).count() == count);
        assertThat(latestSteps(read).values()).as("journaled steps").hasSize(count).containsOnly("await-connection");
    }

    private static void awaitActionsIssued(PlatformControl platform, Set<String> alertIds) throws InterruptedException {
        long deadline = System.nanoTime() + WITHIN.toNanos();
        while (!alertIds.stream().allMatch(id -> platform.actions().stream().anyMatch(a -> a.name().contains(id)))) {
            assertThat(System.nanoTime()).as("every alert's action issued within " + WITHIN).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    /** The state of each investigation's current step, as last journaled. */
    private static Map<String, JsonNode> latestStepStates(List<ConsumerRecord<byte[], byte[]>> records) {
        Map<String, JsonNode> states = new HashMap<>();
        records.stream().filter(r -> r.value() != null).forEach(r -> {
            JsonNode journaled = Investigations.json(r.value());
            states.put(new String(r.key()), journaled.path("steps").path(journaled.path("stepIndex").asInt()).path("state"));
        });
        return states;
    }

    private static Map<String, String> latestSteps(List<ConsumerRecord<byte[], byte[]>> records) {
        Map<String, String> steps = new HashMap<>();
        records.stream().filter(r -> r.value() != null)
                .forEach(r -> steps.put(new String(r.key()), Investigations.json(r.value()).path("phase").asText()));
        return steps;
    }

    private static Map<String, JsonNode> snapshotResults(Topics topics, Duration within) {
        return Investigations.snapshotResults(KafkaTopics.readUntil(topics.results, within, read -> false));
    }

    private static Map<String, Integer> snapshotResultCount(List<ConsumerRecord<byte[], byte[]>> records) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        Investigations.all(records, "snapshot").forEach(r -> counts.merge(r.path("alertId").asText(), 1, Integer::sum));
        return counts;
    }

    private static void assertExactlyOnce(Topics topics, Set<String> alertIds, ThreatResponseControl threatResponse) {
        List<ConsumerRecord<byte[], byte[]>> all = KafkaTopics.readUntil(topics.results, Duration.ofSeconds(3), read -> false);
        assertThat(snapshotResultCount(all)).as("snapshot results per alert").hasSize(alertIds.size())
                .allSatisfy((alert, count) -> assertThat(count).as(alert).isEqualTo(1));
        assertThat(Investigations.all(all, "snapshot")).extracting(r -> r.path("outcome").asText()).containsOnly("completed");
        for (String endpoint : ENDPOINTS) {
            // Threat Response counts by clientId, the endpoint's computer id (not its Gateway id).
            String clientId = KafkaAndSimulator.simulator().computerIdOf(endpoint);
            assertThat(threatResponse.connectCount(clientId)).as("connects to " + endpoint).isEqualTo(1);
            assertThat(threatResponse.snapshotCount(clientId)).as("snapshots of " + endpoint).isEqualTo(ALERTS_PER_ENDPOINT);
            assertThat(threatResponse.closeCount(clientId)).as("closes of " + endpoint).isEqualTo(1);
        }
        assertThat(threatResponse.openConnections()).isZero();
    }

    /** How many enrichment results (results without a step) each of the alerts has among the records. */
    private static Map<String, Integer> enrichmentResultCount(List<ConsumerRecord<byte[], byte[]>> records, Set<String> alertIds) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            String alertId = KafkaTopics.header(record, "alertId");
            if (alertIds.contains(alertId) && KafkaTopics.header(record, "step") == null) {
                counts.merge(alertId, 1, Integer::sum);
            }
        }
        return counts;
    }

    private static int resumed(String log) {
        Matcher matcher = RESUMED.matcher(log);
        int last = 0;
        while (matcher.find()) {
            last = Integer.parseInt(matcher.group(1));
        }
        return last;
    }

    private static int resumedTotal(String log) {
        Matcher matcher = RESUMED.matcher(log);
        int total = 0;
        while (matcher.find()) {
            total += Integer.parseInt(matcher.group(1));
        }
        return total;
    }

    /** Topics and consumer groups of one test, so the tests cannot see each other's records. */
    private record Topics(String name, String alerts, String results, String investigations, String state) {

        static Topics create(String name) throws Exception {
            String suffix = name + "-" + UUID.randomUUID().toString().substring(0, 8);
            Topics topics = new Topics(suffix, "alerts-" + suffix, "results-" + suffix, "investigations-" + suffix, "state-" + suffix);
            KafkaAndSimulator.kafka().createTopics(3, List.of(topics.alerts, topics.results, topics.investigations, "dlq-" + suffix,
                    "audit-" + suffix, topics.alerts + ".held.default"));
            KafkaAndSimulator.kafka().createCompactedTopic(3, topics.state);
            return topics;
        }

        Map<String, String> environment() {
            Map<String, String> env = new LinkedHashMap<>();
            env.put("KAFKA_BOOTSTRAP_SERVERS", KafkaAndSimulator.kafka().bootstrapServers());
            env.put("TANIUM_URL", KafkaAndSimulator.simulator().url());
            env.put("TANIUM_TOKEN", KafkaAndSimulator.TOKEN);
            env.put("POLICY_FILE", "src/test/resources/policies/snapshot-all.yaml");
            env.put("ALERTS_TOPIC", alerts);
            env.put("RESULTS_TOPIC", results);
            env.put("DLQ_TOPIC", "dlq-" + name);
            env.put("AUDIT_TOPIC", "audit-" + name);
            env.put("INVESTIGATIONS_TOPIC", investigations);
            env.put("INVESTIGATIONS_STATE_TOPIC", state);
            env.put("ALERTS_CONSUMER_GROUP", "alerts-" + name);
            env.put("INVESTIGATIONS_CONSUMER_GROUP", "investigations-" + name);
            // The broker's minimum: a killed instance's partitions move after 6 s.
            env.put("INVESTIGATIONS_SESSION_TIMEOUT_MS", "6000");
            // The other groups too (alerts, held alerts): a killed instance's member leaves them soon, and the next
            // instance, which joins while it is still a member, is not kept waiting for it (nor, on stopping, for a
            // join the broker holds until it leaves).
            env.put("KAFKA_SESSION_TIMEOUT_MS", "6000");
            env.put("INVESTIGATIONS_POLL_INITIAL_MS", "100");
            env.put("INVESTIGATIONS_POLL_MAX_MS", "1000");
            env.put("THREAT_RESPONSE_CONNECTIONS_REFRESH_MS", "100");
            env.put("TANIUM_RETRY_INITIAL_DELAY_MS", "50");
            return env;
        }
    }
}
