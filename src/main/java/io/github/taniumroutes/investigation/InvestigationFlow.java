package io.github.taniumroutes.investigation;

import io.github.taniumroutes.policy.StepType;

/**
 * A long step type: one that polls Tanium, and so runs as a step of an investigation rather than on
 * the alert's exchange. Its routes live in {@code routes/<type>.yaml}: each phase is the route
 * {@code direct:<type>-<phase>}, entered first at {@link #firstPhase()}; {@link #cleanUpPhase()}, if
 * any, is run by the engine at every end of the step (outcome, failure, deadline) before its result
 * goes out. The engine knows flows only through this interface.
 */
public interface InvestigationFlow extends StepType {

    String firstPhase();

    /** The phase that gives back what the step holds (a live connection, a session); null if it holds nothing. */
    default String cleanUpPhase() {
        return null;
    }

    /**
     * Checked at intake, for the alert's endpoint: why the step cannot run there (the request would
     * only fail), or null if it can. A step that cannot run is reported {@code skipped} in the decision.
     */
    default String cannotRunOn(Target target) {
        return null;
    }

    @Override
    default String entryRoute() {
        return type() + "-" + firstPhase();
    }
}
