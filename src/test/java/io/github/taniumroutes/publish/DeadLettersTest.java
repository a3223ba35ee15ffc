package io.github.taniumroutes.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.taniumroutes.alert.CanonicalAlert;
import io.github.taniumroutes.alert.InvalidAlertException;
import org.junit.jupiter.api.Test;

class DeadLettersTest {

    private final DeadLetters deadLetters = new DeadLetters();

    private static CanonicalAlert alert(String id) {
        return new CanonicalAlert(id, "test", "canonical", null, "high", null, null, "WS-1", null, null,
                null, null, null, null);
    }

    @Test
    void invalidAlertCarriesItsOwnReason() {
        assertThat(deadLetters.reason(new InvalidAlertException("malformed_json", "not JSON"))).isEqualTo("malformed_json");
    }

    @Test
    void anyOtherFailureIsAnInternalError() {
        assertThat(deadLetters.reason(new IllegalStateException("boom"))).isEqualTo("internal_error");
        assertThat(deadLetters.reason(null)).isEqualTo("internal_error");
    }

    @Test
    void alertIdComesFromTheParsedAlertFirst() {
        assertThat(deadLetters.alertId(new InvalidAlertException("r", "d", "from-exception"), alert("from-alert")))
                .isEqualTo("from-alert");
    }

    @Test
    void alertIdComesFromTheParserExceptionWithoutAnAlert() {
        assertThat(deadLetters.alertId(new InvalidAlertException("r", "d", "from-exception"), null))
                .isEqualTo("from-exception");
    }

    @Test
    void alertIdIsUnknownOtherwise() {
        assertThat(deadLetters.alertId(new RuntimeException("x"), null)).isNull();
        assertThat(deadLetters.alertId(new InvalidAlertException("r", "d"), null)).isNull();
    }

    @Test
    void invalidAlertDetailIsItsMessage() {
        assertThat(deadLetters.detail(new InvalidAlertException("wrong_type", "field 'pid' is not a number")))
                .isEqualTo("field 'pid' is not a number");
    }

    @Test
    void otherDetailIsTypeAndMessage() {
        assertThat(deadLetters.detail(new IllegalArgumentException("bad thing"))).isEqualTo("IllegalArgumentException: bad thing");
        assertThat(deadLetters.detail(new NullPointerException())).isEqualTo("NullPointerException");
        assertThat(deadLetters.detail(null)).isEqualTo("unknown failure");
    }

    @Test
    void detailIsBounded() {
        String detail = deadLetters.detail(new IllegalStateException("y".repeat(1000)));

        assertThat(detail).hasSize(501).endsWith("…");
        assertThat(detail).isEqualTo(("IllegalStateException: " + "y".repeat(1000)).substring(0, 500) + "…");
    }

    @Test
    void detailOfExactly500CharactersIsNotCut() {
        String message = "z".repeat(500);

        assertThat(deadLetters.detail(new InvalidAlertException("oversized", message))).isEqualTo(message);
    }
}
