package io.github.taniumroutes.alert;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A Splunk (Enterprise Security) notable event as POSTed by Splunk's webhook alert action:
 * {@code {"sid","search_name","app","owner","results_link","result":{...}}}; every value in
 * {@code result} is a string, and only the first result row is sent.
 */
final class SplunkNotableAlertFormat implements AlertFormat {

    @Override
    public String name() {
        return "splunk-notable";
    }

    @Override
    public boolean recognises(JsonNode document) {
        return document.path("result").isObject() && document.has("sid");
    }

    @Override
    public CanonicalAlert normalise(JsonNode webhook) throws InvalidAlertException {
        JsonNode result = webhook.get("result");
        String id = JsonFields.firstText(result, "event_id", "event_hash");
        if (id == null) {
            // A correlation search forwarded directly has no notable id: the search job and row time identify it.
            String sid = JsonFields.text(webhook, "sid");
            String time = JsonFields.text(result, "_time");
            id = sid == null ? null : time == null ? sid : sid + "@" + time;
        }
        return new CanonicalAlert(
                AlertIds.prefixed(name(), id),
                name(),
                name(),
                AlertTimes.normalise("result._time", JsonFields.text(result, "_time")),
                Severity.normalise(JsonFields.firstText(result, "urgency", "severity")),
                JsonFields.text(result, "security_domain"),
                JsonFields.firstText(result, "rule_name", "search_name", "rule_title"),
                JsonFields.firstText(result, "dest", "orig_host", "dest_host"),
                JsonFields.text(result, "dest_ip"),
                null,
                Processes.of(JsonFields.text(result, "process_name"), JsonFields.integer(result, "process_id"),
                        Processes.preferredHash(JsonFields.text(result, "process_hash")),
                        // CIM's "process" is the full command string; a multi-value field gives its first value.
                        JsonFields.firstOf(result, "process")),
                Processes.file(JsonFields.text(result, "file_path"), Processes.preferredHash(JsonFields.text(result, "file_hash"))),
                null,
                webhook);
    }
}
