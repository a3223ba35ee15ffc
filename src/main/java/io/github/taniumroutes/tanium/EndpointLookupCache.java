package io.github.taniumroutes.tanium;

import java.time.Duration;
import java.util.List;

import org.apache.camel.Variable;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.github.taniumroutes.alert.CanonicalAlert;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/**
 * Remembers Tanium Data Service lookups for a short time, so a burst of alerts about one host costs
 * one lookup — also when they miss together: the first alert to miss makes the lookup and the others
 * wait for its answer (SharedCalls). Keyed by server and by the identity the lookup uses ({@link EndpointLookup}).
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
     * The endpoints known or being looked up for another alert (waiting for that lookup), or null:
     * then this alert makes the lookup, and must end it with {@link #store} or {@link #failed}.
     */
    public List<TaniumEndpoint> lookup(@Variable("taniumServer") String server, @Variable("alert") CanonicalAlert alert) throws Exception {
        SharedCalls.Answer<List<TaniumEndpoint>> answer = lookups.joinOrLead(key(server, alert));
        return answer == null ? null : answer.value();
    }

    public void store(@Variable("taniumServer") String server, @Variable("alert") CanonicalAlert alert,
            @Variable("endpoints") List<TaniumEndpoint> endpoints) {
        lookups.completed(key(server, alert), List.copyOf(endpoints));
    }

    /** The lookup failed: the alerts waiting for it fail the same way, the next one asks again. The failure is thrown on. */
    public void failed(@Variable("taniumServer") String server, @Variable("alert") CanonicalAlert alert, Exception failure) throws Exception {
        lookups.failed(key(server, alert), failure);
    }

    private static String key(String server, CanonicalAlert alert) {
        EndpointLookup lookup = EndpointLookup.of(alert);
        return server + "|" + lookup.path() + "|" + lookup.value();
    }
}
