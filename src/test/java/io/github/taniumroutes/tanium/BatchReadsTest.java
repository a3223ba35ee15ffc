package io.github.taniumroutes.tanium;

import static io.github.taniumroutes.tanium.BatchLookupsTest.source;
import static io.github.taniumroutes.tanium.TestAlerts.alert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.taniumroutes.alert.CanonicalAlert;

/**
 * The live reads of a batch's endpoints in requests of up to N endpoints: chunked, grouped by the read
 * each endpoint needs, split back per id, an endpoint missing from the reply and a failed request each
 * confined to their own endpoints, each read "not shared" for the first alert that needed it.
 */
class BatchReadsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Map<String, SensorRows> READINGS = Map.of("Logged In Users", new SensorRows(List.of(Map.of("User", "alice")), null));

    private final DefaultCamelContext camel = new DefaultCamelContext();
    private final GatewayQueries queries;
    private final SharedSensorReads shared = new SharedSensorReads(Duration.ofSeconds(30), 1000, Duration.ofSeconds(5));

    BatchReadsTest() throws IOException {
        queries = new GatewayQueries(MAPPER, Files.readString(Path.of("config/graphql/endpoint-lookup.graphql")),
                Files.readString(Path.of("config/graphql/sensor-readings.graphql")),
                Files.readString(Path.of("config/graphql/endpoint-lookups.graphql")),
                Files.readString(Path.of("config/graphql/sensor-readings-of-many.graphql")),
                List.of("Logged In Users", "Network Details"), "SHA256");
    }

    @Test
    void twoHundredAndFiftyEndpointsAreReadInThreeRequestsOfAtMostOneHundred() {
        List<CanonicalAlert> alerts = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            alerts.add(alert("a" + i, "scale-" + i, null, null));
        }
        alerts.add(alert("again", "scale-7", null, null));
        EnrichBatch batch = foundOnePerAlert(alerts);

        List<ReadChunk> chunks = new BatchReads(shared, queries, 100).chunks(batch);

        assertThat(chunks).extracting(chunk -> chunk.reads().size()).containsExactly(100, 100, 50);
        assertThat(chunks.get(0).reads().get(7).owner()).isEqualTo(source(7));
        assertThat(chunks.get(0).groups()).as("HOSTORIP is each alert's host: a field per endpoint").hasSize(100);
    }

    @Test
    void endpointsThatNeedTheSameReadShareOneFieldOfTheRequest() {
        List<CanonicalAlert> alerts = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            alerts.add(alert("a" + i, "scale-" + i, null, null));
        }
        EnrichBatch batch = foundOnePerAlert(alerts, List.of("Logged In Users"));

        List<ReadChunk> chunks = new BatchReads(shared, queries, 100).chunks(batch);

        assertThat(chunks).singleElement().satisfies(chunk -> {
            assertThat(chunk.groups()).singleElement().satisfies(group -> assertThat(group.reads()).hasSize(5));
        });
    }

    @Test
    void theReplyIsSplitBackPerEndpointAndAnEndpointMissingFromItFailsAlone() throws Exception {
        EnrichBatch batch = foundOnePerAlert(List.of(alert("a0", "scale-0", null, null), alert("a1", "scale-1", null, null),
                alert("a2", "scale-0", null, null)));
        ReadChunk chunk = new BatchReads(shared, queries, 100).chunks(batch).get(0);
        chunk.group("read0").add(new GatewayPage<>(List.of(new AbstractMap.SimpleImmutableEntry<>("100000", READINGS)), false, null));
        chunk.group("read1").add(new GatewayPage<>(List.of(), false, null));

        new BatchReads(shared, queries, 100).answered(chunk, batch);

        Exchange first = readOf(batch, alert("a0", "scale-0", null, null), "100000", 0);
        assertThat(first.getVariable("sensorReadings")).isEqualTo(READINGS);
        assertThat(first.getVariable("readingsShared", Boolean.class)).as("read for it").isFalse();
        Exchange later = readOf(batch, alert("a2", "scale-0", null, null), "100000", 2);
        assertThat(later.getVariable("readingsShared", Boolean.class)).as("a later alert of the batch").isTrue();
        assertThat(later.getVariable("readingsTakenAt")).isEqualTo(first.getVariable("readingsTakenAt"));
        assertThatThrownBy(() -> readOf(batch, alert("a1", "scale-1", null, null), "100001", 1))
                .isInstanceOf(TaniumException.class)
                .hasMessage("the live sensor read returned nothing for endpoint 100001 (offline, or no longer that id; read together with 1 other endpoints)");
        assertThat(List.of(0, 1, 2)).as("a read made for a0 and for a1; a2 shares a0's")
                .extracting(i -> batch.callsMadeFor(source(i))).containsExactly(1, 1, 0);
    }

    @Test
    void aFailedRequestFailsItsOwnEndpointsOnly() throws Exception {
        List<CanonicalAlert> alerts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            alerts.add(alert("a" + i, "scale-" + i, null, null));
        }
        EnrichBatch batch = foundOnePerAlert(alerts);
        List<ReadChunk> chunks = new BatchReads(shared, queries, 2).chunks(batch);
        TaniumException gatewayError = new TaniumException("GraphQL error: simulated Gateway failure");

        new BatchReads(shared, queries, 2).failed(chunks.get(0), batch, gatewayError);
        for (ReadChunk.Group group : chunks.get(1).groups()) {
            String id = group.reads().get(0).endpoint().id();
            group.add(new GatewayPage<>(List.of(new AbstractMap.SimpleImmutableEntry<>(id, READINGS)), false, null));
        }
        new BatchReads(shared, queries, 2).answered(chunks.get(1), batch);

        assertThatThrownBy(() -> readOf(batch, alerts.get(0), "100000", 0)).isSameAs(gatewayError);
        assertThatThrownBy(() -> readOf(batch, alerts.get(1), "100001", 1)).isSameAs(gatewayError);
        assertThat(readOf(batch, alerts.get(2), "100002", 2).getVariable("sensorReadings")).isEqualTo(READINGS);
        assertThat(readOf(batch, alerts.get(3), "100003", 3).getVariable("sensorReadings")).isEqualTo(READINGS);
        assertThat(List.of(0, 1, 2, 3)).extracting(i -> batch.callsMadeFor(source(i))).containsOnly(1);
    }

    @Test
    void readingsTakenWithinTheWindowAreTheBatchsAtOnceAndSharedByAll() throws Exception {
        CanonicalAlert alert = alert("a0", "scale-0", null, null);
        TaniumEndpoint endpoint = endpoint(0);
        String key = SharedSensorReads.key("default", queries.sensorReadingsFor(alert, endpoint, queries.sensors()));
        assertThat(shared.lead(key)).isTrue();
        shared.completed(key, READINGS);
        EnrichBatch batch = foundOnePerAlert(List.of(alert));

        assertThat(new BatchReads(shared, queries, 100).chunks(batch)).isEmpty();
        assertThat(readOf(batch, alert, "100000", 0).getVariable("readingsShared", Boolean.class)).isTrue();
    }

    @Test
    void alertsWithoutExactlyOneEndpointNeedNoRead() {
        EnrichBatch batch = new EnrichBatch();
        add(batch, 0, alert("a0", "NOWHERE", null, null), null);
        add(batch, 1, alert("a1", "TWICE", null, null), null);
        batch.lookedUp(EndpointLookupCache.key("default", new EndpointLookup("name", "NOWHERE")),
                EnrichBatch.Outcome.answered(new SharedCalls.Answer<>(List.of(), 0, false), source(0)));
        batch.lookedUp(EndpointLookupCache.key("default", new EndpointLookup("name", "TWICE")),
                EnrichBatch.Outcome.answered(new SharedCalls.Answer<>(List.of(endpoint(1), endpoint(2)), 0, false), source(1)));

        assertThat(new BatchReads(shared, queries, 100).chunks(batch)).isEmpty();
    }

    /** A batch whose alert i found endpoint 100000 + n for host scale-n. */
    private EnrichBatch foundOnePerAlert(List<CanonicalAlert> alerts) {
        return foundOnePerAlert(alerts, null);
    }

    /** The same, the alerts' rule naming {@code sensors} (null: the configured ones). */
    private EnrichBatch foundOnePerAlert(List<CanonicalAlert> alerts, List<String> sensors) {
        EnrichBatch batch = new EnrichBatch();
        for (int i = 0; i < alerts.size(); i++) {
            add(batch, i, alerts.get(i), sensors);
            int n = Integer.parseInt(alerts.get(i).hostname().substring("scale-".length()));
            batch.lookedUp(EndpointLookupCache.key("default", EndpointLookup.of(alerts.get(i))),
                    EnrichBatch.Outcome.answered(new SharedCalls.Answer<>(List.of(endpoint(n)), 0, false), source(i)));
        }
        return batch;
    }

    private static void add(EnrichBatch batch, int index, CanonicalAlert alert, List<String> sensors) {
        batch.add(new EnrichBatch.Alert(source(index), index, alert, "default", sensors));
    }

    private static TaniumEndpoint endpoint(int n) {
        return new TaniumEndpoint(String.valueOf(100_000 + n), "scale-" + n, null, "Linux");
    }

    /** What the alert's own sensor-read step gets: its batch's read of its request. */
    private Exchange readOf(EnrichBatch batch, CanonicalAlert alert, String endpointId, int index) throws Exception {
        TaniumEndpoint endpoint = new TaniumEndpoint(endpointId, alert.hostname(), null, "Linux");
        Exchange exchange = new DefaultExchange(camel);
        exchange.setVariable("taniumServer", "default");
        exchange.setVariable(SharedSensorReads.BATCH, batch);
        exchange.setVariable("source", source(index));
        exchange.getMessage().setBody(queries.sensorReadingsFor(alert, endpoint, queries.sensors()));
        shared.join(exchange);
        assertThat(exchange.getVariable("sensorReadings")).as("answered by the batch, not left to read").isNotNull();
        return exchange;
    }
}
