package io.github.taniumroutes.tanium;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * One Tanium call per key for every alert that needs it at once, and for those that need it again
 * within {@code keepFor}: the first caller is told to make the call ({@link #joinOrLead} returns
 * null) and reports how it went ({@link #completed} or {@link #failed}); every other caller waits for
 * that answer and shares it, or its failure. A caller that waits longer than {@code maxWait} fails.
 * A batch of alerts leads many keys at once without waiting for anyone ({@link #lead}), answers each
 * from one request, and gives back ({@link #abandon}) a key its request could not answer: those who
 * wait for it then ask again themselves.
 */
final class SharedCalls<V> {

    private final Cache<String, Answer<V>> answered;
    private final ConcurrentMap<String, CompletableFuture<Answer<V>>> inFlight = new ConcurrentHashMap<>();
    private final Duration maxWait;

    /** A value, when it was taken, and whether the caller shares it with the one who asked for it. */
    record Answer<V>(V value, long takenAt, boolean shared) {
        Answer<V> sharedCopy() {
            return new Answer<>(value, takenAt, true);
        }
    }

    SharedCalls(Duration keepFor, long maxSize, Duration maxWait) {
        this.answered = Caffeine.newBuilder().expireAfterWrite(keepFor).maximumSize(maxSize).build();
        this.maxWait = maxWait;
    }

    /** The answer someone else got or is getting for {@code key}, or null: then the caller makes the call. */
    Answer<V> joinOrLead(String key) throws Exception {
        long deadline = System.nanoTime() + maxWait.toNanos();
        while (true) {
            try {
                return joinOrLeadOnce(key, deadline);
            } catch (Abandoned leaderGaveUp) {
                // The leader's request could not answer this key: ask again (and maybe lead).
            }
        }
    }

    /** The answer known for {@code key} (another caller's, within {@code keepFor}), or null; never waits. */
    Answer<V> peek(String key) {
        Answer<V> known = answered.getIfPresent(key);
        return known == null ? null : known.sharedCopy();
    }

    /**
     * True when the caller now leads the call for {@code key} (nobody knows it or is asking for it) and
     * must end it with {@link #completed}, {@link #fail} or {@link #abandon}; false otherwise. Never waits.
     */
    boolean lead(String key) {
        if (answered.getIfPresent(key) != null) {
            return false;
        }
        CompletableFuture<Answer<V>> mine = new CompletableFuture<>();
        if (inFlight.putIfAbsent(key, mine) != null) {
            return false;
        }
        if (answered.getIfPresent(key) != null) {
            inFlight.remove(key, mine);
            mine.complete(answered.getIfPresent(key));
            return false;
        }
        return true;
    }

    private Answer<V> joinOrLeadOnce(String key, long deadline) throws Exception {
        Answer<V> known = answered.getIfPresent(key);
        if (known != null) {
            return known.sharedCopy();
        }
        CompletableFuture<Answer<V>> mine = new CompletableFuture<>();
        CompletableFuture<Answer<V>> leader = inFlight.putIfAbsent(key, mine);
        if (leader == null) {
            // The leader before us may have finished between the two looks.
            Answer<V> justKnown = answered.getIfPresent(key);
            if (justKnown != null) {
                inFlight.remove(key, mine);
                mine.complete(justKnown);
                return justKnown.sharedCopy();
            }
            return null;
        }
        try {
            return leader.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS).sharedCopy();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception failure ? failure : e;
        } catch (TimeoutException e) {
            throw new TaniumException("waited " + maxWait.toSeconds() + " s for the same Tanium call made for another alert");
        }
    }

    /** The leader's answer: kept for the next callers, and handed to those waiting. */
    Answer<V> completed(String key, V value) {
        Answer<V> answer = new Answer<>(value, System.currentTimeMillis(), false);
        answered.put(key, answer);
        CompletableFuture<Answer<V>> waiting = inFlight.remove(key);
        if (waiting != null) {
            waiting.complete(answer);
        }
        return answer;
    }

    /** The leader's call failed: those waiting fail the same way, and the next caller asks again. The failure is thrown on. */
    void failed(String key, Exception failure) throws Exception {
        fail(key, failure);
        throw failure;
    }

    /** As {@link #failed}, without throwing: for a leader that answers many keys from one request. */
    void fail(String key, Exception failure) {
        CompletableFuture<Answer<V>> waiting = inFlight.remove(key);
        if (waiting != null) {
            waiting.completeExceptionally(failure);
        }
    }

    /** The leader has no answer for {@code key} (and no failure): those waiting ask again, one of them leading. */
    void abandon(String key) {
        fail(key, new Abandoned());
    }

    /** Tells a waiting caller that its leader gave the key back. */
    private static final class Abandoned extends Exception {
        Abandoned() {
            super("the call was given back by its leader", null, false, false);
        }
    }
}
