package io.github.taniumroutes.investigation;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One step of an investigation as journaled: its type, its outcome once it ended, and its flow's own
 * small state (Tanium ids and flags, never payloads). What the step found for its result
 * ({@link #getDetails()}) stays in memory: it is published with the step's result, not journaled.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public final class StepState {

    /** A flow's state is ids and flags; this bounds what one step adds to every journal record. */
    static final int MAX_STATE_CHARS = 4096;

    private String type;
    private String outcome;
    private String reason;
    private boolean failed;
    private boolean published;
    private Long startedAt;
    private Long finishedAt;
    private int taniumCalls;
    private Map<String, Integer> polls = new LinkedHashMap<>();
    private Map<String, String> state = new LinkedHashMap<>();

    @JsonIgnore
    private Map<String, Object> details = new LinkedHashMap<>();

    StepState() {
        // for Jackson
    }

    StepState(String type) {
        this.type = type;
    }

    void started(long now) {
        startedAt = now;
    }

    void ended(String finalOutcome, String why, boolean asFailure, long now) {
        outcome = finalOutcome;
        reason = why;
        failed = asFailure;
        finishedAt = now;
    }

    void published() {
        published = true;
    }

    void remember(String key, String value) {
        if (value == null) {
            state.remove(key);
        } else {
            state.put(key, value);
        }
        int size = state.entrySet().stream().mapToInt(e -> e.getKey().length() + e.getValue().length()).sum();
        if (size > MAX_STATE_CHARS) {
            state.remove(key);
            throw new IllegalStateException("the state of step " + type + " would exceed " + MAX_STATE_CHARS
                    + " characters: a payload belongs in the step's result (details), not in its journaled state");
        }
    }

    void polled(String counter) {
        polls.merge(counter, 1, Integer::sum);
    }

    void called(int calls) {
        taniumCalls += calls;
    }

    public String getType() {
        return type;
    }

    public String getOutcome() {
        return outcome;
    }

    public String getReason() {
        return reason;
    }

    public boolean isFailed() {
        return failed;
    }

    public boolean isEnded() {
        return outcome != null;
    }

    public boolean isPublished() {
        return published;
    }

    public boolean isStarted() {
        return startedAt != null;
    }

    public Long getStartedAt() {
        return startedAt;
    }

    public Long getFinishedAt() {
        return finishedAt;
    }

    public int getTaniumCalls() {
        return taniumCalls;
    }

    public Map<String, Integer> getPolls() {
        return polls;
    }

    public Map<String, String> getState() {
        return state;
    }

    public Map<String, Object> getDetails() {
        return details;
    }
}
