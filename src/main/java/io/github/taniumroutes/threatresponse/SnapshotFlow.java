package io.github.taniumroutes.threatresponse;

import java.util.Set;

import io.github.taniumroutes.investigation.Target;
import jakarta.inject.Singleton;

/**
 * {@code snapshot}: a Recorder snapshot of the endpoint over a Threat Response live connection
 * (routes/snapshot.yaml). Its phases: connect → await-connection → request-snapshot → await-snapshot;
 * its clean-up, release, gives the shared live connection back.
 */
@Singleton
public class SnapshotFlow implements LiveConnectionFlow {

    /** The endpoint session a snapshot holds: the Threat Response live connection. */
    public static final String LIVE_CONNECTION = "threat-response";

    @Override
    public String type() {
        return "snapshot";
    }

    @Override
    public Set<String> parameters() {
        return Set.of();
    }

    @Override
    public String firstPhase() {
        return "connect";
    }

    @Override
    public String cleanUpPhase() {
        return "release";
    }

    /** Threat Response names the endpoint by its computer id (the Gateway's computerID, not its id). */
    @Override
    public String cannotRunOn(Target target) {
        return target.clientId() == null
                ? "no computerID from the Gateway for this endpoint, and Threat Response needs it as clientId"
                : null;
    }
}
