package io.github.taniumroutes.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultMessage;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class OutcomeMetersTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final OutcomeMeters meters = new OutcomeMeters(registry,
            new MetricTags(Set.of("enrich", "snapshot")::contains, s -> true, s -> true, Set.of()), "results", "dlq");
    private final DefaultCamelContext camel = new DefaultCamelContext();

    @Test
    void resultsAndDeadLettersCountOnlyOnceAcknowledged() {
        List<Message> batch = List.of(
                record(Map.of(KafkaConstants.OVERRIDE_TOPIC, "results", "outcome", "enriched", "alertId", "a-1")),
                record(Map.of(KafkaConstants.OVERRIDE_TOPIC, "audit", "alertId", "a-1")),
                record(Map.of(KafkaConstants.OVERRIDE_TOPIC, "results", "outcome", "endpoint_not_found")),
                record(Map.of(KafkaConstants.OVERRIDE_TOPIC, "dlq", "dlqReason", "malformed_json")),
                record(Map.of(KafkaConstants.OVERRIDE_TOPIC, "dlq", "dlqReason", "free text from somewhere")),
                record(Map.of(KafkaConstants.OVERRIDE_TOPIC, "alerts.held.default")));

        var tally = meters.tally(batch);
        assertThat(count("alert.results", "outcome", "enriched")).isZero();

        meters.published(tally);
        assertThat(count("alert.results", "outcome", "enriched")).isEqualTo(1);
        assertThat(registry.get("alert.results").tag("outcome", "enriched").counter().getId().getTag("step")).isEqualTo("enrich");
        assertThat(count("alert.results", "outcome", "endpoint_not_found")).isEqualTo(1);
        assertThat(count("alert.dead.letters", "reason", "malformed_json")).isEqualTo(1);
        assertThat(count("alert.dead.letters", "reason", "other")).isEqualTo(1);
        assertThat(registry.find("alert.results").counters()).hasSize(2);
    }

    @Test
    void stepResultsCarryTheirStepType() {
        meters.stepResult("expired", "snapshot");
        meters.stepResult("completed", "no-such-step");
        assertThat(registry.get("alert.results").tags("outcome", "expired", "step", "snapshot").counter().count()).isEqualTo(1);
        assertThat(registry.get("alert.results").tags("outcome", "completed", "step", "other").counter().count()).isEqualTo(1);
    }

    private double count(String name, String tag, String value) {
        var counter = registry.find(name).tag(tag, value).counter();
        return counter == null ? 0 : counter.count();
    }

    private Message record(Map<String, Object> headers) {
        Message message = new DefaultMessage(camel);
        headers.forEach(message::setHeader);
        return message;
    }
}
