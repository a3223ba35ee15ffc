package io.github.taniumroutes.tanium;

import java.util.ArrayList;
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
 * One Tanium Data Service lookup for a batch's unknown hosts: plans the requests (per server, at most
 * {@code tanium.enrich.hosts-per-lookup} hosts each; only hosts nobody knows or is looking up, which
 * the batch then looks up for everyone: endpointLookupCache), and splits each reply back per host as
 * the alert gave it (id, name or IP address). A host the reply has no endpoint for is not found; one
 * with several is ambiguous (up to ten are kept, as a single lookup asks for); a request that fails
 * fails its own hosts only. The lookup of a host counts as one Tanium call of the first alert that
 * needed it (the request was made for it, together with others); the batch's other alerts about that host share it.
 */
@Singleton
@Named("batchLookups")
public class BatchLookups {

    private final EndpointLookupCache cache;
    private final int hostsPerLookup;

    @Inject
    public BatchLookups(EndpointLookupCache cache, @ConfigProperty(name = "tanium.enrich.hosts-per-lookup") int hostsPerLookup) {
        if (hostsPerLookup < 1) {
            throw new IllegalArgumentException("tanium.enrich.hosts-per-lookup must be at least 1, was " + hostsPerLookup);
        }
        this.cache = cache;
        this.hostsPerLookup = hostsPerLookup;
    }

    /**
     * The lookups the batch needs, in batch order. Hosts already known are put into the batch at once;
     * hosts another alert is looking up right now are left to the alerts (they wait for that lookup).
     * Every host of the chunks returned is led by the batch: each chunk must end in {@link #answered} or {@link #failed}.
     */
    public List<LookupChunk> chunks(@Variable("enrichBatch") EnrichBatch batch) {
        Map<String, List<LookupChunk.Host>> byServer = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        try {
            for (EnrichBatch.Alert alert : batch.alerts()) {
                EndpointLookup lookup = EndpointLookup.of(alert.alert());
                String key = EndpointLookupCache.key(alert.server(), lookup);
                if (!seen.add(key) || batch.lookup(key) != null) {
                    continue;
                }
                SharedCalls.Answer<List<TaniumEndpoint>> known = cache.peek(key);
                if (known != null) {
                    batch.lookedUp(key, EnrichBatch.Outcome.answered(known, null));
                } else if (cache.lead(key)) {
                    byServer.computeIfAbsent(alert.server(), s -> new ArrayList<>()).add(new LookupChunk.Host(key, lookup, alert.source()));
                }
            }
        } catch (RuntimeException e) {
            byServer.values().forEach(hosts -> hosts.forEach(host -> cache.abandon(host.key())));
            throw e;
        }
        List<LookupChunk> chunks = new ArrayList<>();
        byServer.forEach((server, hosts) -> {
            for (int from = 0; from < hosts.size(); from += hostsPerLookup) {
                chunks.add(new LookupChunk(server, hosts.subList(from, Math.min(hosts.size(), from + hostsPerLookup))));
            }
        });
        return chunks;
    }

    /**
     * The chunk's reply is in: each host gets the endpoints that match its filter — into the lookup
     * cache and the batch. If the reply holds endpoints that match none of the hosts (the Gateway
     * matched a host differently, e.g. by a second IP address), the hosts without a match cannot be
     * told apart from hosts Tanium does not know: they are given back, and their alerts look them up alone.
     */
    public void answered(@Variable("lookupChunk") LookupChunk chunk, @Variable("enrichBatch") EnrichBatch batch) {
        List<TaniumEndpoint> found = chunk.found();
        List<TaniumEndpoint> unclaimed = new ArrayList<>(found);
        Map<LookupChunk.Host, List<TaniumEndpoint>> matches = new LinkedHashMap<>();
        for (LookupChunk.Host host : chunk.hosts()) {
            List<TaniumEndpoint> mine = found.stream().filter(host.lookup()::matches).toList();
            unclaimed.removeAll(mine);
            matches.put(host, mine.size() > GatewayQueries.MATCHES_PER_HOST ? mine.subList(0, GatewayQueries.MATCHES_PER_HOST) : mine);
        }
        matches.forEach((host, endpoints) -> {
            if (endpoints.isEmpty() && !unclaimed.isEmpty()) {
                cache.abandon(host.key());
                return;
            }
            batch.lookedUp(host.key(), EnrichBatch.Outcome.answered(cache.completed(host.key(), endpoints), host.owner()));
            batch.counted(host.owner(), 1);
        });
    }

    /** The chunk's request failed (after its retries): each of its hosts fails so, for the batch and for those waiting. */
    public void failed(@Variable("lookupChunk") LookupChunk chunk, @Variable("enrichBatch") EnrichBatch batch, Exception failure) {
        for (LookupChunk.Host host : chunk.hosts()) {
            cache.fail(host.key(), failure);
            batch.lookedUp(host.key(), EnrichBatch.Outcome.failed(failure, host.owner()));
            batch.counted(host.owner(), 1);
        }
    }
}
