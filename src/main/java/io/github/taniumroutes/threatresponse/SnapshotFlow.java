package io.github.taniumroutes.threatresponse;

import java.util.Set;

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
}
