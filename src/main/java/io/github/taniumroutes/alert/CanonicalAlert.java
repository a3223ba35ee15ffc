package io.github.taniumroutes.alert;

import java.util.List;

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
        List<String> tags,
        JsonNode raw) {

    public CanonicalAlert {
        tags = tags == null ? List.of() : List.copyOf(tags);
    }

    /** An alert without tags. */
    public CanonicalAlert(String id, String source, String format, String time, String severity, String type, String rule,
            String hostname, String ip, String taniumEndpointId, ProcessInfo process, FileInfo file, String remoteAddress,
            JsonNode raw) {
        this(id, source, format, time, severity, type, rule, hostname, ip, taniumEndpointId, process, file, remoteAddress,
                List.of(), raw);
    }

    /** {@code commandLine}: the process's command line, when the source gives one (the Direct Connect kill checks it). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ProcessInfo(String name, Long pid, String hash, String commandLine) {
        public ProcessInfo(String name, Long pid, String hash) {
            this(name, pid, hash, null);
        }

        boolean isEmpty() {
            return name == null && pid == null && hash == null && commandLine == null;
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
