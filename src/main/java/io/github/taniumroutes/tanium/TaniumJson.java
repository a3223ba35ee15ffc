package io.github.taniumroutes.tanium;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Tanium's JSON replies read, and request bodies written, with errors that say which call it was and never quote a reply. */
public final class TaniumJson {

    private TaniumJson() {
    }

    /** The reply as JSON; an empty or unreadable reply is an error naming {@code what} it answered. */
    public static JsonNode read(ObjectMapper mapper, String reply, String what) {
        try {
            JsonNode root = mapper.readTree(reply == null ? "" : reply);
            if (root == null || root.isMissingNode()) {
                throw new IllegalStateException("Tanium's reply to the " + what + " is empty");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Tanium's reply to the " + what + " is not JSON", e);
        }
    }

    /** The object under {@code data} (Tanium's platform replies), or the reply itself when it has none. */
    public static JsonNode data(ObjectMapper mapper, String reply, String what) {
        JsonNode root = read(mapper, reply, what);
        JsonNode data = root.has("data") ? root.path("data") : root;
        if (!data.isObject()) {
            throw new IllegalStateException("Tanium's reply to the " + what + " holds no object");
        }
        return data;
    }

    public static String write(ObjectMapper mapper, Object body) {
        try {
            return mapper.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a Tanium request", e);
        }
    }
}
