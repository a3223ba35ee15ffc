package io.github.taniumroutes.alert;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** Normalises the time notations sources use (ISO-8601, epoch seconds with fraction, epoch millis) to ISO-8601 UTC. */
final class AlertTimes {

    private static final BigDecimal MILLIS_THRESHOLD = BigDecimal.valueOf(100_000_000_000L);

    private AlertTimes() {
    }

    static String normalise(String field, String value) throws InvalidAlertException {
        if (value == null) {
            return null;
        }
        try {
            // The exponent form is how Jackson renders a floating-point JSON number; its size is bounded.
            if (value.matches("\\d+(\\.\\d+)?([eE][+-]?\\d{1,2})?")) {
                BigDecimal number = new BigDecimal(value);
                BigDecimal millis = number.compareTo(MILLIS_THRESHOLD) >= 0 ? number : number.movePointRight(3);
                return Instant.ofEpochMilli(millis.toBigInteger().longValueExact()).toString();
            }
            return OffsetDateTime.parse(value).toInstant().toString();
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new InvalidAlertException("wrong_type", "field '" + field + "' is not an ISO-8601 time or epoch number");
        }
    }
}
