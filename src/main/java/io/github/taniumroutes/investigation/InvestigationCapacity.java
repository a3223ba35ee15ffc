package io.github.taniumroutes.investigation;

import org.apache.camel.Route;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.github.taniumroutes.kafka.KafkaConsumerPause;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/**
 * Back-pressure for the investigation-requests route: at {@code investigations.max-in-flight}
 * investigations on this instance its Kafka consumer is suspended (paused; it stays in the group and
 * keeps its partitions), and below {@code investigations.resume-below} it is resumed. The route's
 * current batch still completes, so the bound can be passed by at most one batch
 * ({@code investigations.batch.max-records}).
 * A batch that fails while the consumer is suspended (or as it is being suspended) is read again from
 * the last commit once it is resumed: the consumer is then restarted rather than resumed
 * ({@link KafkaConsumerPause}), and the rebalance that follows hands this instance's investigations
 * back to the journal and resumes them, as breakOnFirstError's own reconnect does.
 */
@Singleton
@Named("investigationCapacity")
public class InvestigationCapacity extends KafkaConsumerPause {

    private static final Logger LOG = Logger.getLogger(InvestigationCapacity.class);

    private final int maxInFlight;
    private final int resumeBelow;
    private volatile Route route;

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
        Route route = this.route;
        if (route == null || route.getConsumer() == null) {
            return;
        }
        try {
            if (count >= maxInFlight && pause(route)) {
                LOG.infof("%d investigations in flight (max %d): new investigation requests wait", count, maxInFlight);
            } else if (count < resumeBelow && resume(route)) {
                LOG.infof("%d investigations in flight (resume below %d): taking new investigation requests again", count, resumeBelow);
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot suspend or resume the investigation-requests consumer", e);
        }
    }

    public synchronized boolean isSuspended() {
        Route route = this.route;
        return route != null && isPausedRoute(route.getRouteId());
    }
}
