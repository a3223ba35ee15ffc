package io.github.taniumroutes.tanium;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SensorRequestTest {

    @Test
    void hashSensorsTakeTheHashType() {
        assertThat(SensorRequest.named("Running Processes with Hash"))
                .isEqualTo(new SensorRequest("Running Processes with Hash", true, false));
        assertThat(SensorRequest.named("Service Status with Hash"))
                .isEqualTo(new SensorRequest("Service Status with Hash", true, false));
    }

    @Test
    void networkDetailsTakesHashTypeAndHostOrIp() {
        assertThat(SensorRequest.named("Network Details")).isEqualTo(new SensorRequest("Network Details", true, true));
    }

    @Test
    void otherSensorsTakeNoParameter() {
        assertThat(SensorRequest.named("Logged In Users")).isEqualTo(new SensorRequest("Logged In Users", false, false));
    }

    @Test
    void nameIsTrimmedBeforeMatching() {
        assertThat(SensorRequest.named("  Network Details\t")).isEqualTo(new SensorRequest("Network Details", true, true));
    }

    @Test
    void matchingIsCaseSensitiveLikeTaniumSensorNames() {
        assertThat(SensorRequest.named("network details")).isEqualTo(new SensorRequest("network details", false, false));
    }
}
