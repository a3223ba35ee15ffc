package io.github.taniumroutes.shutdown;

import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.CamelEvent.CamelContextStoppingEvent;
import org.apache.camel.support.SimpleEventNotifierSupport;
import org.jboss.logging.Logger;

import io.github.taniumroutes.investigation.InvestigationDelays;
import io.github.taniumroutes.investigation.InvestigationRegistry;
import io.github.taniumroutes.kafka.GroupMembership;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/**
 * What this application adds to Camel's graceful shutdown (SIGTERM: Quarkus stops the Camel context, whose
 * shutdown strategy stops every route's consumer and then waits up to {@code camel.main.shutdown-timeout}
 * for the exchanges in flight). Told as the context starts stopping, before any route stops:
 * <ul>
 * <li>every Kafka consumer leaves its group as it closes, static member or not ({@link GroupMembership}),
 * so its partitions move to the other replicas at once;
 * <li>no investigation step starts any more; a step already running finishes its phase and journals
 * (Camel waits for its exchange), and the investigations waiting for their next turn end their waits
 * now, leave their loops and stay in the journal for the instance that gets their partitions. Their
 * endpoint sessions are handed over, not closed: that instance adopts them from the journal.
 * </ul>
 * A Kafka consumer's current batch is finished, published and committed as its consumer stops (camel-kafka
 * waits for it), so nothing is committed that was not published.
 */
@Singleton
@Named("gracefulShutdown")
public class GracefulShutdown extends SimpleEventNotifierSupport {

    private static final Logger LOG = Logger.getLogger(GracefulShutdown.class);

    private final GroupMembership membership;
    private final InvestigationRegistry investigations;
    private final InvestigationDelays delays;

    @Inject
    public GracefulShutdown(GroupMembership membership, InvestigationRegistry investigations, InvestigationDelays delays) {
        this.membership = membership;
        this.investigations = investigations;
        this.delays = delays;
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof CamelContextStoppingEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        membership.leaveGroups();
        int inFlight = investigations.stopping();
        int running = investigations.stepsRunning();
        int waiting = delays.endWaits();
        LOG.infof("stopping: %d investigations in flight (%d steps running, finishing and journaling; %d waits ended) are left to the journal"
                + " for the instances that take their partitions", inFlight, running, waiting);
    }
}
