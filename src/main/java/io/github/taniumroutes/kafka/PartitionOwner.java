package io.github.taniumroutes.kafka;

import java.util.Collection;

/**
 * Something that acts on the partitions of one topic this instance is assigned: the investigations
 * it resumes, the alert poller it runs. {@link PartitionOwners} tells it, from the consumer's own
 * rebalance, before Camel's listener is told of a revocation and after it is told of an assignment.
 */
public interface PartitionOwner {

    /** The topic whose partitions it owns. */
    String topic();

    void assigned(Collection<Integer> partitions);

    void revoked(Collection<Integer> partitions);
}
