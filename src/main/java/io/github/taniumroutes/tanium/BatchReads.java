package io.github.taniumroutes.tanium;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.camel.Variable;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/**
 * The live reads a batch's endpoints need, in as few Gateway requests as possible: per server, up to
 * {@code tanium.enrich.endpoints-per-read} endpoints a request, each endpoint asked exactly the read
 * its alert would ask alone (the same key as sharedSensorReads, so the batch's reads are shared with
 * alerts of other batches, and theirs with it). Each reply is split back per endpoint by id; an
 * endpoint missing from the reply fails alone (it did not answer: offline, or no longer that id), a
 * request that fails fails its own endpoints only. The read of an endpoint counts as one Tanium call of
 * the first alert that needed it, and is "not shared" for that alert only.
 */
@Singleton
@Named("batchReads")
public class BatchReads {

    private final SharedSensorReads reads;
    private final GatewayQueries queries;
    private final int endpointsPerRead;

    @Inject
    public BatchReads(SharedSensorReads reads, GatewayQueries queries,
            @ConfigProperty(name = "tanium.enrich.endpoints-per-read") int endpointsPerRead) {
        if (endpointsPerRead < 1) {
            throw new IllegalArgumentException("tanium.enrich.endpoints-per-read must be at least 1, was " + endpointsPerRead);
        }
        this.reads = reads;
        this.queries = queries;
        this.endpointsPerRead = endpointsPerRead;
    }

    /**
     * The reads the batch needs once its lookups are in: one per alert whose lookup found exactly one
     * endpoint (none or several is the alert's outcome, not a read), each needed read once. Readings
     * taken within the shared-read window are put into the batch at once; reads another alert is making
     * right now are left to the alerts (they wait for it). Every read of the chunks returned is led by
     * the batch: each chunk must end in {@link #answered} or {@link #failed}.
     */
    public List<ReadChunk> chunks(@Variable("enrichBatch") EnrichBatch batch) {
        Map<String, List<ReadChunk.Read>> byServer = new LinkedHashMap<>();
        // Alerts that read the same endpoint with the same sensors and the same host or IP (HOSTORIP) send the
        // same request: its key is worked out once per batch, not once per alert.
        Set<List<Object>> seen = new HashSet<>();
        try {
            for (EnrichBatch.Alert alert : batch.alerts()) {
                EnrichBatch.Outcome<List<TaniumEndpoint>> lookup = batch.lookup(EndpointLookupCache.key(alert.server(), EndpointLookup.of(alert.alert())));
                if (lookup == null || lookup.failure() != null || lookup.answer().value().size() != 1) {
                    continue;
                }
                TaniumEndpoint endpoint = lookup.answer().value().get(0);
                if (!seen.add(Arrays.asList(alert.server(), endpoint, alert.sensorOverride(), alert.alert().hostIdentity()))) {
                    continue;
                }
                List<SensorRequest> sensors = queries.sensorsFor(alert.sensorOverride());
                String key = SharedSensorReads.key(alert.server(), queries.sensorReadingsFor(alert.alert(), endpoint, sensors));
                if (batch.read(key) != null) {
                    continue;
                }
                SharedCalls.Answer<Map<String, SensorRows>> known = reads.peek(key);
                if (known != null) {
                    batch.readAs(key, EnrichBatch.Outcome.answered(known, null));
                } else if (reads.lead(key)) {
                    byServer.computeIfAbsent(alert.server(), s -> new ArrayList<>())
                            .add(new ReadChunk.Read(key, endpoint, queries.sensorFields(alert.alert(), sensors), sensors, alert.source()));
                }
            }
        } catch (RuntimeException e) {
            byServer.values().forEach(planned -> planned.forEach(read -> reads.abandon(read.key())));
            throw e;
        }
        List<ReadChunk> chunks = new ArrayList<>();
        byServer.forEach((server, planned) -> {
            for (int from = 0; from < planned.size(); from += endpointsPerRead) {
                chunks.add(new ReadChunk(server, planned.subList(from, Math.min(planned.size(), from + endpointsPerRead))));
            }
        });
        return chunks;
    }

    /** The chunk's reply is in: each endpoint gets its own readings, or fails alone when the reply has none for it. */
    public void answered(@Variable("readChunk") ReadChunk chunk, @Variable("enrichBatch") EnrichBatch batch) {
        for (ReadChunk.Read read : chunk.reads()) {
            Map<String, SensorRows> readings = chunk.groupOf(read).readingsOf(read.endpoint().id());
            if (readings == null) {
                int others = chunk.reads().size() - 1;
                TaniumException silent = new TaniumException("the live sensor read returned nothing for endpoint " + read.endpoint().id()
                        + " (offline, or no longer that id" + (others > 0 ? "; read together with " + others + " other endpoints)" : ")"));
                reads.fail(read.key(), silent);
                batch.readAs(read.key(), EnrichBatch.Outcome.failed(silent, read.owner()));
            } else {
                batch.readAs(read.key(), EnrichBatch.Outcome.answered(reads.completed(read.key(), readings), read.owner()));
            }
            batch.counted(read.owner(), 1);
        }
    }

    /** The chunk's request failed (after its retries): each of its endpoints fails so, for the batch and for those waiting. */
    public void failed(@Variable("readChunk") ReadChunk chunk, @Variable("enrichBatch") EnrichBatch batch, Exception failure) {
        for (ReadChunk.Read read : chunk.reads()) {
            reads.fail(read.key(), failure);
            batch.readAs(read.key(), EnrichBatch.Outcome.failed(failure, read.owner()));
            batch.counted(read.owner(), 1);
        }
    }
}
