package io.github.taniumroutes.investigation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.taniumroutes.alert.CanonicalAlert;
import io.github.taniumroutes.tanium.TaniumEndpoint;
import org.junit.jupiter.api.Test;

/** Threat Response is asked for the endpoint's computer id; its results stay keyed by the Gateway id. */
class InvestigationRequestsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final InvestigationRequests requests = new InvestigationRequests(MAPPER, Duration.ofMinutes(10), Duration.ofMinutes(30));
    private final CanonicalAlert alert = new CanonicalAlert("a-1", "canonical", "canonical", null, "high", null, null, "WS-0142",
            null, null, null, null, null, null);

    @Test
    void theTargetNamesTheComputerIdAsClientIdAndKeepsTheGatewayId() {
        TaniumEndpoint endpoint = new TaniumEndpoint("1003", "WS-0142", "10.20.30.41", "Windows", "9065203");

        InvestigationRequest request = requests.read(requests.request("snapshot", alert, endpoint, "default", null)
                .getBytes(StandardCharsets.UTF_8));

        assertThat(request.target().clientId()).isEqualTo("9065203");
        assertThat(request.target().endpointId()).isEqualTo("1003");
        assertThat(request.target().resultKey()).isEqualTo("1003");
    }

    @Test
    void withoutAComputerIdThereIsNoThreatResponseTarget() {
        TaniumEndpoint endpoint = new TaniumEndpoint("1003", "WS-0142", "10.20.30.41", "Windows");

        assertThatThrownBy(() -> requests.request("snapshot", alert, endpoint, "default", null))
                .hasMessageContaining("computerID");
    }

    @Test
    void aRequestWrittenBeforeTheGatewayIdWasKeptStillReadsAndIsKeyedAsBefore() {
        // As the landed code wrote it (2026-12-02): the Gateway id in clientId, no endpointId.
        String recorded = "{\"schemaVersion\":1,\"investigationId\":\"inv-1\",\"alertId\":\"a-1\",\"type\":\"snapshot\","
                + "\"server\":\"default\",\"target\":{\"clientId\":\"1003\",\"hostname\":\"WS-0142\",\"ip\":\"10.20.30.41\","
                + "\"platform\":\"Windows\"},\"rule\":\"r\",\"policyVersion\":\"v\",\"requestedAt\":\"2026-12-02T10:00:00Z\","
                + "\"connectDeadlineMs\":600000,\"snapshotDeadlineMs\":1800000}";

        InvestigationRequest request = requests.read(recorded.getBytes(StandardCharsets.UTF_8));

        assertThat(request.target().endpointId()).isNull();
        assertThat(request.target().resultKey()).isEqualTo("1003");
    }
}
