package io.github.taniumroutes.tanium;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.taniumroutes.kafka.RecordSource;

/**
 * One Gateway request of live reads for up to {@code tanium.enrich.endpoints-per-read} endpoints of a
 * batch (batchReads plans it, the route sensor-reads asks it page by page). Endpoints that need the
 * same read (same sensor fields, parameters included) form one group, asked in one aliased
 * {@code endpoints} field filtered on their ids; each group pages on its own.
 */
public final class ReadChunk {

    /**
     * A live read one endpoint needs: the shared-read key (server and the alert's own request), the
     * endpoint, its sensor fields as written in the request, the sensors, and the first alert of the batch that needs it.
     */
    record Read(String key, TaniumEndpoint endpoint, String fields, List<SensorRequest> sensors, RecordSource owner) {
    }

    /** The reads asked in one field ({@code alias}): the same fields, several endpoints. */
    static final class Group {
        private final String alias;
        private final String fields;
        private final List<SensorRequest> sensors;
        private final List<Read> reads = new ArrayList<>();
        private final PageCursor cursor = new PageCursor();
        private final Map<String, Map<String, SensorRows>> readings = new HashMap<>();

        Group(String alias, String fields, List<SensorRequest> sensors) {
            this.alias = alias;
            this.fields = fields;
            this.sensors = sensors;
        }

        String alias() {
            return alias;
        }

        String fields() {
            return fields;
        }

        List<SensorRequest> sensors() {
            return sensors;
        }

        List<Read> reads() {
            return reads;
        }

        String after() {
            return cursor.after();
        }

        boolean more() {
            return cursor.more();
        }

        void add(GatewayPage<Map.Entry<String, Map<String, SensorRows>>> page) {
            for (Map.Entry<String, Map<String, SensorRows>> node : page.nodes()) {
                if (node.getKey() != null) {
                    readings.putIfAbsent(node.getKey(), node.getValue());
                }
            }
            cursor.next(page.hasNextPage(), page.endCursor());
        }

        /** The readings the reply brought for this endpoint id, or null. */
        Map<String, SensorRows> readingsOf(String endpointId) {
            return readings.get(endpointId);
        }
    }

    private final String server;
    private final List<Read> reads;
    private final Map<String, Group> groups = new LinkedHashMap<>();

    ReadChunk(String server, List<Read> reads) {
        if (reads.isEmpty()) {
            throw new IllegalArgumentException("a read asks for at least one endpoint");
        }
        this.server = server;
        this.reads = List.copyOf(reads);
        for (Read read : reads) {
            groups.computeIfAbsent(read.fields(), fields -> new Group("read" + groups.size(), fields, read.sensors())).reads.add(read);
        }
    }

    /** The Tanium server asked. */
    public String getServer() {
        return server;
    }

    /** True until every group's last page is in: the route asks again while this holds. */
    public boolean isMorePages() {
        return groups.values().stream().anyMatch(Group::more);
    }

    /** The reads, in the batch's order. */
    List<Read> reads() {
        return reads;
    }

    List<Group> groups() {
        return List.copyOf(groups.values());
    }

    /** The groups still to ask (all at first; then those with a next page). */
    List<Group> groupsToAsk() {
        return groups.values().stream().filter(Group::more).toList();
    }

    Group group(String alias) {
        return groups.values().stream().filter(g -> g.alias().equals(alias)).findFirst().orElse(null);
    }

    /** The group this read is asked in. */
    Group groupOf(Read read) {
        return groups.get(read.fields());
    }

    @Override
    public String toString() {
        return "live read of " + reads.size() + " endpoints on " + server;
    }
}
