package io.github.taniumroutes.action;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.taniumroutes.tanium.TaniumJson;
import io.github.taniumroutes.tanium.TaniumSettings;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/**
 * The action group each Tanium server's actions are issued in (seed 003: an existing group such as
 * "All Computers", never one created per action): {@code tanium.servers.<name>.action-group}, an id,
 * or a name that is resolved once per server through {@code GET /api/v2/action_groups/by-name/{name}}
 * and remembered for as long as the application runs.
 */
@Singleton
@Named("actionGroups")
public class ActionGroups {

    private final ObjectMapper mapper;
    private final TaniumSettings settings;
    private final Map<String, String> resolved = new ConcurrentHashMap<>();

    @Inject
    public ActionGroups(ObjectMapper mapper, TaniumSettings settings) {
        this.mapper = mapper;
        this.settings = settings;
    }

    /** The server's action group as configured (an id or a name), or null when none is. */
    public String configured(String server) {
        TaniumSettings.Server config = settings.servers().get(server);
        return config == null ? null : config.actionGroup().map(String::strip).filter(s -> !s.isEmpty()).orElse(null);
    }

    /** The id of the server's action group when it is known without asking Tanium: configured as an id, or resolved before. */
    public String knownId(String server) {
        String configured = configured(server);
        if (configured == null) {
            return null;
        }
        return configured.matches("\\d{1,18}") ? configured : resolved.get(server);
    }

    /** Takes the id from Tanium's {@code action_groups/by-name} reply and keeps it for the server. */
    public String resolved(String server, String reply) {
        JsonNode id = TaniumJson.data(mapper, reply, "action group '" + configured(server) + "'").path("id");
        if (!id.isNumber() && !(id.isTextual() && id.asText().matches("\\d{1,18}"))) {
            throw new IllegalStateException("Tanium's reply for action group '" + configured(server) + "' names no id");
        }
        resolved.put(server, id.asText());
        return id.asText();
    }
}
