package io.github.taniumroutes.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.taniumroutes.e2e.KafkaAndSimulator;
import io.github.taniumroutes.simulator.RecordedRequest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;

/**
 * A server's request rate through the real routes: server "paced" (the simulator, at most 4
 * requests a second from this instance) gets its calls spaced at least 250 ms apart, however fast
 * the alerts come.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaAndSimulator.class, restrictToAnnotatedClass = false)
class TaniumLimitsRoutesTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String GATEWAY = "/plugin/products/gateway/graphql";

    @Inject
    ProducerTemplate producer;

    @Test
    void callsToAPacedServerAreSpacedByItsRate() throws Exception {
        KafkaAndSimulator.simulator().faults().clear();
        // The first call to a server also opens its endpoint and connection; the spacing is measured after it.
        enrichVia("paced", "paced-warm-up", "PACED-WARM-UP");
        KafkaAndSimulator.simulator().clearRequests();
        for (int i = 0; i < 5; i++) {
            // A host name of its own each time, so no lookup is answered from the cache.
            assertThat(enrichVia("paced", "paced-" + i, "PACED-HOST-" + i)).isNotEqualTo("tanium_error");
        }

        List<RecordedRequest> calls = KafkaAndSimulator.simulator().requests(GATEWAY);
        assertThat(calls).hasSize(5);
        assertThat(calls.get(4).receivedAtMillis() - calls.get(0).receivedAtMillis())
                .as("5 calls at 4 a second span at least 4 intervals of 250 ms (less arrival jitter)").isGreaterThanOrEqualTo(940);
    }

    private String enrichVia(String server, String alertId, String hostname) throws Exception {
        String alert = MAPPER.createObjectNode().put("schemaVersion", 1).put("id", alertId).put("hostname", hostname).toString();
        Exchange exchange = producer.getCamelContext().getEndpoint("direct:enrich").createExchange();
        exchange.setVariable("alert", producer.getCamelContext().getRegistry().lookupByNameAndType("alertParser",
                io.github.taniumroutes.alert.AlertParser.class).parse(alert.getBytes(StandardCharsets.UTF_8)));
        exchange.setVariable("taniumServer", server);
        exchange.setVariable("receivedAt", System.currentTimeMillis());
        producer.send("direct:enrich", exchange);
        return exchange.getVariable("outcome", String.class);
    }
}
