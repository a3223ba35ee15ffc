package io.github.taniumroutes.investigation;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

import org.apache.camel.CamelContext;
import org.apache.camel.util.concurrent.SizedScheduledExecutorService;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/**
 * The timers of waiting investigations (the {@code delay} of run-investigation, {@code executorService:
 * investigationDelays}): Camel's scheduled pool of thread pool profile {@code investigationDelays}, made
 * here so that a shutdown can end the waits. A waiting investigation is an exchange in flight until its
 * timer fires, up to {@code investigations.poll.max-ms} later; Camel's shutdown would wait that long for
 * it, and then force the routes down. {@link #endWaits} runs every pending timer at once instead: each
 * investigation takes its next turn, finds the instance stopping and leaves its loop, its state already
 * journaled.
 */
@Singleton
public class InvestigationDelays {

    private volatile ScheduledExecutorService pool;

    @Produces
    @Singleton
    @Named("investigationDelays")
    ScheduledExecutorService investigationDelays(CamelContext camel) {
        pool = camel.getExecutorServiceManager().newScheduledThreadPool(this, "InvestigationDelays", "investigationDelays");
        return pool;
    }

    /** Runs every pending timer now, on the calling thread (each only hands its investigation to a worker); returns how many. */
    public int endWaits() {
        ScheduledThreadPoolExecutor timers = timers();
        if (timers == null) {
            return 0;
        }
        // Not drainTo: a scheduled pool's queue drains only the timers that are already due.
        List<Runnable> waiting = new ArrayList<>();
        for (Runnable timer : timers.getQueue().toArray(new Runnable[0])) {
            if (timers.remove(timer)) {
                waiting.add(timer);
            }
        }
        waiting.forEach(Runnable::run);
        return waiting.size();
    }

    private ScheduledThreadPoolExecutor timers() {
        ScheduledExecutorService current = pool;
        if (current instanceof SizedScheduledExecutorService sized) {
            return sized.getScheduledThreadPoolExecutor();
        }
        return current instanceof ScheduledThreadPoolExecutor timers ? timers : null;
    }
}
