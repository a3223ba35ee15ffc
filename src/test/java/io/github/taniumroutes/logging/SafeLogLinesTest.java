package io.github.taniumroutes.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.logging.Level;

import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

class SafeLogLinesTest {

    private final SafeLogLines filter = new SafeLogLines(List.of("token-s3cret-value", "", "abc"));

    private String logged(String format, Object... parameters) {
        ExtLogRecord record = new ExtLogRecord(Level.INFO, format, ExtLogRecord.FormatStyle.PRINTF, getClass().getName());
        record.setParameters(parameters);
        assertThat(filter.isLoggable(record)).isTrue();
        return record.getFormattedMessage();
    }

    @Test
    void aLineBreakInAnAlertValueCannotStartALineOfItsOwn() {
        String message = logged("Alert %s: enrichment failed", "evil\n2026-12-03 08:00:00,000 INFO  [io.git] all clear");

        assertThat(message).doesNotContain("\n")
                .isEqualTo("Alert evil\\n2026-12-03 08:00:00,000 INFO  [io.git] all clear: enrichment failed");
    }

    @Test
    void everyControlCharacterIsEscaped() {
        assertThat(SafeLogLines.escapeControlCharacters("a\rb\tc\u001b[31md\u0000e\u2028f\u0085g"))
                .isEqualTo("a\\rb\\tc\\u001b[31md\\u0000e\\u2028f\\u0085g");
        assertThat(SafeLogLines.escapeControlCharacters("plain ünïcode")).isEqualTo("plain ünïcode");
    }

    @Test
    void aConfiguredSecretIsRedactedWhereverItAppears() {
        assertThat(logged("%s", "http-outgoing-0 >> session: token-s3cret-value"))
                .isEqualTo("http-outgoing-0 >> session: [redacted]");
        assertThat(logged("abc is too short to be treated as a secret")).contains("abc");
    }

    @Test
    void aMessageWithNothingToChangeIsLeftAsItWas() {
        ExtLogRecord record = new ExtLogRecord(Level.INFO, "plain %s", ExtLogRecord.FormatStyle.PRINTF, getClass().getName());
        record.setParameters(new Object[] {"value"});
        filter.isLoggable(record);
        assertThat(record.getParameters()).containsExactly("value");
        assertThat(record.getFormattedMessage()).isEqualTo("plain value");
    }

    @Test
    void theMdcValuesAreSafeToo() {
        ExtLogRecord record = new ExtLogRecord(Level.INFO, "plain", ExtLogRecord.FormatStyle.NO_FORMAT, getClass().getName());
        record.setMdc(java.util.Map.of("alertId", "evil\nINFO forged", "note", "has token-s3cret-value inside", "step", "enrich"));
        assertThat(filter.isLoggable(record)).isTrue();
        assertThat(record.getMdc("alertId")).isEqualTo("evil\\nINFO forged");
        assertThat(record.getMdc("note")).isEqualTo("has [redacted] inside");
        assertThat(record.getMdc("step")).isEqualTo("enrich");
    }
}
