package io.github.taniumroutes.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * Hostile JSON ends as malformed_json naming the limit it hit, whatever Jackson's exception looks
 * like (its stream-limit exceptions carry no location). Each limit is tried just under and just over.
 */
class AlertParserLimitsTest {

    private static final JsonReadLimits LIMITS = new JsonReadLimits(20, 30, 2000, 40);
    private final AlertParser parser = new AlertParser(new ObjectMapper(), 1_000_000, 64, LIMITS);

    private static String canonical(String extraField) {
        return "{\"schemaVersion\":1,\"id\":\"limits-1\",\"hostname\":\"WS-1\"," + extraField + "}";
    }

    private InvalidAlertException rejection(String json) {
        InvalidAlertException e = catchThrowableOfType(InvalidAlertException.class,
                () -> parser.parse(json.getBytes(StandardCharsets.UTF_8)));
        assertThat(e).as("the parser should have rejected the record").isNotNull();
        return e;
    }

    private void accepted(String json) throws InvalidAlertException {
        assertThat(parser.parse(json.getBytes(StandardCharsets.UTF_8)).id()).isEqualTo("limits-1");
    }

    private static String nested(int depth) {
        // The alert object itself is one level.
        return "\"deep\":" + "[".repeat(depth - 1) + "]".repeat(depth - 1);
    }

    @Test
    void nestingAtTheLimitIsReadAndOneDeeperIsMalformedNamingTheLimit() throws Exception {
        accepted(canonical(nested(20)));
        InvalidAlertException e = rejection(canonical(nested(21)));
        assertThat(e.reason()).isEqualTo("malformed_json");
        assertThat(e.getMessage()).contains("alerts.json.max-nesting-depth").contains("20");
    }

    @Test
    void tenThousandLevelsAreMalformedNotAnInternalError() {
        InvalidAlertException e = rejection(canonical(nested(10_000)));
        assertThat(e.reason()).isEqualTo("malformed_json");
        assertThat(e.getMessage()).contains("alerts.json.max-nesting-depth");
    }

    @Test
    void numberAtTheLimitIsReadAndOneDigitLongerIsMalformedNamingTheLimit() throws Exception {
        accepted(canonical("\"n\":" + "9".repeat(30)));
        InvalidAlertException e = rejection(canonical("\"n\":" + "9".repeat(31)));
        assertThat(e.reason()).isEqualTo("malformed_json");
        assertThat(e.getMessage()).contains("alerts.json.max-number-length").contains("30");
    }

    @Test
    void fiveThousandDigitNumberIsMalformedWithTheDefaultLimits() {
        AlertParser defaults = new AlertParser(new ObjectMapper(), 1_000_000);
        InvalidAlertException e = catchThrowableOfType(InvalidAlertException.class,
                () -> defaults.parse(canonical("\"n\":" + "1".repeat(5000)).getBytes(StandardCharsets.UTF_8)));
        assertThat(e.reason()).isEqualTo("malformed_json");
        assertThat(e.getMessage()).contains("alerts.json.max-number-length");
    }

    @Test
    void fieldNameAtTheLimitIsReadAndOneLongerIsMalformedNamingTheLimit() throws Exception {
        accepted(canonical("\"" + "k".repeat(40) + "\":1"));
        InvalidAlertException e = rejection(canonical("\"" + "k".repeat(41) + "\":1"));
        assertThat(e.reason()).isEqualTo("malformed_json");
        assertThat(e.getMessage()).contains("alerts.json.max-name-length").contains("40");
    }

    @Test
    void stringAtTheLimitIsReadAndOneLongerIsMalformedNamingTheLimit() throws Exception {
        accepted(canonical("\"s\":\"" + "x".repeat(2000) + "\""));
        InvalidAlertException e = rejection(canonical("\"s\":\"" + "x".repeat(2001) + "\""));
        assertThat(e.reason()).isEqualTo("malformed_json");
        assertThat(e.getMessage()).contains("alerts.json.max-string-length").contains("2000");
    }

    @Test
    void idAtTheLimitIsAcceptedAndOneLongerIsAnInvalidField() throws Exception {
        String atLimit = "i".repeat(64);
        assertThat(parser.parse(("{\"schemaVersion\":1,\"id\":\"" + atLimit + "\",\"hostname\":\"WS-1\"}")
                .getBytes(StandardCharsets.UTF_8)).id()).isEqualTo(atLimit);
        InvalidAlertException e = rejection("{\"schemaVersion\":1,\"id\":\"" + "i".repeat(65) + "\",\"hostname\":\"WS-1\"}");
        assertThat(e.reason()).isEqualTo("invalid_field");
        assertThat(e.getMessage()).contains("alerts.max-id-length").contains("64");
    }

    @Test
    void theLimitsDoNotChangeTheMapperTheParserWasGiven() throws Exception {
        ObjectMapper shared = new ObjectMapper();
        new AlertParser(shared, 1_000_000, 64, LIMITS);
        assertThat(shared.readTree("[" .repeat(100) + "]".repeat(100)).isArray()).isTrue();
    }
}
