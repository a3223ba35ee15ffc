package io.github.taniumroutes.threatresponse;

import io.github.taniumroutes.investigation.InvestigationFlow;

/**
 * A flow that works over the endpoint's Threat Response live connection (snapshot, file-evidence) through
 * the shared routes live-connection-open, -await and -release (routes/snapshot.yaml). Consecutive steps of a
 * plan that are such flows share one connection: the first keeps it for the next instead of closing it.
 */
public interface LiveConnectionFlow extends InvestigationFlow {
}
