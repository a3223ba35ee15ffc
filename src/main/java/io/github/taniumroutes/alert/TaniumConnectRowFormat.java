package io.github.taniumroutes.alert;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A row of a saved question as Tanium Connect sends it to an HTTP destination in JSON: one object per
 * row, keyed by the question's column names ({@code "Computer Name"}, {@code "IP Address"}, the sensors'
 * columns). A row names no id of its own: the alert id is the SHA-256 of the row, so the same row sent
 * again is the same alert. Where the columns say it, the question's name becomes the rule and
 * {@code Severity} the severity; the whole row stays in {@code raw}.
 */
final class TaniumConnectRowFormat implements AlertFormat {

    @Override
    public String name() {
        return "tanium-connect-row";
    }

    @Override
    public boolean recognises(JsonNode document) {
        return document.path("Computer Name").isValueNode();
    }

    @Override
    public CanonicalAlert normalise(JsonNode row) throws InvalidAlertException {
        return new CanonicalAlert(
                null,
                "tanium-connect",
                name(),
                null,
                Severity.normalise(JsonFields.text(row, "Severity")),
                "saved-question",
                JsonFields.firstText(row, "Saved Question", "Question"),
                JsonFields.text(row, "Computer Name"),
                JsonFields.text(row, "IP Address"),
                null,
                null,
                null,
                null,
                row);
    }
}
