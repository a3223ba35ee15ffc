package io.github.taniumroutes.investigation;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.kafka.KafkaConstants;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/**
 * The investigations this instance runs, and the request partitions it owns. An investigation runs
 * here only while its partition is assigned here: on assignment the journal is read and unfinished
 * investigations resume; on revocation they stop at their next step (a step already running is
 * waited for, so two instances never work on one investigation at once). Requests already accepted
 * or finished are recognised by id and not started twice.
 */
@Singleton
@Named("investigationRegistry")
public class InvestigationRegistry {

    private static final Logger LOG = Logger.getLogger(InvestigationRegistry.class);
    static final String RUN = "seda:run-investigations";

    private record Finished(int partition, long at) {
    }

    private final Map<String, Investigation> running = new ConcurrentHashMap<>();
    private final Map<String, Finished> finished = new ConcurrentHashMap<>();
    private final Set<Integer> owned = ConcurrentHashMap.newKeySet();
    private final Map<Integer, AtomicInteger> inStep = new ConcurrentHashMap<>();
    private final InvestigationJournal journal;
    private final InvestigationRequests requests;
    private final InvestigationCapacity capacity;
    private final EndpointSessions sessions;
    private final ProducerTemplate producer;
    private final Duration tombstoneAfter;
    private final Duration revokeGrace;
    private final Clock clock = Clock.systemUTC();
    /** The instance is shutting down: no step starts any more, and every investigation is left to the journal. */
    private volatile boolean stopping;

    @Inject
    public InvestigationRegistry(InvestigationJournal journal, InvestigationRequests requests, InvestigationCapacity capacity,
            EndpointSessions sessions, ProducerTemplate producer,
            @ConfigProperty(name = "investigations.tombstone-after") Duration tombstoneAfter,
            @ConfigProperty(name = "investigations.revoke-grace") Duration revokeGrace) {
        this.journal = journal;
        this.requests = requests;
        this.capacity = capacity;
        this.sessions = sessions;
        this.producer = producer;
        this.tombstoneAfter = tombstoneAfter;
        this.revokeGrace = revokeGrace;
    }

    /**
     * The batch's requests that are new here: not running, not finished, not twice in the batch.
     * Each becomes an accepted investigation for the partition its request came from.
     */
    public List<Investigation> accept(List<Exchange> batch) {
        Map<String, Investigation> accepted = new LinkedHashMap<>();
        for (Exchange record : batch) {
            InvestigationRequest request;
            try {
                request = requests.read(record.getMessage().getBody(byte[].class));
            } catch (IllegalArgumentException unreadable) {
                // Only this application writes the topic; a record it cannot read would otherwise
                // stop its partition for good (breakOnFirstError re-reads it forever).
                LOG.errorf("skipping investigation request at %s-%s offset %s: %s", record.getMessage().getHeader(KafkaConstants.TOPIC),
                        record.getMessage().getHeader(KafkaConstants.PARTITION), record.getMessage().getHeader(KafkaConstants.OFFSET),
                        unreadable.getMessage());
                continue;
            }
            String id = request.investigationId();
            if (running.containsKey(id) || finished.containsKey(id) || accepted.containsKey(id)) {
                LOG.debugf("investigation %s is already known here; its request is not started again", id);
                continue;
            }
            int partition = record.getMessage().getHeader(KafkaConstants.PARTITION, Integer.class);
            accepted.put(id, Investigation.accepted(request, partition, clock.millis()));
        }
        return new ArrayList<>(accepted.values());
    }

    /** The investigations running here (a live view, for InvestigationMeters). */
    Collection<Investigation> running() {
        return running.values();
    }

    /** Starts an accepted (journaled, committed) investigation. */
    public Investigation start(Investigation investigation) {
        running.put(investigation.getId(), investigation);
        capacity.inFlight(running.size());
        return investigation;
    }

    /** The loop's condition: go on while the investigation is active and its partition is still ours. */
    public boolean proceed(Investigation investigation) {
        if (!investigation.isActive() || !running.containsKey(investigation.getId())) {
            // done, or abandoned to the journal
            return false;
        }
        if (stopping) {
            // Its journal is up to date (a turn journals before it ends): the instance that takes its partition resumes it.
            LOG.debugf("%s is left to the journal: this instance is stopping", investigation);
            running.remove(investigation.getId());
            sessions.forget(investigation);
            return false;
        }
        if (!owned.contains(investigation.getPartition())) {
            LOG.infof("%s continues on the instance that now owns partition %d", investigation, investigation.getPartition());
            running.remove(investigation.getId());
            sessions.forget(investigation);
            capacity.inFlight(running.size());
            return false;
        }
        return true;
    }

    /** Marks a step as running; false when the partition has just been taken away. */
    public boolean beginStep(Investigation investigation) {
        AtomicInteger steps = inStep.computeIfAbsent(investigation.getPartition(), p -> new AtomicInteger());
        steps.incrementAndGet();
        if (stopping || !owned.contains(investigation.getPartition())) {
            steps.decrementAndGet();
            return false;
        }
        return true;
    }

    public void endStep(Investigation investigation) {
        inStep.get(investigation.getPartition()).decrementAndGet();
    }

    /** The investigation's result and end are on Kafka. */
    public void finished(Investigation investigation) {
        running.remove(investigation.getId());
        finished.put(investigation.getId(), new Finished(investigation.getPartition(), clock.millis()));
        capacity.inFlight(running.size());
    }

    /** Stopped by a failure outside its steps (e.g. Kafka unreachable for the journal): resumes from the journal on the next assignment. */
    public void abandoned(Investigation investigation) {
        if (running.remove(investigation.getId()) != null) {
            sessions.forget(investigation);
            capacity.inFlight(running.size());
        }
    }

    /** Finished investigations whose tombstone is due (id → partition); they are forgotten here. */
    public Map<String, Integer> dueForTombstone() {
        long cutoff = clock.millis() - tombstoneAfter.toMillis();
        Map<String, Integer> due = new LinkedHashMap<>();
        finished.forEach((id, end) -> {
            if (end.at() <= cutoff && owned.contains(end.partition())) {
                due.put(id, end.partition());
            }
        });
        due.keySet().forEach(finished::remove);
        return due;
    }

    public int inFlight() {
        return running.size();
    }

    /**
     * The instance is shutting down: a step already running finishes its phase and journals (its exchange
     * is waited for by Camel's shutdown), no other step starts, and every investigation leaves its loop at
     * its next turn, to be resumed from the journal by the instance that gets its partition. Returns how
     * many investigations were in flight.
     */
    public int stopping() {
        stopping = true;
        return running.size();
    }

    /** Steps running right now (each finishes its phase and journals before its partition is let go). */
    public int stepsRunning() {
        return inStep.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    // ---- rebalance (called on the investigation-requests consumer thread) ----

    void assigned(Collection<Integer> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        owned.addAll(partitions);
        Map<String, Investigation> journaled = journal.load(partitions);
        int resumed = 0;
        for (Investigation investigation : journaled.values()) {
            if (!investigation.isActive()) {
                finished.putIfAbsent(investigation.getId(), new Finished(investigation.getPartition(),
                        investigation.getFinishedAt() == null ? clock.millis() : investigation.getFinishedAt()));
                continue;
            }
            synchronized (this) {
                if (running.containsKey(investigation.getId())) {
                    continue;
                }
                sessions.rejoin(investigation);
                running.put(investigation.getId(), investigation);
            }
            producer.sendBody(RUN, investigation);
            resumed++;
        }
        capacity.inFlight(running.size());
        LOG.infof("assigned investigation partitions %s: %d investigations resumed from the journal", partitions, resumed);
    }

    void revoked(Collection<Integer> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        owned.removeAll(partitions);
        long deadline = System.nanoTime() + revokeGrace.toNanos();
        // A step already talking to Tanium finishes and journals before the new owner reads the journal.
        while (partitions.stream().anyMatch(p -> inStep.getOrDefault(p, new AtomicInteger()).get() > 0)) {
            if (System.nanoTime() > deadline) {
                LOG.warnf("steps of partitions %s still running after %s; giving the partitions up anyway", partitions, revokeGrace);
                break;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        finished.values().removeIf(end -> partitions.contains(end.partition()));
        LOG.infof("revoked investigation partitions %s", partitions);
    }
}
