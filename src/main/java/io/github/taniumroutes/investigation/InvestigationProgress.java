package io.github.taniumroutes.investigation;

import java.time.Clock;
import java.time.Duration;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/**
 * How an investigation moves: what the engine does between steps, and the few things a flow's
 * phases may do to the investigation in variable {@code investigation}:
 * <ul>
 * <li>{@link #moveTo} the next phase (with a new deadline, or within the current one);</li>
 * <li>{@link #phaseLasted}: whether the phase has gone on for a while (resumed phases keep their start);</li>
 * <li>{@link #waitOrExpire}: not ready yet, so poll again on the adaptive schedule, or end the step
 * {@code expired} once its deadline has passed;</li>
 * <li>{@link #remember} a Tanium id or flag in the step's journaled state, {@link #report} what the
 * step found for its result, count a {@link #polled poll};</li>
 * <li>{@link #complete}, {@link #finish} (an outcome of its own that is no failure) or {@link #fail} the step.</li>
 * </ul>
 * A phase that throws ends the step {@code tanium_error} (routes/investigations.yaml).
 */
@Singleton
@Named("investigationProgress")
public class InvestigationProgress {

    public static final String COMPLETED = "completed";
    public static final String EXPIRED = "expired";
    public static final String TANIUM_ERROR = "tanium_error";
    public static final String SKIPPED = "skipped";
    public static final String NOT_IMPLEMENTED = "not_implemented";

    private final InvestigationFlows flows;
    private final PollSchedule schedule;
    private final Duration defaultDeadline;
    private final Clock clock;
    private InvestigationMeters meters = InvestigationMeters.NONE;

    @Inject
    public InvestigationProgress(InvestigationFlows flows,
            @ConfigProperty(name = "investigations.poll.initial-ms") long initialMs,
            @ConfigProperty(name = "investigations.poll.multiplier") double multiplier,
            @ConfigProperty(name = "investigations.poll.max-ms") long maxMs,
            @ConfigProperty(name = "investigations.step-deadline") Duration defaultDeadline) {
        this(flows, new PollSchedule(initialMs, multiplier, maxMs), defaultDeadline, Clock.systemUTC());
    }

    /** Polls are counted once the application is up; a progress built by a unit test counts nowhere. */
    @Inject
    void meters(InvestigationMeters meters) {
        this.meters = meters;
    }

    public InvestigationProgress(InvestigationFlows flows, PollSchedule schedule, Duration defaultDeadline, Clock clock) {
        this.flows = flows;
        this.schedule = schedule;
        this.defaultDeadline = defaultDeadline;
        this.clock = clock;
    }

    // ---- for the flows ----

    /** Enters {@code phase} within the current deadline; it runs without waiting. */
    public void moveTo(Investigation investigation, String phase) {
        investigation.enter(phase, clock.millis(), investigation.getPhaseDeadline());
    }

    /** Enters {@code phase} with a deadline {@code deadline} (ISO-8601, e.g. PT10M) from now; it runs without waiting. */
    public void moveTo(Investigation investigation, String phase, String deadline) {
        long now = clock.millis();
        investigation.enter(phase, now, now + Duration.parse(deadline).toMillis());
    }

    /** Not ready yet: the phase runs again after the schedule's next interval, or the step ends {@code expired} with {@code why}. */
    public void waitOrExpire(Investigation investigation, String why) {
        if (clock.millis() > investigation.getPhaseDeadline()) {
            end(investigation, EXPIRED, why, true);
        } else {
            investigation.waitAgain(schedule);
        }
    }

    /** Whether the current phase has lasted {@code duration} (ISO-8601): for a flow that gives Tanium time before it asks. */
    public boolean phaseLasted(Investigation investigation, String duration) {
        return clock.millis() - investigation.getPhaseStartedAt() >= Duration.parse(duration).toMillis();
    }

    public void polled(Investigation investigation, String counter) {
        investigation.current().polled(counter);
        meters.polled(investigation.getStepType());
    }

    /** Keeps {@code value} (a Tanium id, a flag; null removes it) in the step's journaled state; it is also in the step's result. */
    public void remember(Investigation investigation, String key, Object value) {
        investigation.current().remember(key, value == null ? null : String.valueOf(value));
        investigation.changed();
    }

    /** Adds {@code value} to the step's result as {@code field}; not journaled. */
    public void report(Investigation investigation, String field, Object value) {
        investigation.current().getDetails().put(field, value);
    }

    public void complete(Investigation investigation) {
        end(investigation, COMPLETED, null, false);
    }

    /** Ends the step with an outcome of the flow's own that is not a failure (a dry run): the plan goes on. */
    public void finish(Investigation investigation, String outcome, String reason) {
        end(investigation, outcome, reason, false);
    }

    /** Ends the step with an outcome of the flow's own, as a failure: the plan stops here unless the step says continueOnFailure. */
    public void fail(Investigation investigation, String outcome, String reason) {
        end(investigation, outcome, reason, true);
    }

    // ---- for the engine (routes/investigations.yaml) ----

    /** Starts the current step at its flow's first phase, or ends it at once when it is not to run. */
    public void begin(Investigation investigation) {
        if (!investigation.isActive() || investigation.getPhase() != null || investigation.current().isEnded()) {
            return;
        }
        long now = clock.millis();
        if (investigation.stoppedBy() != null) {
            investigation.current().ended(SKIPPED, investigation.stoppedBy(), true, now);
            investigation.markStepEnded();
            return;
        }
        InvestigationFlow flow = flows.of(investigation.getStepType());
        if (flow == null) {
            investigation.current().ended(NOT_IMPLEMENTED, "this version has no flow for step type '" + investigation.getStepType() + "'",
                    true, now);
            investigation.markStepEnded();
            return;
        }
        investigation.current().started(now);
        investigation.enter(flow.firstPhase(), now, now + defaultDeadline.toMillis());
    }

    /** A phase failed (Tanium still failing after the retries, or a reply that cannot be read). */
    public void failed(Investigation investigation, String reason) {
        failed(investigation, TANIUM_ERROR, reason);
    }

    /**
     * A phase could not reach Tanium (unreachable, timing out, 5xx after the retries): the step is
     * not ended but waits on its schedule and runs the phase again, until the phase's deadline, when
     * it ends {@code expired} with the reason.
     */
    public void unreachable(Investigation investigation, String reason) {
        waitOrExpire(investigation, "Tanium did not answer before the deadline: " + reason);
    }

    /** A phase failed with the outcome the failure calls for ({@code tanium_error}, {@code tanium_unauthorized}). */
    public void failed(Investigation investigation, String outcome, String reason) {
        end(investigation, outcome, reason, true);
    }

    /** The route of the step's clean-up phase, or null when the step holds nothing (or never started). */
    public String cleanUp(Investigation investigation) {
        InvestigationFlow flow = flows.of(investigation.getStepType());
        return flow == null || flow.cleanUpPhase() == null || !investigation.current().isStarted() ? null
                : "direct:" + flow.type() + "-" + flow.cleanUpPhase();
    }

    /** The phase's Tanium calls, counted for the step and the investigation. */
    public void counted(Investigation investigation, int taniumCalls) {
        investigation.taniumCalled(taniumCalls);
    }

    /**
     * The ended step's result is out: on to the next step (a failure stops the plan unless the step
     * says continueOnFailure: the steps after it are skipped), or done after the last.
     */
    public void advance(Investigation investigation) {
        StepState ended = investigation.current();
        ended.published();
        if (ended.isFailed() && investigation.stoppedBy() == null && !investigation.getPlanned().continueOnFailure()) {
            investigation.stop("step " + investigation.getStepNumber() + " (" + ended.getType() + ") ended " + ended.getOutcome()
                    + ", and a plan stops at a failed step");
        }
        if (investigation.stepIndex() + 1 >= investigation.getSteps().size()) {
            investigation.done(clock.millis());
        } else {
            investigation.nextStep();
            begin(investigation);
        }
    }

    private void end(Investigation investigation, String outcome, String reason, boolean failure) {
        investigation.current().ended(outcome, reason, failure, clock.millis());
        investigation.markStepEnded();
    }
}
