package io.github.taniumroutes.kafka;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;

import org.apache.camel.CamelContext;
import org.apache.camel.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.support.RoutePolicySupport;
import org.jboss.logging.Logger;

/**
 * A route policy that pauses and resumes the consumer of a batching Kafka route (manual commits,
 * breakOnFirstError) without losing a batch that fails around the pause.
 * <p>
 * Pausing suspends the consumer: camel-kafka pauses its partitions, and the consumer stays in its
 * group and keeps them. Resuming resumes it, except after a batch that failed (since the last batch
 * that completed): then the consumer is restarted (stopped and started) instead, so that it leaves
 * the group and joins it again and reads from the last commit, which is what breakOnFirstError does
 * for a failed batch when the consumer is not paused. camel-kafka 4.17 does not do it while paused
 * ({@code KafkaFetchRecords.startPolling}, {@code updateTaskState}):
 * <ul>
 * <li>a batch that fails once the pause is requested does not reconnect (the reconnect is skipped
 * while paused), and the resume seeks only the partitions that have a committed offset back to it:
 * a partition with none (a new group) goes on after the failed batch, whose records are never read;
 * <li>a pause that arrives while the fetch thread reconnects after a failed batch ends that thread
 * (its loop stops for a suspended consumer), and a resume does not start it again.
 * </ul>
 * The restart costs a rebalance of the group, as breakOnFirstError's own reconnect does, and only
 * after a failed batch (a pause and resume between camel-kafka's own reconnect and the next batch
 * restart once more than needed); it commits nothing, as the routes commit what they published. It runs on a thread of its own: a resume may come from the consumer's own thread (a
 * batch or a rebalance listener), and stopping the consumer waits for that thread. No lock is held
 * while the consumer stops, for the same reason; a pause asked for meanwhile is applied once it has
 * started again.
 */
public abstract class KafkaConsumerPause extends RoutePolicySupport {

    private static final Logger LOG = Logger.getLogger(KafkaConsumerPause.class);

    private final Set<String> failedBatch = ConcurrentHashMap.newKeySet();
    private final Set<String> paused = new HashSet<>();
    private final Set<String> restarting = new HashSet<>();
    private ExecutorService restarts;
    private CamelContext camel;

    @Override
    public void onExchangeBegin(Route route, Exchange exchange) {
        failedBatch.remove(route.getRouteId());
    }

    @Override
    public void onExchangeDone(Route route, Exchange exchange) {
        // The same test as camel-kafka's breakOnFirstError: the batch's exchange ended with an exception.
        if (exchange.getException() != null) {
            failedBatch.add(route.getRouteId());
        }
    }

    @Override
    public synchronized void onRemove(Route route) {
        failedBatch.remove(route.getRouteId());
        paused.remove(route.getRouteId());
    }

    /** Pauses the route's consumer; false if it was paused already. */
    protected synchronized boolean pause(Route route) throws Exception {
        if (!paused.add(route.getRouteId())) {
            return false;
        }
        if (!restarting.contains(route.getRouteId())) {
            suspendOrStopConsumer(route.getConsumer());
        }
        return true;
    }

    /** Resumes the route's consumer, or restarts it after a failed batch; false if it was not paused. */
    protected synchronized boolean resume(Route route) throws Exception {
        String routeId = route.getRouteId();
        if (!paused.remove(routeId)) {
            return false;
        }
        if (restarting.contains(routeId)) {
            return true;
        }
        if (failedBatch.contains(routeId)) {
            restarting.add(routeId);
            if (restarts == null) {
                camel = route.getCamelContext();
                restarts = camel.getExecutorServiceManager().newSingleThreadExecutor(this, "KafkaConsumerRestart");
            }
            restarts.execute(() -> restart(route));
        } else {
            resumeOrStartConsumer(route.getConsumer());
        }
        return true;
    }

    protected synchronized boolean isPausedRoute(String routeId) {
        return paused.contains(routeId);
    }

    @Override
    protected synchronized void doStop() throws Exception {
        if (restarts != null) {
            camel.getExecutorServiceManager().shutdown(restarts);
            restarts = null;
        }
        super.doStop();
    }

    private void restart(Route route) {
        String routeId = route.getRouteId();
        Consumer consumer = route.getConsumer();
        LOG.infof("restarting the Kafka consumer of %s to read its failed batch again from the last commit", routeId);
        try {
            stopConsumer(consumer);
        } catch (Exception e) {
            LOG.warnf(e, "cannot stop the Kafka consumer of %s", routeId);
        }
        synchronized (this) {
            restarting.remove(routeId);
            failedBatch.remove(routeId);
            try {
                if (route.getCamelContext().getRouteController().getRouteStatus(routeId) != ServiceStatus.Started) {
                    return;
                }
                startConsumer(consumer);
                if (paused.contains(routeId)) {
                    suspendOrStopConsumer(consumer);
                }
            } catch (Exception e) {
                LOG.errorf(e, "cannot start the Kafka consumer of %s again", routeId);
            }
        }
    }
}
