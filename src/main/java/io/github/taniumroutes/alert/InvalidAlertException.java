package io.github.taniumroutes.alert;

/**
 * An alert that cannot be processed as delivered. {@code reason} is a stable, machine-readable code
 * (the dead-letter header); {@code detail} says what was wrong in words, never quoting secrets.
 */
public class InvalidAlertException extends Exception {

    private final String reason;
    private final String alertId;

    public InvalidAlertException(String reason, String detail) {
        this(reason, detail, null);
    }

    public InvalidAlertException(String reason, String detail, String alertId) {
        super(detail, null, false, false);
        this.reason = reason;
        this.alertId = alertId;
    }

    public String reason() {
        return reason;
    }

    public String alertId() {
        return alertId;
    }
}
