package io.github.taniumroutes.alert;

import com.fasterxml.jackson.databind.JsonNode;

/** Alerts already in this product's canonical form (config/schemas/canonical-alert.schema.json). */
final class CanonicalAlertFormat implements AlertFormat {

    @Override
    public String name() {
        return "canonical";
    }

    @Override
    public boolean recognises(JsonNode document) {
        return document.has("schemaVersion") && document.has("id") && !document.has("result");
    }

    @Override
    public CanonicalAlert normalise(JsonNode alert) throws InvalidAlertException {
        checkObject(alert, "process");
        checkObject(alert, "file");
        return new CanonicalAlert(
                JsonFields.text(alert, "id"),
                JsonFields.text(alert, "source") == null ? name() : JsonFields.text(alert, "source"),
                name(),
                AlertTimes.normalise("time", JsonFields.text(alert, "time")),
                Severity.normalise(JsonFields.text(alert, "severity")),
                JsonFields.text(alert, "type"),
                JsonFields.text(alert, "rule"),
                JsonFields.text(alert, "hostname"),
                JsonFields.text(alert, "ip"),
                JsonFields.text(alert, "taniumEndpointId"),
                Processes.of(JsonFields.text(alert, "process.name"), JsonFields.integer(alert, "process.pid"),
                        JsonFields.text(alert, "process.hash"), JsonFields.text(alert, "process.commandLine")),
                Processes.file(JsonFields.text(alert, "file.path"), JsonFields.text(alert, "file.hash")),
                JsonFields.text(alert, "remoteAddress"),
                JsonFields.strings(alert, "tags"),
                alert.has("raw") ? alert.get("raw") : alert);
    }

    private static void checkObject(JsonNode alert, String field) throws InvalidAlertException {
        JsonNode value = alert.get(field);
        if (value != null && !value.isNull() && !value.isObject()) {
            throw new InvalidAlertException("wrong_type", "field '" + field + "' must be an object");
        }
    }
}
