package io.github.taniumroutes.action;

import java.time.Duration;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/**
 * Package definitions ({@code GET /api/v2/packages/by-name/{name}}) per Tanium server, kept for
 * {@code action.package-cache-ttl}: a burst of actions with one package asks Tanium once, and a package
 * an administrator changes is read again soon after.
 */
@Singleton
@Named("taniumPackages")
public class TaniumPackages {

    private final ObjectMapper mapper;
    private final Cache<String, TaniumPackage> packages;

    @Inject
    public TaniumPackages(ObjectMapper mapper, @ConfigProperty(name = "action.package-cache-ttl") Duration ttl) {
        this.mapper = mapper;
        this.packages = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(1_000).build();
    }

    /** The package as read within the TTL, or null: then ask Tanium and {@link #read} its reply. */
    public TaniumPackage cached(String server, String name) {
        return packages.getIfPresent(server + "\u0000" + name);
    }

    /** The package in Tanium's reply, kept for the TTL; a definition that cannot be read is refused (and not kept). */
    public TaniumPackage read(String server, String name, String reply) throws TaniumPackage.Refused {
        TaniumPackage pkg = TaniumPackage.read(mapper, reply);
        packages.put(server + "\u0000" + name, pkg);
        return pkg;
    }
}
