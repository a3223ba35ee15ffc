package io.github.taniumroutes.tanium;

import org.apache.camel.Consumer;
import org.apache.camel.Route;
import org.apache.camel.support.RoutePolicySupport;
import org.jboss.logging.Logger;

import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/**
 * The alert-intake route's policy: while a Tanium server does not answer (TaniumOutages), its Kafka
 * consumer is suspended — paused: it stays in its group and keeps its partitions, and nothing is
 * committed past what was published — and it is resumed once every server answers again. The batch
 * that met the outage is not committed: it is read again after the pause, and its alerts already
 * answered are published with the outcome they have.
 */
@Singleton
@Named("intakePause")
public class IntakePause extends RoutePolicySupport implements TaniumOutages.Listener {

    private static final Logger LOG = Logger.getLogger(IntakePause.class);

    private final TaniumOutages outages;
    private volatile Route route;
    private boolean paused;

    @Inject
    public IntakePause(TaniumOutages outages) {
        this.outages = outages;
        outages.listen(this);
    }

    @Override
    public void onInit(Route route) {
        this.route = route;
    }

    @Override
    public synchronized void outage(boolean told) {
        // What is true now, not what the caller saw: an opening and a closing told from two threads
        // may arrive in either order, and acting on the stale one would leave intake paused for good.
        boolean anyOpen = !outages.open().isEmpty();
        Consumer consumer = route == null ? null : route.getConsumer();
        if (consumer == null) {
            return;
        }
        try {
            if (anyOpen && !paused) {
                paused = true;
                suspendOrStopConsumer(consumer);
                LOG.info("alert intake paused: a Tanium server does not answer");
            } else if (!anyOpen && paused) {
                paused = false;
                resumeOrStartConsumer(consumer);
                LOG.info("alert intake resumed: every Tanium server answers");
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot pause or resume alert intake", e);
        }
    }

    public synchronized boolean isPaused() {
        return paused;
    }
}
