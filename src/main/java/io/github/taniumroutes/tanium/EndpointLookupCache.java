package io.github.taniumroutes.tanium;

import org.apache.camel.Variable;
import java.time.Duration;
import java.util.List;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.github.taniumroutes.alert.CanonicalAlert;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Remembers Tanium Data Service lookups for a short time, so a burst of alerts about one host costs
 * one lookup. Keyed by server and by the identity the lookup uses ({@link EndpointLookup}).
 */
@Singleton
@Named("endpointLookupCache")
public class EndpointLookupCache {

    private final Cache<String, List<TaniumEndpoint>> cache;

    @Inject
    public EndpointLookupCache(@ConfigProperty(name = "tanium.enrich.lookup-cache-ttl") Duration ttl,
            @ConfigProperty(name = "tanium.enrich.lookup-cache-size") long size) {
        this.cache = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(size).build();
    }

    /** The cached endpoints, or null when Tanium must be asked. */
    public List<TaniumEndpoint> lookup(@Variable("taniumServer") String server, @Variable("alert") CanonicalAlert alert) {
        return cache.getIfPresent(key(server, alert));
    }

    public void store(@Variable("taniumServer") String server, @Variable("alert") CanonicalAlert alert,
            @Variable("endpoints") List<TaniumEndpoint> endpoints) {
        cache.put(key(server, alert), List.copyOf(endpoints));
    }

    private static String key(String server, CanonicalAlert alert) {
        EndpointLookup lookup = EndpointLookup.of(alert);
        return server + "|" + lookup.path() + "|" + lookup.value();
    }
}
