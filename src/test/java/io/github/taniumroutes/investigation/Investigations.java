package io.github.taniumroutes.investigation;

import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/** Investigations, flows and the engine for unit tests. */
public final class Investigations {

    /** A snapshot-shaped flow declared without Java (its clean-up holds the live connection). */
    public static final InvestigationFlow SNAPSHOT = new InvestigationFlows.DeclaredFlow("snapshot", "connect", "release");
    /** A flow that holds nothing. */
    public static final InvestigationFlow PROBE = new InvestigationFlows.DeclaredFlow("probe", "start", null);

    private Investigations() {
    }

    public static InvestigationFlows flows(InvestigationFlow... flows) {
        return new InvestigationFlows(List.of(flows), List.of());
    }

    public static InvestigationProgress progress(Clock clock) {
        return progress(clock, SNAPSHOT, PROBE);
    }

    /** The engine with these flows: polls wait 100 ms, then twice as long each time up to 1 s; a first phase has 30 minutes. */
    public static InvestigationProgress progress(Clock clock, InvestigationFlow... flows) {
        return new InvestigationProgress(flows(flows), new PollSchedule(100, 2, 1000), Duration.ofMinutes(30), clock);
    }

    public static InvestigationRequest request(String alertId, String clientId, PlanStep... plan) {
        return InvestigationRequest.of("inv-" + alertId, alertId, "default",
                new Target(clientId, "host-" + clientId, "10.0.0." + clientId.length(), "Windows", "gw-" + clientId), "rule", "v1",
                "2026-11-30T09:00:00Z", plan.length == 0 ? List.of(new PlanStep("snapshot", null, false)) : Arrays.asList(plan));
    }

    /** A snapshot investigation, accepted and not yet begun. */
    public static Investigation on(String alertId, String clientId) {
        return on(alertId, clientId, 0);
    }

    public static Investigation on(String alertId, String clientId, long now) {
        return Investigation.accepted(request(alertId, clientId), 1, now);
    }

    /** A snapshot investigation begun at its first phase by {@code progress}. */
    public static Investigation begun(String alertId, String clientId, InvestigationProgress progress, long now) {
        Investigation investigation = on(alertId, clientId, now);
        progress.begin(investigation);
        return investigation;
    }

    public static PlanStep step(String type) {
        return new PlanStep(type, null, false);
    }

    public static PlanStep goingOnAfterFailure(String type) {
        return new PlanStep(type, null, true);
    }
}
