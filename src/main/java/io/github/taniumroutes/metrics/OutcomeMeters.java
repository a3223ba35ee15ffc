package io.github.taniumroutes.metrics;

import java.util.ArrayList;
import java.util.List;

import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

/**
 * Counts what reached Kafka: results by outcome and step ({@code alert.results}) and dead letters by
 * reason ({@code alert.dead.letters}). Counted once Kafka acknowledged them, so a batch that failed
 * before its send counts nothing; a batch read again after a failed commit counts its outcomes again,
 * as it publishes them again.
 */
@ApplicationScoped
@Named("outcomeMeters")
public class OutcomeMeters {

    /** The step of an enrichment result, which carries no step header. */
    static final String ENRICH = "enrich";

    private final MeterRegistry meters;
    private final MetricTags tags;
    private final String resultsTopic;
    private final String dlqTopic;

    @Inject
    public OutcomeMeters(MeterRegistry meters, MetricTags tags, @ConfigProperty(name = "results.topic") String resultsTopic,
            @ConfigProperty(name = "dlq.topic") String dlqTopic) {
        this.meters = meters;
        this.tags = tags;
        this.resultsTopic = resultsTopic;
        this.dlqTopic = dlqTopic;
    }

    /**
     * The counters a batch's outgoing records will add to once Kafka acknowledged them: its results
     * and dead letters (audit records, investigation requests and held alerts are not outcomes). Read
     * before the send, which takes each record's topic header away.
     */
    public List<Counter> tally(List<Message> records) {
        List<Counter> counters = new ArrayList<>();
        for (Message record : records) {
            String topic = record.getHeader(KafkaConstants.OVERRIDE_TOPIC, String.class);
            if (resultsTopic.equals(topic)) {
                String step = record.getHeader("step", String.class);
                counters.add(result(record.getHeader("outcome", String.class), step == null ? ENRICH : step));
            } else if (dlqTopic.equals(topic)) {
                counters.add(deadLetter(record.getHeader("dlqReason", String.class)));
            }
        }
        return counters;
    }

    /** The batch's outcomes are on Kafka. */
    public void published(List<Counter> tally) {
        tally.forEach(Counter::increment);
    }

    /** One step result, acknowledged by Kafka. */
    public void stepResult(String outcome, String step) {
        result(outcome, step).increment();
    }

    Counter result(String outcome, String step) {
        return Counter.builder("alert.results").description("Results published to the results topic, by outcome and step type")
                .tag("outcome", tags.outcome(outcome)).tag("step", tags.step(step)).register(meters);
    }

    Counter deadLetter(String reason) {
        return Counter.builder("alert.dead.letters").description("Records published to the dead-letter topic, by reason")
                .tag("reason", tags.dlqReason(reason)).register(meters);
    }
}
