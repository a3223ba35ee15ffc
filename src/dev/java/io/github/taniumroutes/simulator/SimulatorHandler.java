package io.github.taniumroutes.simulator;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One Tanium API area of the simulator (Gateway, Threat Response, platform REST …), registered in
 * {@link TaniumSimulator} for an exact path or a path prefix. It sees only requests that passed the
 * session check and fault injection.
 */
interface SimulatorHandler {

    /** A reply: status, content type, body, and any further headers (a download's Content-Disposition). */
    record Reply(int status, String contentType, byte[] body, Map<String, String> headers) {
        Reply(int status, String contentType, byte[] body) {
            this(status, contentType, body, Map.of());
        }

        static Reply json(int status, JsonNode body) {
            return new Reply(status, "application/json", body.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    /**
     * @param path  the request path as received (percent-encoding not decoded)
     * @param query the raw query string without {@code ?}, empty when there is none
     */
    Reply handle(String method, String path, String query, String body) throws Exception;

    /**
     * The same with the request's headers ({@code headers.apply(name)} is the first value of that header, any case, or
     * null). Areas that read a header (the platform API's {@code tanium-options}) override this one.
     */
    default Reply handle(String method, String path, String query, UnaryOperator<String> headers, String body) throws Exception {
        return handle(method, path, query, body);
    }
}
