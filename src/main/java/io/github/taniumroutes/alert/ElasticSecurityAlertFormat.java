package io.github.taniumroutes.alert;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An Elastic Security detection alert, in the nested ECS form or the flattened dotted-key form of the
 * {@code .alerts-security.alerts-*} index (or a mix, which is what the index really holds).
 */
final class ElasticSecurityAlertFormat implements AlertFormat {

    @Override
    public String name() {
        return "elastic-security";
    }

    @Override
    public boolean recognises(JsonNode document) {
        return JsonFields.find(document, "kibana.alert.uuid") != null
                || JsonFields.find(document, "kibana.alert.rule.uuid") != null;
    }

    @Override
    public CanonicalAlert normalise(JsonNode alert) throws InvalidAlertException {
        String fileHash = JsonFields.firstText(alert, "file.hash.sha256", "file.hash.sha1", "file.hash.md5");
        return new CanonicalAlert(
                AlertIds.prefixed(name(), JsonFields.text(alert, "kibana.alert.uuid")),
                name(),
                name(),
                AlertTimes.normalise("@timestamp", JsonFields.firstText(alert, "@timestamp", "kibana.alert.original_time")),
                Severity.normalise(JsonFields.text(alert, "kibana.alert.severity")),
                JsonFields.firstText(alert, "kibana.alert.rule.type", "event.category"),
                JsonFields.text(alert, "kibana.alert.rule.name"),
                JsonFields.firstOf(alert, "host.name"),
                JsonFields.firstOf(alert, "host.ip"),
                null,
                Processes.of(JsonFields.text(alert, "process.name"), JsonFields.integer(alert, "process.pid"),
                        JsonFields.firstText(alert, "process.hash.sha256", "process.hash.sha1", "process.hash.md5"),
                        JsonFields.text(alert, "process.command_line")),
                Processes.file(JsonFields.text(alert, "file.path"), fileHash),
                JsonFields.firstOf(alert, "destination.ip"),
                JsonFields.strings(alert, "kibana.alert.rule.tags"),
                alert);
    }
}
