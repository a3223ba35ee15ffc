package io.github.taniumroutes.tanium;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Each Tanium server's held alerts wait on a topic named after it, which Kafka must accept. */
class HeldAlertIntakesTest {

    private final HeldAlertIntakes intakes = new HeldAlertIntakes(null, null, null, "alerts.held.", "tanium-response-routes-held");

    @Test
    void aServersHeldAlertsWaitOnTheTopicNamedAfterIt() {
        assertThat(intakes.topicFor("default")).isEqualTo("alerts.held.default");
        assertThat(intakes.topicFor("emea-2")).isEqualTo("alerts.held.emea-2");
        assertThat(HeldAlertIntakes.routeIdFor("emea-2")).isEqualTo("held-alert-intake-emea-2");
    }

    @Test
    void aServerNameKafkaCannotUseIsRefusedWithTheSettingToChange() {
        assertThatThrownBy(() -> intakes.topicFor("emea/2"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'emea/2'")
                .hasMessageContaining("tanium.servers.<name>")
                .hasMessageContaining("alerts.held.topic-prefix");
    }
}
