package io.github.taniumroutes.investigation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.camel.Variable;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.taniumroutes.alert.CanonicalAlert;
import io.github.taniumroutes.policy.Decision;
import io.github.taniumroutes.publish.ResultIds;
import io.github.taniumroutes.tanium.TaniumEndpoint;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/**
 * Investigation requests: written at intake for an enriched alert (one endpoint found) whose rule
 * plans long steps, read by the investigation-requests route. One request per alert carries the whole
 * plan. The investigation id is derived from the alert id, so a request produced twice (an alert
 * re-read after a failed batch) names the same investigation.
 */
@Singleton
@Named("investigationRequests")
public class InvestigationRequests {

    private final ObjectMapper mapper;
    private final InvestigationFlows flows;

    @Inject
    public InvestigationRequests(ObjectMapper mapper, InvestigationFlows flows) {
        this.mapper = mapper;
        this.flows = flows;
    }

    /**
     * The planned investigation: {@code request}, the JSON for the investigations topic (null when
     * the decision plans no long step that can run), and {@code decision}, the decision with every
     * long step that cannot run on this endpoint marked skipped, and every long step after one of
     * those, or after a step that is not implemented or was rejected, unless that step says
     * continueOnFailure.
     */
    public record Planned(String request, Decision decision) {
    }

    public Planned requestFor(@Variable("alert") CanonicalAlert alert, @Variable("endpoint") TaniumEndpoint endpoint,
            @Variable("taniumServer") String server, @Variable("decision") Decision decision) {
        if (decision == null || endpoint == null || endpoint.id() == null) {
            return new Planned(null, decision);
        }
        Target target = new Target(endpoint.computerId(), endpoint.name(), endpoint.ipAddress(), endpoint.platform(), endpoint.id());
        List<Decision.PlannedStep> steps = new ArrayList<>(decision.steps());
        List<PlanStep> plan = new ArrayList<>();
        String stoppedBy = null;
        for (int i = 0; i < steps.size(); i++) {
            Decision.PlannedStep step = steps.get(i);
            if (cannotBeTaken(step) && stoppedBy == null && !step.goesOnAfterFailure()) {
                // An evidence step that will not run is a failed step: nothing after it (a remediation) runs.
                stoppedBy = "step " + step.type() + " is " + step.status() + ", and a plan stops at a failed step";
                continue;
            }
            if (!"planned".equals(step.status()) || !flows.isLong(step.type())) {
                continue;
            }
            if (stoppedBy != null) {
                steps.set(i, step.skipped(stoppedBy));
                continue;
            }
            String cannot = flows.of(step.type()).cannotRunOn(target);
            if (cannot != null) {
                steps.set(i, step.skipped(cannot));
                if (!step.goesOnAfterFailure()) {
                    stoppedBy = "step " + step.type() + " cannot run on this endpoint, and a plan stops at a failed step";
                }
                continue;
            }
            plan.add(new PlanStep(step.type(), step.parameters(), step.goesOnAfterFailure(), step.dryRun(), step.remediation() ? step.why() : null));
        }
        Decision decided = new Decision(decision.policyVersion(), decision.rule(), decision.server(), decision.stale(), List.copyOf(steps));
        if (plan.isEmpty()) {
            return new Planned(null, decided);
        }
        InvestigationRequest request = InvestigationRequest.of(ResultIds.of(alert.id(), "investigation"), alert.id(), server, target,
                decision.rule(), decision.policyVersion(), Instant.now().toString(), plan);
        try {
            return new Planned(mapper.writeValueAsString(request), decided);
        } catch (Exception e) {
            throw new IllegalStateException("cannot write the investigation request", e);
        }
    }

    /** A step the decision already knows cannot be taken: no flow for its type, or a parameter refused. */
    private static boolean cannotBeTaken(Decision.PlannedStep step) {
        return "not_implemented".equals(step.status()) || "rejected".equals(step.status());
    }

    public InvestigationRequest read(byte[] value) {
        try {
            InvestigationRequest request = mapper.readValue(value, InvestigationRequest.class);
            if (request.investigationId() == null || request.target() == null || request.target().resultKey() == null
                    || request.server() == null || request.steps().isEmpty()) {
                throw new IllegalArgumentException("it names no investigation id, server, endpoint or step");
            }
            return request;
        } catch (Exception e) {
            throw new IllegalArgumentException("unreadable investigation request: " + e.getMessage(), e);
        }
    }
}
