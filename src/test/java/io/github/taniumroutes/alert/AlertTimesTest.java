package io.github.taniumroutes.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AlertTimesTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "2024-05-14T09:12:07.512Z,       2024-05-14T09:12:07.512Z",
            "2023-10-16T12:26:51.000Z,       2023-10-16T12:26:51Z",
            "2024-05-14T11:12:07.512+02:00,  2024-05-14T09:12:07.512Z",
            "2024-05-13T23:12:07-10:00,      2024-05-14T09:12:07Z",
            "2024-05-14T09:12:07.123456789Z, 2024-05-14T09:12:07.123456789Z",
    })
    void isoTimesAreNormalisedToUtc(String input, String expected) throws Exception {
        assertThat(AlertTimes.normalise("time", input)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "1715677927,           2024-05-14T09:12:07Z",
            "1715677927.512,       2024-05-14T09:12:07.512Z",
            "1715677921.332298000, 2024-05-14T09:12:01.332Z",
            "0,                    1970-01-01T00:00:00Z",
    })
    void epochSecondsAreNormalisedToUtcWithMillisecondPrecision(String input, String expected) throws Exception {
        assertThat(AlertTimes.normalise("time", input)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "1715677927512,     2024-05-14T09:12:07.512Z",
            "1697459178054,     2023-10-16T12:26:18.054Z",
            "1715677927512.9,   2024-05-14T09:12:07.512Z",
    })
    void epochMillisAreNormalisedToUtc(String input, String expected) throws Exception {
        assertThat(AlertTimes.normalise("time", input)).isEqualTo(expected);
    }

    @Test
    void valuesBelowOneHundredBillionAreSecondsAndFromThereMillis() throws Exception {
        assertThat(AlertTimes.normalise("time", "99999999999")).isEqualTo("5138-11-16T09:46:39Z");
        assertThat(AlertTimes.normalise("time", "100000000000")).isEqualTo("1973-03-03T09:46:40Z");
    }

    @Test
    void scientificNotationAsJacksonRendersFloatingPointNumbersIsAccepted() throws Exception {
        // A JSON number 1715677927.512 is a DoubleNode whose text is "1.715677927512E9".
        assertThat(AlertTimes.normalise("time", "1.715677927512E9")).isEqualTo("2024-05-14T09:12:07.512Z");
        assertThat(AlertTimes.normalise("time", "1.715677927512E12")).isEqualTo("2024-05-14T09:12:07.512Z");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1E99", "1E999", "1e999999999"})
    void hugeOrUnboundedExponentsAreWrongTypeWithoutExpandingTheNumber(String input) {
        // 1e999999999 must be refused by shape, never expanded into a billion-digit integer.
        InvalidAlertException e = catchThrowableOfType(InvalidAlertException.class,
                () -> AlertTimes.normalise("time", input));
        assertThat(e).as(input).isNotNull();
        assertThat(e.reason()).isEqualTo("wrong_type");
    }

    @Test
    void largestRepresentableEpochMillisIsAccepted() throws Exception {
        assertThat(AlertTimes.normalise("time", "9223372036854775807")).isEqualTo("+292278994-08-17T07:12:55.807Z");
    }

    @Test
    void nullStaysNull() throws Exception {
        assertThat(AlertTimes.normalise("time", null)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"yesterday", "2024-05-14", "2024-05-14T09:12:07", "2024-05-14 09:12:07Z", "-1715677927",
            "1715677927.", ".5", "0x66432a27", "2024-13-14T09:12:07Z"})
    void unparseableTimesAreWrongTypeNamingTheField(String input) {
        InvalidAlertException e = catchThrowableOfType(InvalidAlertException.class,
                () -> AlertTimes.normalise("alertedAt", input));
        assertThat(e).as(input).isNotNull();
        assertThat(e.reason()).isEqualTo("wrong_type");
        assertThat(e.getMessage()).isEqualTo("field 'alertedAt' is not an ISO-8601 time or epoch number");
    }

    @Test
    void epochNumberBeyondTheLongRangeIsWrongTypeNotASilentlyWrappedTime() {
        // 2^64 millis: BigDecimal.longValue() would wrap it to 0, i.e. 1970-01-01.
        InvalidAlertException e = catchThrowableOfType(InvalidAlertException.class,
                () -> AlertTimes.normalise("@timestamp", "18446744073709551616"));
        assertThat(e).isNotNull();
        assertThat(e.reason()).isEqualTo("wrong_type");
        assertThat(e.getMessage()).isEqualTo("field '@timestamp' is not an ISO-8601 time or epoch number");
    }
}
