package io.github.taniumroutes.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** A saved question's row as Tanium Connect posts it: an alert about its computer, with an id from its content. */
class TaniumConnectRowFormatTest {

    private final AlertParser parser = Fixtures.parser();

    private CanonicalAlert parse(String row) throws Exception {
        return parser.parse(row.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aRowIsAnAlertAboutItsComputer() throws Exception {
        CanonicalAlert alert = parse("{\"Computer Name\":\"WS-0142\",\"IP Address\":\"10.20.30.41\",\"Saved Question\":\"Unsigned drivers\","
                + "\"Severity\":\"high\",\"Driver\":\"evil.sys\",\"Count\":\"1\"}");
        assertThat(alert.format()).isEqualTo("tanium-connect-row");
        assertThat(alert.source()).isEqualTo("tanium-connect");
        assertThat(alert.hostname()).isEqualTo("WS-0142");
        assertThat(alert.ip()).isEqualTo("10.20.30.41");
        assertThat(alert.rule()).isEqualTo("Unsigned drivers");
        assertThat(alert.severity()).isEqualTo("high");
        assertThat(alert.raw().path("Driver").asText()).isEqualTo("evil.sys");
    }

    @Test
    void theSameRowIsTheSameAlertAndAnotherRowAnother() throws Exception {
        String row = "{\"Computer Name\":\"WS-0142\",\"Driver\":\"evil.sys\"}";
        assertThat(parse(row).id()).startsWith("tanium-connect-row:sha256:").isEqualTo(parse(row).id());
        assertThat(parse("{\"Computer Name\":\"WS-0142\",\"Driver\":\"other.sys\"}").id()).isNotEqualTo(parse(row).id());
    }

    @Test
    void aRowWithoutAComputerNameIsNotThisFormat() {
        assertThatThrownBy(() -> parse("{\"Computer name\":\"WS-0142\"}")).isInstanceOf(InvalidAlertException.class)
                .hasMessageContaining("none of the known alert formats");
    }
}
