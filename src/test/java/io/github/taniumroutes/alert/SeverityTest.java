package io.github.taniumroutes.alert;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SeverityTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "info, informational", "informational, informational", "Information, informational", "none, informational",
            "low, low", "1, low",
            "medium, medium", "Moderate, medium", "2, medium",
            "high, high", "HIGH, high", "3, high",
            "critical, critical", "4, critical",
            "urgent, unknown", "5, unknown", "0, unknown", "'', unknown", "unknown, unknown",
    })
    void vocabularyMapsOntoTheCanonicalScale(String input, String expected) {
        assertThat(Severity.normalise(input)).isEqualTo(expected);
    }

    @Test
    void surroundingWhitespaceIsIgnored() {
        assertThat(Severity.normalise("  Critical \n")).isEqualTo("critical");
    }

    @Test
    void nullIsUnknown() {
        assertThat(Severity.normalise(null)).isEqualTo("unknown");
    }

    @ParameterizedTest(name = "higher({0}, {1}) = {2}")
    @CsvSource({
            "info, high, high",
            "high, info, high",
            "critical, low, critical",
            "low, critical, critical",
            "medium, medium, medium",
            "informational, low, low",
            "3, moderate, high",
            "2, 4, critical",
    })
    void higherPicksTheMoreSevereReadingInEitherOrder(String first, String second, String expected) {
        assertThat(Severity.higher(first, second)).isEqualTo(expected);
    }

    @Test
    void higherPrefersAnyKnownReadingOverUnknownOrMissing() {
        assertThat(Severity.higher(null, "low")).isEqualTo("low");
        assertThat(Severity.higher("informational", null)).isEqualTo("informational");
        assertThat(Severity.higher("bogus", "info")).isEqualTo("informational");
        assertThat(Severity.higher("medium", "bogus")).isEqualTo("medium");
    }

    @Test
    void higherOfTwoUnknownReadingsIsUnknown() {
        assertThat(Severity.higher(null, null)).isEqualTo("unknown");
        assertThat(Severity.higher("bogus", "junk")).isEqualTo("unknown");
    }
}
