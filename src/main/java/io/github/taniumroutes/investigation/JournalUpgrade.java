package io.github.taniumroutes.investigation;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads journal records of schema 1 (release 0.1) as schema 2. Release 0.1 ran one flow, the
 * snapshot, with its ids as top-level fields and its phase as {@code step}; they become a plan of one
 * {@code snapshot} step whose state holds the same ids, in the phase of the same name, holding the
 * Threat Response live connection it held. This is the only place the engine names a flow, and only
 * for records that flow wrote before flows existed.
 */
final class JournalUpgrade {

    static final String V1_FLOW = "snapshot";
    static final String V1_SESSION = "threat-response";

    private JournalUpgrade() {
    }

    static Investigation fromSchema1(JsonNode record, ObjectMapper mapper) throws java.io.IOException {
        InvestigationRequest request = mapper.treeToValue(record.path("request"), InvestigationRequest.class);
        String step = record.path("step").asText("connect");
        StepState snapshot = new StepState(V1_FLOW);
        long acceptedAt = record.path("acceptedAt").asLong();
        snapshot.started(acceptedAt);
        remember(snapshot, "connectionId", record.path("connectionId"));
        remember(snapshot, "snapshotTaskId", record.path("snapshotTaskId"));
        if (record.path("snapshotRequested").asBoolean(false)) {
            snapshot.remember("snapshotRequestedAt", Instant.ofEpochMilli(record.path("stepStartedAt").asLong()).toString());
        }
        if (record.hasNonNull("connectedAt")) {
            snapshot.remember("connectedAt", Instant.ofEpochMilli(record.path("connectedAt").asLong()).toString());
        }
        for (int i = 0; i < record.path("connectionPolls").asInt(); i++) {
            snapshot.polled("connection");
        }
        for (int i = 0; i < record.path("taskPolls").asInt(); i++) {
            snapshot.polled("task");
        }
        snapshot.called(record.path("taniumCalls").asInt());
        Long finishedAt = record.hasNonNull("finishedAt") ? record.path("finishedAt").asLong() : null;
        String outcome = record.path("outcome").isTextual() ? record.path("outcome").asText() : null;
        if (outcome != null) {
            snapshot.ended(outcome, record.path("reason").isTextual() ? record.path("reason").asText() : null,
                    !InvestigationProgress.COMPLETED.equals(outcome), finishedAt == null ? record.path("stepStartedAt").asLong() : finishedAt);
            if (record.path("snapshot").isObject() || record.path("snapshot").isArray()) {
                snapshot.getDetails().put("snapshot", record.path("snapshot"));
            }
        }
        Map<String, String> sessions = new LinkedHashMap<>();
        boolean done = Investigation.DONE.equals(step);
        if (done) {
            snapshot.published();
        } else if (!"connect".equals(step)) {
            sessions.put(V1_SESSION, record.path("connectionId").asText(""));
        }
        return Investigation.upgraded(request, record.path("partition").asInt(-1), acceptedAt, snapshot, done ? Investigation.DONE : step,
                record.path("stepStartedAt").asLong(), record.path("stepDeadline").asLong(), finishedAt, record.path("taniumCalls").asInt(),
                sessions);
    }

    private static void remember(StepState state, String key, JsonNode value) {
        if (value.isTextual() && !value.asText().isEmpty()) {
            state.remember(key, value.asText());
        }
    }
}
