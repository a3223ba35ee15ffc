package io.github.taniumroutes.tanium;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.taniumroutes.kafka.RecordSource;

/**
 * One Tanium Data Service request for many hosts of a batch (batchLookups plans it, the route
 * endpoint-lookups asks it page by page): the hosts, each with the alert it is asked for first, and
 * the endpoints the pages brought so far.
 */
public final class LookupChunk {

    /** A host to look up: its cache key, the filter that finds it, and the first alert of the batch that needs it. */
    record Host(String key, EndpointLookup lookup, RecordSource owner) {
    }

    private final String server;
    private final List<Host> hosts;
    private final PageCursor cursor = new PageCursor();
    private final Map<String, TaniumEndpoint> found = new LinkedHashMap<>();
    private final List<TaniumEndpoint> withoutId = new ArrayList<>();

    LookupChunk(String server, List<Host> hosts) {
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("a lookup asks for at least one host");
        }
        this.server = server;
        this.hosts = List.copyOf(hosts);
    }

    /** The Tanium server asked. */
    public String getServer() {
        return server;
    }

    /** True until the last page is in: the route asks again while this holds. */
    public boolean isMorePages() {
        return cursor.more();
    }

    List<Host> hosts() {
        return hosts;
    }

    String after() {
        return cursor.after();
    }

    void add(GatewayPage<TaniumEndpoint> page) {
        for (TaniumEndpoint endpoint : page.nodes()) {
            if (endpoint.id() == null) {
                withoutId.add(endpoint);
            } else {
                found.putIfAbsent(endpoint.id(), endpoint);
            }
        }
        cursor.next(page.hasNextPage(), page.endCursor());
    }

    /** Every endpoint the reply brought, each once. */
    List<TaniumEndpoint> found() {
        List<TaniumEndpoint> all = new ArrayList<>(found.values());
        all.addAll(withoutId);
        return all;
    }

    @Override
    public String toString() {
        return "lookup of " + hosts.size() + " hosts on " + server;
    }
}
