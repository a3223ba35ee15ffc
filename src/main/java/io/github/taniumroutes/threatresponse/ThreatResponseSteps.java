package io.github.taniumroutes.threatresponse;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.taniumroutes.investigation.Investigation;
import io.github.taniumroutes.investigation.PollSchedule;
import io.github.taniumroutes.investigation.Target;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/**
 * What each Threat Response reply means for an investigation: the next step, another wait (on the
 * adaptive poll schedule), or an outcome. Also writes the request paths, with every id from Tanium
 * percent-encoded as a path segment.
 *
 * <p>Outcomes: {@code completed}; {@code connection_timeout} and {@code connection_disconnected}
 * (Tanium's own statuses); {@code snapshot_failed} (task FAILED); {@code expired} (a step's
 * deadline passed; the reason names the step); {@code interrupted} (the instance stopped after asking
 * for a snapshot and before the reply was journaled: it is not asked for again).
 */
@Singleton
@Named("threatResponse")
public class ThreatResponseSteps {

    private final ObjectMapper mapper;
    private final PollSchedule schedule;
    private final Clock clock;

    @Inject
    public ThreatResponseSteps(ObjectMapper mapper,
            @ConfigProperty(name = "investigations.poll.initial-ms") long initialMs,
            @ConfigProperty(name = "investigations.poll.multiplier") double multiplier,
            @ConfigProperty(name = "investigations.poll.max-ms") long maxMs) {
        this(mapper, new PollSchedule(initialMs, multiplier, maxMs), Clock.systemUTC());
    }

    public ThreatResponseSteps(ObjectMapper mapper, PollSchedule schedule, Clock clock) {
        this.mapper = mapper;
        this.schedule = schedule;
        this.clock = clock;
    }

    /** {@code POST /conns/connect}'s body: the target as Tanium knows the endpoint. */
    public String connectBody(Investigation investigation) {
        Target target = investigation.getTarget();
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("clientId", target.clientId());
        fields.put("hostname", target.hostname());
        fields.put("ip", target.ip());
        fields.put("platform", target.platform());
        fields.values().removeIf(v -> v == null);
        try {
            return mapper.writeValueAsString(Map.of("target", fields));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the connect request", e);
        }
    }

    /** The connection is asked for (or joined): wait for it, within the request's connect deadline. */
    public void awaitConnection(Investigation investigation) {
        investigation.awaitConnection(clock.millis());
    }

    /** The endpoint's connection, as the shared list shows it (null: not listed yet). */
    public void connectionSeen(Investigation investigation, LiveConnection seen) {
        long now = clock.millis();
        investigation.connectionPolled();
        String status = seen == null ? "waiting" : seen.status();
        if (seen != null) {
            investigation.adoptConnection(seen.id());
        }
        switch (status) {
            case "connected" -> investigation.connected(seen.id(), now, investigation.getRequest().snapshotDeadlineMs());
            case "timeout" -> investigation.finish("connection_timeout", describe("Tanium reports the connection timed out", seen), now);
            case "disconnected" -> investigation.finish("connection_disconnected", describe("the live connection was closed", seen), now);
            default -> waitOrExpire(investigation, now, "no live connection to the endpoint within "
                    + investigation.getRequest().connectDeadlineMs() / 1000 + " s");
        }
    }

    /** The snapshot task, as {@code GET /tasks/{id}} reports it. */
    public void taskSeen(Investigation investigation, ThreatResponseReplies.Task task) {
        long now = clock.millis();
        investigation.taskPolled();
        switch (task.status()) {
            case "COMPLETED" -> investigation.snapshotCompleted(task.results(), now);
            case "FAILED" -> investigation.finish("snapshot_failed",
                    task.error() == null ? "Threat Response reports the snapshot task failed" : "snapshot task failed: " + task.error(), now);
            default -> waitOrExpire(investigation, now, "the snapshot task did not finish within "
                    + investigation.getRequest().snapshotDeadlineMs() / 1000 + " s of connecting");
        }
    }

    public void snapshotRequested(Investigation investigation) {
        investigation.markSnapshotRequested();
    }

    public void snapshotStarted(Investigation investigation, String taskId) {
        investigation.snapshotStarted(taskId, clock.millis());
    }

    /** True when a snapshot was asked for but its reply never journaled: asking again could take a second one. */
    public boolean snapshotOutcomeUnknown(Investigation investigation) {
        if (investigation.isSnapshotRequested() && investigation.getSnapshotTaskId() == null) {
            investigation.finish("interrupted", "the instance stopped after asking for the snapshot and before its reply "
                    + "was journaled; it is not asked for again, to avoid a second snapshot", clock.millis());
            return true;
        }
        return false;
    }

    public void failed(Investigation investigation, String reason) {
        investigation.finish("tanium_error", reason, clock.millis());
    }

    public void released(Investigation investigation) {
        investigation.released(clock.millis());
    }

    public String snapshotPath(Investigation investigation) {
        return "/conns/" + segment(investigation.getConnectionId()) + "/snapshot";
    }

    public String taskPath(Investigation investigation) {
        return "/tasks/" + segment(investigation.getSnapshotTaskId());
    }

    public String closePath(String connectionId) {
        return "/conns/close/" + segment(connectionId);
    }

    private void waitOrExpire(Investigation investigation, long now, String why) {
        if (investigation.pastDeadline(now)) {
            investigation.finish("expired", why, now);
        } else {
            investigation.waitAgain(schedule);
        }
    }

    private static String describe(String what, LiveConnection seen) {
        return seen.message() == null || seen.message().isBlank() ? what : what + ": " + seen.message();
    }

    static String segment(String id) {
        if (id == null || id.isEmpty()) {
            throw new IllegalStateException("no Tanium id for this request");
        }
        // Colons are legal in a path segment and part of every connection id ("remote:host:9065264:2").
        return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20").replace("%3A", ":");
    }
}
