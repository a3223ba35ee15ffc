package io.github.taniumroutes.investigation;

import org.apache.camel.Consumer;
import org.apache.camel.Route;
import org.apache.camel.support.RoutePolicySupport;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/**
 * Back-pressure for the investigation-requests route: at {@code investigations.max-in-flight}
 * investigations on this instance its Kafka consumer is suspended (paused; it stays in the group and
 * keeps its partitions), and below {@code investigations.resume-below} it is resumed. The route's
 * current batch still completes, so the bound can be passed by at most one batch
 * ({@code investigations.batch.max-records}).
 */
@Singleton
@Named("investigationCapacity")
public class InvestigationCapacity extends RoutePolicySupport {

    private static final Logger LOG = Logger.getLogger(InvestigationCapacity.class);

    private final int maxInFlight;
    private final int resumeBelow;
    private volatile Route route;
    private boolean suspended;

    @Inject
    public InvestigationCapacity(@ConfigProperty(name = "investigations.max-in-flight") int maxInFlight,
            @ConfigProperty(name = "investigations.resume-below") int resumeBelow) {
        if (resumeBelow > maxInFlight || resumeBelow < 0) {
            throw new IllegalArgumentException("investigations.resume-below (" + resumeBelow
                    + ") must be between 0 and investigations.max-in-flight (" + maxInFlight + ")");
        }
        this.maxInFlight = maxInFlight;
        this.resumeBelow = resumeBelow;
    }

    @Override
    public void onInit(Route route) {
        // The route's consumer is created later, when the route starts: look it up when needed.
        this.route = route;
    }

    /** Called whenever the number of investigations in flight on this instance changes. */
    public synchronized void inFlight(int count) {
        Consumer consumer = route == null ? null : route.getConsumer();
        try {
            if (!suspended && count >= maxInFlight && consumer != null) {
                suspended = true;
                suspendOrStopConsumer(consumer);
                LOG.infof("%d investigations in flight (max %d): new investigation requests wait", count, maxInFlight);
            } else if (suspended && count < resumeBelow && consumer != null) {
                suspended = false;
                resumeOrStartConsumer(consumer);
                LOG.infof("%d investigations in flight (resume below %d): taking new investigation requests again", count, resumeBelow);
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot suspend or resume the investigation-requests consumer", e);
        }
    }

    public synchronized boolean isSuspended() {
        return suspended;
    }
}
