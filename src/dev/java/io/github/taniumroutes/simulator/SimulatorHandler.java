package io.github.taniumroutes.simulator;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;

/** One Tanium API area of the simulator (Gateway, Threat Response, platform REST …). */
interface SimulatorHandler {

    record Reply(int status, String contentType, byte[] body) {
        static Reply json(int status, JsonNode body) {
            return new Reply(status, "application/json", body.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    Reply handle(String method, String path, String body) throws Exception;
}
