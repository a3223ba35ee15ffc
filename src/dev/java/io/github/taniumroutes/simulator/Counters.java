package io.github.taniumroutes.simulator;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts by key (connects per client id, lookups per name ...): bumped on the event loop, read by tests and the control API. */
final class Counters {

    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

    void increment(String key) {
        counts.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
    }

    int count(String key) {
        AtomicInteger counter = counts.get(key);
        return counter == null ? 0 : counter.get();
    }

    int total() {
        return counts.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    /** The counts by key, sorted, as they are now. */
    Map<String, Integer> snapshot() {
        Map<String, Integer> copy = new TreeMap<>();
        counts.forEach((key, counter) -> copy.put(key, counter.get()));
        return copy;
    }

    void clear() {
        counts.clear();
    }
}
