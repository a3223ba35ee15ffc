package io.github.taniumroutes.threatresponse;

/**
 * One entry of Threat Response's {@code GET /conns}. {@code status}: {@code waiting}, {@code connected},
 * {@code disconnected} or {@code timeout}.
 */
public record LiveConnection(String id, String status, String clientId, String userId, String initiatedAt, String message) {

    public boolean isOpen() {
        return "waiting".equals(status) || "connected".equals(status);
    }

    /** What happened to the connection, with Tanium's message about it when it gave one. */
    public String describe(String what) {
        return message == null || message.isBlank() ? what : what + ": " + message;
    }
}
