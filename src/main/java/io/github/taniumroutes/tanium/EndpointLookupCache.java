package io.github.taniumroutes.tanium;

import java.time.Duration;
import java.util.List;

import org.apache.camel.Variable;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.github.taniumroutes.alert.CanonicalAlert;
import io.github.taniumroutes.kafka.RecordSource;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/**
 * Remembers Tanium Data Service lookups for a short time, so a burst of alerts about one host costs
 * one lookup — also when they miss together: the first alert to miss makes the lookup and the others
 * wait for its answer (SharedCalls). Keyed by server and by the identity the lookup uses ({@link EndpointLookup}).
 * A batch looks up its unknown hosts together (batchLookups): an alert first takes what its batch got.
 */
@Singleton
@Named("endpointLookupCache")
public class EndpointLookupCache {

    private final SharedCalls<List<TaniumEndpoint>> lookups;

    @Inject
    public EndpointLookupCache(@ConfigProperty(name = "tanium.enrich.lookup-cache-ttl") Duration ttl,
            @ConfigProperty(name = "tanium.enrich.lookup-cache-size") long size,
            @ConfigProperty(name = "tanium.enrich.shared-call-max-wait") Duration maxWait) {
        this.lookups = new SharedCalls<>(ttl, size, maxWait);
    }

    /**
     * The endpoints this alert's batch looked up (or the failure of that request, thrown), else those
     * known or being looked up for another alert (waiting for that lookup), else null: then this alert
     * makes the lookup, and must end it with {@link #store} or {@link #failed}.
     */
    public List<TaniumEndpoint> lookup(@Variable("taniumServer") String server, @Variable("alert") CanonicalAlert alert,
            @Variable("enrichBatch") EnrichBatch batch, @Variable("source") RecordSource source) throws Exception {
        String key = key(server, EndpointLookup.of(alert));
        EnrichBatch.Outcome<List<TaniumEndpoint>> batched = batch == null ? null : batch.lookup(key);
        if (batched != null) {
            return batched.answerFor(source).value();
        }
        SharedCalls.Answer<List<TaniumEndpoint>> answer = lookups.joinOrLead(key);
        return answer == null ? null : answer.value();
    }

    public void store(@Variable("taniumServer") String server, @Variable("alert") CanonicalAlert alert,
            @Variable("endpoints") List<TaniumEndpoint> endpoints) {
        lookups.completed(key(server, EndpointLookup.of(alert)), List.copyOf(endpoints));
    }

    /** The lookup failed: the alerts waiting for it fail the same way, the next one asks again. The failure is thrown on. */
    public void failed(@Variable("taniumServer") String server, @Variable("alert") CanonicalAlert alert, Exception failure) throws Exception {
        lookups.failed(key(server, EndpointLookup.of(alert)), failure);
    }

    static String key(String server, EndpointLookup lookup) {
        return server + "|" + lookup.path() + "|" + lookup.value();
    }

    // ---- for a batch that looks many hosts up in one request (batchLookups) ----------------------

    /** The endpoints known for this key, or null; never waits. */
    SharedCalls.Answer<List<TaniumEndpoint>> peek(String key) {
        return lookups.peek(key);
    }

    /** True when the caller now looks this key up (nobody knows it or is looking it up). */
    boolean lead(String key) {
        return lookups.lead(key);
    }

    SharedCalls.Answer<List<TaniumEndpoint>> completed(String key, List<TaniumEndpoint> endpoints) {
        return lookups.completed(key, List.copyOf(endpoints));
    }

    void fail(String key, Exception failure) {
        lookups.fail(key, failure);
    }

    /** Gives a key back unanswered: whoever needs it looks it up alone. */
    void abandon(String key) {
        lookups.abandon(key);
    }
}
