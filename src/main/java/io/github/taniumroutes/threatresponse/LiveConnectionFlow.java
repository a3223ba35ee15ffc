package io.github.taniumroutes.threatresponse;

import io.github.taniumroutes.investigation.InvestigationFlow;
import io.github.taniumroutes.investigation.Target;

/**
 * A flow that works over the endpoint's Threat Response live connection (snapshot, file-evidence) through
 * the shared routes live-connection-open, -await and -release (routes/snapshot.yaml). Consecutive steps of a
 * plan that are such flows share one connection: the first keeps it for the next instead of closing it.
 */
public interface LiveConnectionFlow extends InvestigationFlow {

    /** Threat Response names the endpoint by its computer id (the Gateway's computerID, not its id). */
    @Override
    default String cannotRunOn(Target target) {
        return target.clientId() == null
                ? "no computerID from the Gateway for this endpoint, and Threat Response needs it as clientId"
                : null;
    }
}
