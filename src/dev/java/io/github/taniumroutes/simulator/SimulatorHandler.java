package io.github.taniumroutes.simulator;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One Tanium API area of the simulator (Gateway, Threat Response, platform REST …), registered in
 * {@link TaniumSimulator} for an exact path or a path prefix. It sees only requests that passed the
 * session check and fault injection.
 */
interface SimulatorHandler {

    record Reply(int status, String contentType, byte[] body) {
        static Reply json(int status, JsonNode body) {
            return new Reply(status, "application/json", body.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    /**
     * @param path  the request path as received (percent-encoding not decoded)
     * @param query the raw query string without {@code ?}, empty when there is none
     */
    Reply handle(String method, String path, String query, String body) throws Exception;
}
