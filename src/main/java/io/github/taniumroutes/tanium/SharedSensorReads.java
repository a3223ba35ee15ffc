package io.github.taniumroutes.tanium;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.Exchange;
import org.apache.camel.Variable;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/**
 * One live sensor read for every alert about the same endpoint that asks the same question at once,
 * later in the same batch, or within {@code tanium.enrich.shared-read-window} of the last answer: a live read is a question to
 * the endpoint and takes seconds on a real Tanium. The key is the server and the exact GraphQL
 * request (endpoint, sensors, their parameters), so only identical reads are shared. Each alert's
 * result says when its readings were taken and whether they were shared (variables readingsTakenAt,
 * readingsShared).
 */
@Singleton
@Named("sharedSensorReads")
public class SharedSensorReads {

    static final String KEY = "sharedReadKey";
    /** Variable of a batch (and so of each of its alerts): the reads its alerts got, shared by the batch's later alerts however long ago. */
    static final String BATCH_READS = "batchReads";

    private final SharedCalls<Map<String, SensorRows>> reads;

    @Inject
    public SharedSensorReads(@ConfigProperty(name = "tanium.enrich.shared-read-window") Duration window,
            @ConfigProperty(name = "tanium.enrich.shared-read-max-size") long maxSize,
            @ConfigProperty(name = "tanium.enrich.shared-call-max-wait") Duration maxWait) {
        this.reads = new SharedCalls<>(window, maxSize, maxWait);
    }

    /**
     * For the read request in the body: sets sensorReadings (and readingsTakenAt, readingsShared)
     * from another alert's read, waiting for it if it is under way; else leaves sensorReadings unset,
     * and this alert makes the read and ends it with {@link #completed} or {@link #failed}.
     */
    public void join(Exchange exchange) throws Exception {
        String key = exchange.getVariable("taniumServer", String.class) + "|" + exchange.getMessage().getBody(String.class);
        exchange.setVariable(KEY, key);
        Map<String, SharedCalls.Answer<Map<String, SensorRows>>> batch = batchReads(exchange);
        SharedCalls.Answer<Map<String, SensorRows>> answer = batch == null ? null : batch.get(key);
        if (answer != null) {
            answered(exchange, answer.sharedCopy());
            return;
        }
        answer = reads.joinOrLead(key);
        if (answer != null) {
            remember(batch, key, answer);
            answered(exchange, answer);
        }
    }

    /** This alert's read answered: the alerts waiting for it, and the later alerts of its batch, share it. */
    public void completed(Exchange exchange) {
        @SuppressWarnings("unchecked")
        Map<String, SensorRows> readings = exchange.getVariable("sensorReadings", Map.class);
        String key = exchange.getVariable(KEY, String.class);
        SharedCalls.Answer<Map<String, SensorRows>> answer = reads.completed(key, readings);
        remember(batchReads(exchange), key, answer);
        answered(exchange, answer);
    }

    /** A new batch's memory of the reads its alerts got (the intake route keeps it in variable batchReads). */
    public Map<String, SharedCalls.Answer<Map<String, SensorRows>>> newBatch() {
        return new ConcurrentHashMap<>();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, SharedCalls.Answer<Map<String, SensorRows>>> batchReads(Exchange exchange) {
        return exchange.getVariable(BATCH_READS, Map.class);
    }

    private static void remember(Map<String, SharedCalls.Answer<Map<String, SensorRows>>> batch, String key,
            SharedCalls.Answer<Map<String, SensorRows>> answer) {
        if (batch != null) {
            batch.putIfAbsent(key, answer);
        }
    }

    /** This alert's read failed: the alerts waiting for it fail the same way, the next one reads again. The failure is thrown on. */
    public void failed(@Variable(KEY) String key, Exception failure) throws Exception {
        reads.failed(key, failure);
    }

    private static void answered(Exchange exchange, SharedCalls.Answer<Map<String, SensorRows>> answer) {
        exchange.setVariable("sensorReadings", answer.value());
        exchange.setVariable("readingsTakenAt", answer.takenAt());
        exchange.setVariable("readingsShared", answer.shared());
    }
}
