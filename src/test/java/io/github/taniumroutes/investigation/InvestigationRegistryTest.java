package io.github.taniumroutes.investigation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;


/** Which requests of a batch become investigations here. */
class InvestigationRegistryTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final DefaultCamelContext camel = new DefaultCamelContext();
    private final InvestigationRegistry registry = new InvestigationRegistry(null,
            new InvestigationRequests(MAPPER, Investigations.flows(Investigations.SNAPSHOT)), new InvestigationCapacity(10, 5),
            new EndpointSessions(), null, Duration.ofHours(1), Duration.ofSeconds(1));

    @Test
    void newRequestsAreAcceptedForTheirPartitionOnceEach() throws Exception {
        Investigation first = Investigations.on("a1", "1003");
        List<Investigation> accepted = registry.accept(List.of(record(first, 2), record(first, 2),
                record(Investigations.on("a2", "1004"), 0)));

        assertThat(accepted).extracting(Investigation::getId).containsExactly("inv-a1", "inv-a2");
        assertThat(accepted).extracting(Investigation::getPartition).containsExactly(2, 0);
        assertThat(accepted).extracting(Investigation::getStepType).containsOnly("snapshot");
        assertThat(accepted).extracting(Investigation::getPhase).as("begun by the runner").containsOnly((String) null);

        registry.start(accepted.get(0));
        assertThat(registry.accept(List.of(record(first, 2)))).as("already running here").isEmpty();
        assertThat(registry.inFlight()).isEqualTo(1);
    }

    @Test
    void anUnreadableRequestIsSkippedNotAllowedToBlockThePartition() throws Exception {
        Exchange garbage = exchange("{not json".getBytes(), 1);
        Exchange noTarget = exchange("{\"investigationId\":\"x\",\"server\":\"default\"}".getBytes(), 1);

        assertThat(registry.accept(List.of(garbage, noTarget, record(Investigations.on("a3", "1005"), 1))))
                .extracting(Investigation::getId).containsExactly("inv-a3");
    }

    private Exchange record(Investigation investigation, int partition) throws Exception {
        return exchange(MAPPER.writeValueAsBytes(investigation.getRequest()), partition);
    }

    private Exchange exchange(byte[] value, int partition) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setBody(value);
        exchange.getMessage().setHeader(KafkaConstants.PARTITION, partition);
        exchange.getMessage().setHeader(KafkaConstants.TOPIC, "investigations");
        exchange.getMessage().setHeader(KafkaConstants.OFFSET, 7L);
        return exchange;
    }
}
