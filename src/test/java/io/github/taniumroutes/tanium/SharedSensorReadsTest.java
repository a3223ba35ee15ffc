package io.github.taniumroutes.tanium;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import io.github.taniumroutes.kafka.RecordSource;

/** A live read is shared by the alerts of its batch however long the batch takes, and across batches only within the window. */
class SharedSensorReadsTest {

    private static final String READ = "{\"query\":\"query SensorReadings ...\",\"variables\":{\"hostname\":\"WS-1\",\"id\":\"1\"}}";
    private static final Map<String, SensorRows> READINGS = Map.of("Logged In Users", new SensorRows(List.of(Map.of("User", "alice")), null));

    private final DefaultCamelContext camel = new DefaultCamelContext();
    private long offsets;
    /** No window: only the batch and calls at once share. */
    private final SharedSensorReads reads = new SharedSensorReads(Duration.ZERO, 100, Duration.ofSeconds(5));

    @Test
    void theLaterAlertsOfABatchShareItsReadAndTheNextBatchReadsAgain() throws Exception {
        EnrichBatch batch = new EnrichBatch();
        Exchange first = alert(batch);
        reads.join(first);
        assertThat(first.getVariable("sensorReadings")).as("the first alert reads").isNull();
        first.setVariable("sensorReadings", READINGS);
        reads.completed(first);
        assertThat(first.getVariable("readingsShared", Boolean.class)).isFalse();

        Exchange later = alert(batch);
        reads.join(later);
        assertThat(later.getVariable("sensorReadings")).as("a later alert of the batch").isEqualTo(READINGS);
        assertThat(later.getVariable("readingsShared", Boolean.class)).isTrue();
        assertThat(later.getVariable("readingsTakenAt")).isEqualTo(first.getVariable("readingsTakenAt"));

        Exchange nextBatch = alert(new EnrichBatch());
        reads.join(nextBatch);
        assertThat(nextBatch.getVariable("sensorReadings")).as("no window: the next batch reads again").isNull();
        IllegalStateException notAsked = new IllegalStateException("not asked");
        assertThatThrownBy(() -> reads.failed(nextBatch.getVariable(SharedSensorReads.KEY, String.class), notAsked)).isSameAs(notAsked);
    }

    private Exchange alert(EnrichBatch batch) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.setVariable("taniumServer", "default");
        exchange.setVariable(SharedSensorReads.BATCH, batch);
        exchange.setVariable("source", new RecordSource("alerts", 0, offsets++));
        exchange.getMessage().setBody(READ);
        return exchange;
    }
}
