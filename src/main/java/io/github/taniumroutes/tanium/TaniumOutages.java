package io.github.taniumroutes.tanium;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.camel.Variable;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/**
 * A circuit per Tanium server: open once a call fails because the server cannot be reached or is
 * unwell ({@link TaniumErrors#isOutage}: I/O errors, timeouts, 5xx or 429 after the call's retries),
 * closed by the next call it answers (the probe route asks while it is open). While a server's
 * circuit is open, new work for it waits instead of failing: its calls fail at once ({@link #admit}),
 * its alerts are parked and their intake is paused (IntakePause, HeldAlertIntakes), and investigation
 * steps wait on their schedule. Opening and closing are logged once; gauge
 * {@code tanium.outage{server}} is 1 while open, and readiness says so (TaniumOutagesHealth).
 */
@Singleton
@Named("taniumOutages")
public class TaniumOutages {

    private static final Logger LOG = Logger.getLogger(TaniumOutages.class);

    /** Told when the first circuit opens and when the last one closes. */
    public interface Listener {
        void outage(boolean anyOpen);
    }

    private final TaniumErrors errors = new TaniumErrors();
    private final Map<String, Long> openSince = new ConcurrentHashMap<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    @Inject
    public TaniumOutages(TaniumSettings settings, MeterRegistry meters) {
        for (String server : settings.servers().keySet()) {
            Gauge.builder("tanium.outage", openSince, open -> open.containsKey(server) ? 1 : 0)
                    .description("1 while the Tanium server does not answer and new work for it waits").tag("server", server).register(meters);
        }
    }

    public TaniumOutages() {
    }

    public void listen(Listener listener) {
        listeners.add(listener);
    }

    /**
     * Before a call: while the server's circuit is open, only a call marked to go even so (variable
     * {@code taniumEvenIfDown}: the probe, a step's clean-up) asks it; any other call fails at once as
     * an outage (its work waits) instead of adding to the load of a server that is down.
     */
    public void admit(@Variable("taniumServer") String server, @Variable("taniumEvenIfDown") Boolean evenIfDown) {
        if (isOpen(server) && !Boolean.TRUE.equals(evenIfDown)) {
            throw new TaniumUnreachableException(server);
        }
    }

    /** A call to the server failed for good; an outage-type failure opens its circuit. The failure is thrown on. */
    public void failed(@Variable("taniumServer") String server, Exception failure) throws Exception {
        if (!errors.isOutage(failure)) {
            if (errors.isReply(failure)) {
                // An error reply is still an answer; a failure of our own before any reply says nothing.
                answered(server);
            }
        } else if (server != null && openSince.putIfAbsent(server, System.currentTimeMillis()) == null) {
            LOG.warnf("Tanium server '%s' does not answer (%s): new work for it waits until it does", server, errors.describe(failure));
            notifyListeners();
        }
        throw failure;
    }

    /** The server answered a call (whatever the status): its circuit closes. */
    public void answered(@Variable("taniumServer") String server) {
        if (server != null && openSince.remove(server) != null) {
            LOG.infof("Tanium server '%s' answers again: its work goes on", server);
            notifyListeners();
        }
    }

    public boolean isOpen(@Variable("taniumServer") String server) {
        return server != null && openSince.containsKey(server);
    }

    /** The servers whose circuit is open, and since when. */
    public Map<String, Instant> open() {
        Map<String, Instant> open = new java.util.TreeMap<>();
        openSince.forEach((server, since) -> open.put(server, Instant.ofEpochMilli(since)));
        return open;
    }

    /** For the probe route: the servers to ask whether they answer again. */
    public List<String> openServers() {
        return List.copyOf(open().keySet());
    }

    private void notifyListeners() {
        boolean anyOpen = !openSince.isEmpty();
        listeners.forEach(listener -> listener.outage(anyOpen));
    }
}
