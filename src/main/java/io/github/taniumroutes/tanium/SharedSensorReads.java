package io.github.taniumroutes.tanium;

import java.time.Duration;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Variable;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/**
 * One live sensor read for every alert about the same endpoint that asks the same question at once,
 * or within {@code tanium.enrich.shared-read-window} of the last answer: a live read is a question to
 * the endpoint and takes seconds on a real Tanium. The key is the server and the exact GraphQL
 * request (endpoint, sensors, their parameters), so only identical reads are shared. Each alert's
 * result says when its readings were taken and whether they were shared (variables readingsTakenAt,
 * readingsShared).
 */
@Singleton
@Named("sharedSensorReads")
public class SharedSensorReads {

    static final String KEY = "sharedReadKey";

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
        SharedCalls.Answer<Map<String, SensorRows>> answer = reads.joinOrLead(key);
        if (answer != null) {
            answered(exchange, answer);
        }
    }

    /** This alert's read answered: the alerts waiting for it share it. */
    public void completed(Exchange exchange) {
        @SuppressWarnings("unchecked")
        Map<String, SensorRows> readings = exchange.getVariable("sensorReadings", Map.class);
        answered(exchange, reads.completed(exchange.getVariable(KEY, String.class), readings));
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
