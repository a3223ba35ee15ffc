package io.github.taniumroutes.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.taniumroutes.e2e.KafkaAndSimulator;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;

/**
 * TLS to Tanium through the real routes, against two HTTPS simulators configured as named Tanium
 * servers: one whose self-signed certificate is in the configured trust store (tanium.tls.truststore.*),
 * one whose certificate nothing trusts. Verification is on: the second must fail.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaAndSimulator.class, restrictToAnnotatedClass = false)
class TaniumTlsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Inject
    ProducerTemplate producer;

    @Test
    void aSelfSignedServerInTheTrustStoreIsReachedOverHttps() throws Exception {
        JsonNode result = enrichVia("selfsigned", "tls-trusted");

        assertThat(result.path("outcome").asText()).isEqualTo("enriched");
        assertThat(result.path("taniumServer").asText()).isEqualTo("selfsigned");
        assertThat(result.path("endpoint").path("id").asText()).isEqualTo("1005");
    }

    @Test
    void aServerWhoseCertificateNobodyTrustsIsRefused() throws Exception {
        JsonNode result = enrichVia("untrusted", "tls-untrusted");

        assertThat(result.path("outcome").asText()).isEqualTo("tanium_error");
        assertThat(result.path("reason").asText()).contains("SSLHandshakeException");
    }

    @Test
    void aServerWithATrustStoreOfItsOwnIsReachedWithItAndNoOtherIs() throws Exception {
        JsonNode own = enrichVia("owntrust", "tls-own-trust");
        assertThat(own.path("outcome").asText()).as("its certificate is in its own trust store only").isEqualTo("enriched");
        assertThat(own.path("taniumServer").asText()).isEqualTo("owntrust");

        // The global trust store does not hold it, and its own store serves no other server.
        assertThat(enrichVia("untrusted", "tls-untrusted-still").path("outcome").asText()).isEqualTo("tanium_error");
        assertThat(enrichVia("selfsigned", "tls-trusted-still").path("outcome").asText()).isEqualTo("enriched");
    }

    /** Runs the enrich and result routes for an alert addressed to the named Tanium server. */
    private JsonNode enrichVia(String server, String alertId) throws Exception {
        String alert = MAPPER.createObjectNode().put("schemaVersion", 1).put("id", alertId).put("hostname", "MAC-0007").toString();
        Exchange exchange = producer.getCamelContext().getEndpoint("direct:enrich").createExchange();
        exchange.setVariable("alert", producer.getCamelContext().getRegistry().lookupByNameAndType("alertParser",
                io.github.taniumroutes.alert.AlertParser.class).parse(alert.getBytes(StandardCharsets.UTF_8)));
        exchange.setVariable("taniumServer", server);
        exchange.setVariable("receivedAt", System.currentTimeMillis());
        producer.send("direct:enrich", exchange);
        Exchange result = producer.send("direct:enrichment-result", exchange);
        return MAPPER.readTree(result.getMessage().getBody(String.class));
    }
}
