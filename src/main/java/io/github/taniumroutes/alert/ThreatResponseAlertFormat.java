package io.github.taniumroutes.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A Tanium Threat Response detection as returned by {@code GET /plugin/products/threat-response/api/v1/alerts}.
 * Its {@code details} field is a JSON document encoded as a string; the process facts live inside it.
 */
final class ThreatResponseAlertFormat implements AlertFormat {

    private final ObjectMapper mapper;

    ThreatResponseAlertFormat(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public String name() {
        return "tanium-threat-response";
    }

    @Override
    public boolean recognises(JsonNode document) {
        return document.has("computerName") && document.has("intelDocId") && document.has("details");
    }

    @Override
    public CanonicalAlert normalise(JsonNode alert) throws InvalidAlertException {
        JsonNode details = parseDetails(alert.get("details"));
        String processPath = JsonFields.text(details, "match.properties.name");
        String fileHash = JsonFields.firstText(details, "match.properties.file.sha256",
                "match.properties.file.sha1", "match.properties.file.md5");
        String type = JsonFields.text(alert, "type");
        String matchType = JsonFields.text(alert, "matchType");
        String filePath = JsonFields.text(alert, "path");
        if (filePath == null) {
            filePath = JsonFields.text(details, "match.properties.file.fullpath");
        }
        return new CanonicalAlert(
                AlertIds.prefixed(name(), JsonFields.text(alert, "id")),
                name(),
                name(),
                AlertTimes.normalise("alertedAt", JsonFields.firstText(alert, "alertedAt", "createdAt")),
                Severity.higher(JsonFields.text(alert, "severity"), JsonFields.text(alert, "priority")),
                type == null ? matchType : matchType == null ? type : type + "/" + matchType,
                JsonFields.firstText(alert, "intelDoc.name", "intelDocId"),
                JsonFields.text(alert, "computerName"),
                JsonFields.text(alert, "computerIpAddress"),
                JsonFields.text(alert, "eid"),
                Processes.of(Processes.baseName(processPath), JsonFields.integer(details, "match.properties.pid"), fileHash,
                        JsonFields.text(details, "match.properties.args")),
                Processes.file(filePath, fileHash),
                null,
                alert);
    }

    private JsonNode parseDetails(JsonNode details) throws InvalidAlertException {
        if (details == null || details.isNull()) {
            return mapper.createObjectNode();
        }
        if (details.isObject()) {
            return details; // newer API versions may already decode it
        }
        if (!details.isTextual()) {
            throw new InvalidAlertException("wrong_type", "field 'details' must be a JSON-encoded string");
        }
        try {
            return mapper.readTree(details.asText());
        } catch (JsonProcessingException e) {
            throw new InvalidAlertException("wrong_type", "field 'details' is not valid JSON: " + e.getOriginalMessage());
        }
    }
}
