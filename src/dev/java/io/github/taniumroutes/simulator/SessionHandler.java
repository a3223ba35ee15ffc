package io.github.taniumroutes.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The platform's session calls under {@code /api/v2/session}: {@code GET /current} names the user
 * behind the token, which a client needs to tell its own Threat Response connections from those
 * of analysts. A bad token never gets here (the simulator answers 401 first).
 */
final class SessionHandler implements SimulatorHandler {

    static final String PREFIX = "/api/v2/session";

    private final ObjectMapper mapper;
    private final int userId;
    private final String userName;

    SessionHandler(ObjectMapper mapper, int userId, String userName) {
        this.mapper = mapper;
        this.userId = userId;
        this.userName = userName;
    }

    @Override
    public Reply handle(String method, String path, String query, String body) {
        if (!path.equals(PREFIX + "/current")) {
            return Reply.json(404, mapper.createObjectNode().put("text", "Not Found"));
        }
        if (!"GET".equals(method)) {
            return Reply.json(405, mapper.createObjectNode().put("text", "Method Not Allowed"));
        }
        ObjectNode reply = mapper.createObjectNode();
        reply.putObject("data").put("id", userId).put("name", userName).put("domain", "local");
        return Reply.json(200, reply);
    }
}
