package io.github.taniumroutes.tanium;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import io.github.taniumroutes.alert.CanonicalAlert;
import io.github.taniumroutes.kafka.RecordSource;

/**
 * One batch of alerts, as enrichment sees it (the intake routes keep it in variable enrichBatch):
 * each alert as read once before the split, and what Tanium answered for the batch — every endpoint
 * lookup and live read its alerts got, or the failure of the request that asked for them — so that
 * each alert takes its answer from here instead of asking again, and each lookup or read counts as a
 * Tanium call of the first alert that needed it. Filled by the batch-level step and by the alerts themselves
 * (a read one alert made is shared by the later alerts of the batch); read by the alerts in parallel.
 */
public final class EnrichBatch {

    /**
     * An alert of the batch that is enriched: where its record is, its place in the batch, the alert
     * as parsed, the Tanium server the policy sends it to, and the sensors its rule reads (null: the configured ones).
     */
    public record Alert(RecordSource source, int index, CanonicalAlert alert, String server, List<String> sensorOverride) {
    }

    /**
     * What one lookup or read ended with: its answer, or the failure of the request that asked for
     * it; {@code owner} is the alert it was made for (its readings are not "shared"), null when it
     * was known before (then every alert shares it).
     */
    public record Outcome<V>(SharedCalls.Answer<V> answer, Exception failure, RecordSource owner) {

        static <V> Outcome<V> answered(SharedCalls.Answer<V> answer, RecordSource owner) {
            return new Outcome<>(answer, null, owner);
        }

        static <V> Outcome<V> failed(Exception failure, RecordSource owner) {
            return new Outcome<>(null, failure, owner);
        }

        /** The answer as the alert from {@code source} sees it: shared unless it was made for that alert. */
        SharedCalls.Answer<V> answerFor(RecordSource source) throws Exception {
            if (failure != null) {
                throw failure;
            }
            return owner != null && owner.equals(source) ? answer : answer.sharedCopy();
        }
    }

    private final ConcurrentMap<RecordSource, Alert> alerts = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Outcome<List<TaniumEndpoint>>> lookups = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Outcome<Map<String, SensorRows>>> reads = new ConcurrentHashMap<>();
    private final ConcurrentMap<RecordSource, Integer> calls = new ConcurrentHashMap<>();

    void add(Alert alert) {
        alerts.put(alert.source(), alert);
    }

    /** The alert read from this record before the split, or null (not read: answered before, or it could not be parsed). */
    public Alert alert(RecordSource source) {
        return source == null ? null : alerts.get(source);
    }

    /** The batch's enriched alerts in batch order. */
    public List<Alert> alerts() {
        List<Alert> inOrder = new ArrayList<>(alerts.values());
        inOrder.sort(Comparator.comparingInt(Alert::index));
        return inOrder;
    }

    /** The lookup of this cache key, as the batch got it, or null. */
    public Outcome<List<TaniumEndpoint>> lookup(String key) {
        return lookups.get(key);
    }

    void lookedUp(String key, Outcome<List<TaniumEndpoint>> outcome) {
        lookups.putIfAbsent(key, outcome);
    }

    /** The read of this key (server and request), as the batch got it, or null. */
    public Outcome<Map<String, SensorRows>> read(String key) {
        return reads.get(key);
    }

    void readAs(String key, Outcome<Map<String, SensorRows>> outcome) {
        reads.putIfAbsent(key, outcome);
    }

    /** Counts {@code count} Tanium calls made (in the batch's requests) for the alert from {@code source}. */
    void counted(RecordSource source, int count) {
        if (source != null && count > 0) {
            calls.merge(source, count, Integer::sum);
        }
    }

    /** The lookups and reads the batch's requests made for the alert from {@code source} (0, 1 or 2). */
    public int callsMadeFor(RecordSource source) {
        return source == null ? 0 : calls.getOrDefault(source, 0);
    }
}
