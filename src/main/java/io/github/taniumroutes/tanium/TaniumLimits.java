package io.github.taniumroutes.tanium;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.apache.camel.Variable;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/**
 * Per Tanium server and per instance: at most {@code max-in-flight} calls at once and at most
 * {@code max-requests-per-second} started per second, shared by enrichment and every investigation
 * flow (route tanium-request). A call waits for its turn up to {@code tanium.limits.max-wait}, then
 * fails as a Tanium error that says which limit held it. The fleet's load on a server is these
 * settings times the replicas.
 */
@Singleton
@Named("taniumLimits")
public class TaniumLimits {

    private final TaniumSettings settings;
    private final Duration maxWait;
    private final Map<String, Semaphore> inFlight = new ConcurrentHashMap<>();
    private final Map<String, Pace> paces = new ConcurrentHashMap<>();

    @Inject
    public TaniumLimits(TaniumSettings settings, @ConfigProperty(name = "tanium.limits.max-wait") Duration maxWait) {
        this.settings = settings;
        this.maxWait = maxWait;
    }

    /** Takes a place among the server's calls in flight, at the server's pace; throws when none comes within max-wait. */
    public void acquire(@Variable("taniumServer") String server) throws InterruptedException {
        long deadline = System.nanoTime() + maxWait.toNanos();
        Semaphore places = inFlight.computeIfAbsent(server, s -> new Semaphore(Math.max(1, server(s).maxInFlight()), true));
        if (!places.tryAcquire(maxWait.toNanos(), TimeUnit.NANOSECONDS)) {
            throw new TaniumException("Tanium server '" + server + "' has " + server(server).maxInFlight()
                    + " calls in flight from this instance (tanium.servers." + server + ".max-in-flight) and none ended within " + maxWait);
        }
        int perSecond = server(server).maxRequestsPerSecond();
        if (perSecond > 0) {
            long wait = paces.computeIfAbsent(server, s -> new Pace(1_000_000_000L / perSecond)).reserve();
            if (System.nanoTime() + wait > deadline) {
                places.release();
                throw new TaniumException("Tanium server '" + server + "' is limited to " + perSecond
                        + " requests per second from this instance (tanium.servers." + server + ".max-requests-per-second), and the queue is longer than " + maxWait);
            }
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    /** Gives the call's place back, however it ended. */
    public void release(@Variable("taniumServer") String server) {
        Semaphore places = inFlight.get(server);
        if (places != null) {
            places.release();
        }
    }

    /** Calls to the server in flight now from this instance. */
    public int inFlight(String server) {
        Semaphore places = inFlight.get(server);
        return places == null ? 0 : Math.max(1, server(server).maxInFlight()) - places.availablePermits();
    }

    /** Evenly spaced starts: each call reserves the next free slot and is told how long to wait for it. */
    static final class Pace {
        private final long intervalNanos;
        private long next;

        Pace(long intervalNanos) {
            this.intervalNanos = intervalNanos;
        }

        synchronized long reserve() {
            long now = System.nanoTime();
            long slot = Math.max(now, next);
            next = slot + intervalNanos;
            return slot - now;
        }
    }

    private TaniumSettings.Server server(String name) {
        TaniumSettings.Server server = settings.servers().get(name);
        if (server == null) {
            throw new TaniumException("unknown Tanium server '" + name + "'; configured: " + settings.servers().keySet());
        }
        return server;
    }
}
