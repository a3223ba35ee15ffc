package io.github.taniumroutes.alert;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The one alert shape every route works with, whatever format the SIEM delivered.
 * {@code raw} keeps the original document so nothing the source said is lost downstream.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CanonicalAlert(
        String id,
        String source,
        String format,
        String time,
        String severity,
        String type,
        String rule,
        String hostname,
        String ip,
        String taniumEndpointId,
        ProcessInfo process,
        FileInfo file,
        String remoteAddress,
        JsonNode raw) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ProcessInfo(String name, Long pid, String hash) {
        boolean isEmpty() {
            return name == null && pid == null && hash == null;
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FileInfo(String path, String hash) {
        boolean isEmpty() {
            return path == null && hash == null;
        }
    }

    /** The name Tanium knows this host by, falling back to its address: used for lookup and as the result key. */
    public String hostIdentity() {
        return hostname != null ? hostname : ip;
    }
}
