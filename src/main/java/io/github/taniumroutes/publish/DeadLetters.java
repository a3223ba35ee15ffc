package io.github.taniumroutes.publish;

import io.github.taniumroutes.alert.CanonicalAlert;
import io.github.taniumroutes.alert.InvalidAlertException;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/**
 * The reason headers of a dead-letter record. Invalid alerts carry their own reason code; anything
 * else is an internal error named by its type, with a bounded message.
 */
@Singleton
@Named("deadLetters")
public class DeadLetters {

    private static final int MAX_DETAIL = 500;

    public String reason(Throwable failure) {
        return failure instanceof InvalidAlertException invalid ? invalid.reason() : "internal_error";
    }

    /** The alert id when known: from the parsed alert, or from the parser's own exception. */
    public String alertId(Throwable failure, CanonicalAlert alert) {
        if (alert != null) {
            return alert.id();
        }
        return failure instanceof InvalidAlertException invalid ? invalid.alertId() : null;
    }

    public String detail(Throwable failure) {
        if (failure == null) {
            return "unknown failure";
        }
        String message = failure.getMessage();
        String detail = failure instanceof InvalidAlertException
                ? message
                : failure.getClass().getSimpleName() + (message == null ? "" : ": " + message);
        return detail.length() > MAX_DETAIL ? detail.substring(0, MAX_DETAIL) + "…" : detail;
    }
}
