package io.github.taniumroutes.threatresponse;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.taniumroutes.investigation.Investigation;
import io.github.taniumroutes.investigation.InvestigationProgress;
import io.github.taniumroutes.investigation.StepState;
import io.github.taniumroutes.publish.ResultIds;
import io.github.taniumroutes.tanium.TaniumErrors;
import io.github.taniumroutes.tanium.TaniumJson;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/**
 * What an alert-state step (routes/alert-state.yaml) does with each reply. The state is set at most
 * once: "about to set" ({@code stateRequestedAt}) is journaled before the PUT; a step that resumes with
 * that mark and no {@code stateSetAt} first reads the alert, and sets nothing when it has the state
 * already. Outcomes: {@code completed}, {@code not_applicable} (not a Threat Response alert, or an
 * earlier step did not complete), and the engine's {@code expired} and {@code tanium_error}.
 */
@Singleton
@Named("alertStateSteps")
public class AlertStateSteps {

    static final String REQUESTED_AT = "stateRequestedAt";
    static final String SET_AT = "stateSetAt";

    private final ObjectMapper mapper;
    private final InvestigationProgress progress;
    private final Clock clock;

    @Inject
    public AlertStateSteps(ObjectMapper mapper, InvestigationProgress progress) {
        this(mapper, progress, Clock.systemUTC());
    }

    public AlertStateSteps(ObjectMapper mapper, InvestigationProgress progress, Clock clock) {
        this.mapper = mapper;
        this.progress = progress;
        this.clock = clock;
    }

    /** Whether the step has an alert to write to, and (by default) a plan whose earlier steps all completed; else it ends not_applicable. */
    public boolean applies(Investigation investigation) {
        Map<String, Object> parameters = investigation.getParameters();
        if (!parameters.containsKey(AlertStateFlow.ALERT_ID)) {
            progress.finish(investigation, "not_applicable", "the alert did not come from Threat Response: there is no alert to set");
            return false;
        }
        if (!Boolean.FALSE.equals(parameters.get("afterCompleted"))) {
            for (int i = 0; i < investigation.getStepNumber() - 1; i++) {
                StepState earlier = investigation.getSteps().get(i);
                if (!"completed".equals(earlier.getOutcome())) {
                    progress.finish(investigation, "not_applicable", "step " + (i + 1) + " (" + earlier.getType() + ") ended "
                            + earlier.getOutcome() + ", and the state is set only after every earlier step completed");
                    return false;
                }
            }
        }
        return true;
    }

    /** True when the step asked Tanium to set the state and never saw the answer: the alert is read before asking again. */
    public boolean outcomeUnknown(Investigation investigation) {
        return investigation.getState().containsKey(REQUESTED_AT) && !investigation.getState().containsKey(SET_AT);
    }

    /** The alert as Tanium has it now: true (and the step completed) when it has the state already. */
    public boolean alreadySet(Investigation investigation, String reply) {
        JsonNode alert = TaniumJson.data(mapper, reply, "alert");
        String now = alert.path("state").asText("");
        if (target(investigation).equalsIgnoreCase(now)) {
            progress.remember(investigation, SET_AT, Instant.ofEpochMilli(clock.millis()).toString());
            progress.report(investigation, "alertState", now);
            progress.complete(investigation);
            return true;
        }
        return false;
    }

    /** Journaled before the state is set. */
    public void requesting(Investigation investigation) {
        progress.remember(investigation, REQUESTED_AT, Instant.ofEpochMilli(clock.millis()).toString());
    }

    /** {@code PUT /alerts/{id}}'s body. */
    public String body(Investigation investigation) {
        return TaniumJson.write(mapper, Map.of("state", target(investigation)));
    }

    /** The PUT failed: when Tanium certainly did nothing the mark goes; otherwise the alert is read before anything is asked again. */
    public void refused(Investigation investigation, Exception refusal) throws Exception {
        if (TaniumErrors.nothingDone(refusal)) {
            progress.remember(investigation, REQUESTED_AT, null);
        }
        throw refusal;
    }

    /** Tanium set the state. */
    public void set(Investigation investigation, String reply) {
        JsonNode alert = TaniumJson.data(mapper, reply, "alert");
        progress.remember(investigation, SET_AT, Instant.ofEpochMilli(clock.millis()).toString());
        progress.report(investigation, "alertState", alert.path("state").asText(target(investigation)));
        progress.complete(investigation);
    }

    /** The audit record of a state written to an alert. */
    public String auditRecord(Investigation investigation) {
        ObjectNode audit = mapper.createObjectNode();
        audit.put("schemaVersion", 1);
        audit.put("auditId", ResultIds.of(investigation.getRequest().alertId(), "audit step " + investigation.getStepNumber() + " alert-state"));
        audit.put("alertId", investigation.getRequest().alertId());
        audit.put("investigationId", investigation.getId());
        audit.put("step", "alert-state");
        audit.put("stepNumber", investigation.getStepNumber());
        audit.put("taniumServer", investigation.getServer());
        audit.put("threatResponseAlertId", String.valueOf(investigation.getParameters().get(AlertStateFlow.ALERT_ID)));
        audit.put("state", target(investigation));
        audit.put("setAt", investigation.getState().get(SET_AT));
        audit.put("rule", investigation.getRequest().rule());
        audit.put("policyVersion", investigation.getRequest().policyVersion());
        return audit.toString();
    }

    private static String target(Investigation investigation) {
        return String.valueOf(investigation.getParameters().get("state"));
    }
}
