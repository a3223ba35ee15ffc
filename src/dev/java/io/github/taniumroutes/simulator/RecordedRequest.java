package io.github.taniumroutes.simulator;

import java.util.List;
import java.util.Map;

/**
 * One request as it reached the simulator: tests assert on exactly what Tanium would have seen.
 * {@code query} is the raw query string without {@code ?} (empty when there is none).
 */
public record RecordedRequest(long receivedAtMillis, String method, String path, String query, Map<String, List<String>> headers,
        String body) {

    /** Header names are case-insensitive in HTTP; the JDK server capitalises them. */
    public String header(String name) {
        for (Map.Entry<String, List<String>> entry : headers.entrySet()) {
            if (entry.getKey().equalsIgnoreCase(name) && !entry.getValue().isEmpty()) {
                return entry.getValue().get(0);
            }
        }
        return null;
    }
}
