package io.github.taniumroutes.tanium;

import java.util.concurrent.ExecutorService;

import org.apache.camel.CamelContext;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/**
 * The threads that make the batches' lookup and read requests (enrich-batch), {@code tanium.enrich.batch-workers}
 * of them for every intake and consumer of this instance together: one pool, as a bean, because an
 * EIP that names a thread pool profile makes a pool of its own. Not the alerts' pool, whose threads
 * may be waiting for exactly these requests.
 */
public class EnrichCalls {

    public static final String BEAN = "enrichCalls";

    @Produces
    @Singleton
    @Named(BEAN)
    ExecutorService enrichCalls(CamelContext camel, @ConfigProperty(name = "tanium.enrich.batch-workers") int workers) {
        if (workers < 1) {
            throw new IllegalArgumentException("tanium.enrich.batch-workers must be at least 1, was " + workers);
        }
        return camel.getExecutorServiceManager().newFixedThreadPool(this, "EnrichCalls", workers);
    }
}
