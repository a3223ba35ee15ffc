package io.github.taniumroutes.tanium;

import java.time.Duration;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Variable;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.github.taniumroutes.kafka.RecordSource;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/**
 * One live sensor read for every alert about the same endpoint that asks the same question at once,
 * later in the same batch, or within {@code tanium.enrich.shared-read-window} of the last answer: a live read is a question to
 * the endpoint and takes seconds on a real Tanium. The key is the server and the exact GraphQL
 * request (endpoint, sensors, their parameters), so only identical reads are shared. Each alert's
 * result says when its readings were taken and whether they were shared (variables readingsTakenAt,
 * readingsShared). A batch reads its endpoints together beforehand (batchReads): an alert first
 * takes what its batch got, or the failure of the request that asked for it.
 */
@Singleton
@Named("sharedSensorReads")
public class SharedSensorReads {

    static final String KEY = "sharedReadKey";
    /** Variable of a batch (and so of each of its alerts): what its alerts got from Tanium (EnrichBatch). */
    static final String BATCH = "enrichBatch";

    private final SharedCalls<Map<String, SensorRows>> reads;

    @Inject
    public SharedSensorReads(@ConfigProperty(name = "tanium.enrich.shared-read-window") Duration window,
            @ConfigProperty(name = "tanium.enrich.shared-read-max-size") long maxSize,
            @ConfigProperty(name = "tanium.enrich.shared-call-max-wait") Duration maxWait) {
        this.reads = new SharedCalls<>(window, maxSize, maxWait);
    }

    /** The key of a read: the server and the exact request. */
    static String key(String server, String request) {
        return server + "|" + request;
    }

    /**
     * For the read request in the body: sets sensorReadings (and readingsTakenAt, readingsShared)
     * from the batch's read of it or another alert's, waiting for it if it is under way (the failure of
     * the batch's request for it is thrown); else leaves sensorReadings unset, and this alert makes the
     * read and ends it with {@link #completed} or {@link #failed}.
     */
    public void join(Exchange exchange) throws Exception {
        String key = key(exchange.getVariable("taniumServer", String.class), exchange.getMessage().getBody(String.class));
        exchange.setVariable(KEY, key);
        EnrichBatch batch = exchange.getVariable(BATCH, EnrichBatch.class);
        EnrichBatch.Outcome<Map<String, SensorRows>> batched = batch == null ? null : batch.read(key);
        if (batched != null) {
            answered(exchange, batched.answerFor(exchange.getVariable("source", RecordSource.class)));
            return;
        }
        SharedCalls.Answer<Map<String, SensorRows>> answer = reads.joinOrLead(key);
        if (answer != null) {
            if (batch != null) {
                batch.readAs(key, EnrichBatch.Outcome.answered(answer, null));
            }
            answered(exchange, answer);
        }
    }

    /** This alert's read answered: the alerts waiting for it, and the later alerts of its batch, share it. */
    public void completed(Exchange exchange) {
        @SuppressWarnings("unchecked")
        Map<String, SensorRows> readings = exchange.getVariable("sensorReadings", Map.class);
        String key = exchange.getVariable(KEY, String.class);
        SharedCalls.Answer<Map<String, SensorRows>> answer = reads.completed(key, readings);
        EnrichBatch batch = exchange.getVariable(BATCH, EnrichBatch.class);
        if (batch != null) {
            batch.readAs(key, EnrichBatch.Outcome.answered(answer, exchange.getVariable("source", RecordSource.class)));
        }
        answered(exchange, answer);
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

    // ---- for a batch that reads many endpoints in one request (batchReads) -----------------------

    /** The readings known for this key (taken within the window), or null; never waits. */
    SharedCalls.Answer<Map<String, SensorRows>> peek(String key) {
        return reads.peek(key);
    }

    /** True when the caller now makes this read (nobody knows it or is making it). */
    boolean lead(String key) {
        return reads.lead(key);
    }

    SharedCalls.Answer<Map<String, SensorRows>> completed(String key, Map<String, SensorRows> readings) {
        return reads.completed(key, readings);
    }

    void fail(String key, Exception failure) {
        reads.fail(key, failure);
    }

    /** Gives a read back unmade: whoever needs it makes it alone. */
    void abandon(String key) {
        reads.abandon(key);
    }
}
