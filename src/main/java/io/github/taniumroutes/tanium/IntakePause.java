package io.github.taniumroutes.tanium;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.Route;
import org.jboss.logging.Logger;

import io.github.taniumroutes.kafka.KafkaConsumerPause;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/**
 * The policy of the intake routes (template alert-intake). alert-intake itself never stops for an
 * outage: an alert whose Tanium server does not answer is parked on that server's held topic, and the
 * alerts for healthy servers flow on. Each server's held-alert intake ({@link HeldAlertIntakes}) is
 * paused while its server's circuit is open (TaniumOutages) — its Kafka consumer stays in its group
 * and keeps its partitions, and nothing is committed past what was published — and resumed once it
 * answers. An alert of a held-alert batch that meets its server down again is parked once more.
 * A held-alert batch that fails while its intake is paused (or as it is being paused) is read again
 * from the last commit once its server answers: the intake's consumer is then restarted rather than
 * resumed, and rejoins its group ({@link KafkaConsumerPause}).
 */
@Singleton
@Named("intakePause")
public class IntakePause extends KafkaConsumerPause implements TaniumOutages.Listener {

    private static final Logger LOG = Logger.getLogger(IntakePause.class);

    private final TaniumOutages outages;
    private final Map<String, String> serverOfRoute = new ConcurrentHashMap<>();
    private final Map<String, Route> routes = new ConcurrentHashMap<>();

    @Inject
    public IntakePause(TaniumOutages outages) {
        this.outages = outages;
        outages.listen(this);
    }

    /** Route {@code routeId} reads the alerts held for {@code server}: it waits while that server does not answer. */
    public void waitsFor(String routeId, String server) {
        serverOfRoute.put(routeId, server);
    }

    @Override
    public void onStart(Route route) {
        routes.put(route.getRouteId(), route);
        outage(!outages.open().isEmpty());
    }

    @Override
    public synchronized void onRemove(Route route) {
        routes.remove(route.getRouteId());
        super.onRemove(route);
    }

    @Override
    public synchronized void outage(boolean told) {
        // What is true now, not what the caller saw: an opening and a closing told from two threads
        // may arrive in either order, and acting on the stale one would leave intake paused for good.
        routes.forEach((routeId, route) -> {
            String server = serverOfRoute.get(routeId);
            if (server == null || route.getConsumer() == null) {
                return;
            }
            boolean down = outages.isOpen(server);
            try {
                if (down && pause(route)) {
                    LOG.infof("intake of the alerts held for Tanium server '%s' paused until it answers (%s)", server, routeId);
                } else if (!down && resume(route)) {
                    LOG.infof("intake of the alerts held for Tanium server '%s' resumed (%s)", server, routeId);
                }
            } catch (Exception e) {
                throw new IllegalStateException("cannot pause or resume " + routeId, e);
            }
        });
    }

    /** Whether the intake of the alerts held for {@code server} is paused. */
    public synchronized boolean isPaused(String server) {
        return serverOfRoute.entrySet().stream().anyMatch(route -> route.getValue().equals(server) && isPausedRoute(route.getKey()));
    }
}
