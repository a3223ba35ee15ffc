package io.github.taniumroutes.investigation;

import java.util.Collection;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.github.taniumroutes.kafka.PartitionOwner;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * The investigations' side of a rebalance of the request topic (told by kafka.PartitionOwners): this
 * instance resumes the investigations of every request partition it is assigned and lets go of those
 * it loses.
 */
@Singleton
public class InvestigationRebalance implements PartitionOwner {

    private final String requestsTopic;
    private final InvestigationRegistry registry;

    @Inject
    public InvestigationRebalance(@ConfigProperty(name = "investigations.topic") String requestsTopic,
            InvestigationRegistry registry) {
        this.requestsTopic = requestsTopic;
        this.registry = registry;
    }

    @Override
    public String topic() {
        return requestsTopic;
    }

    @Override
    public void assigned(Collection<Integer> partitions) {
        registry.assigned(partitions);
    }

    @Override
    public void revoked(Collection<Integer> partitions) {
        registry.revoked(partitions);
    }
}
