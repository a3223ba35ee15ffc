package io.github.taniumroutes.investigation;

/** Investigations for unit tests. */
public final class Investigations {

    private Investigations() {
    }

    public static Investigation on(String alertId, String clientId) {
        return on(alertId, clientId, 0);
    }

    public static Investigation on(String alertId, String clientId, long now) {
        InvestigationRequest request = new InvestigationRequest(1, "inv-" + alertId, alertId, "snapshot", "default",
                new Target(clientId, "host-" + clientId, "10.0.0." + clientId.length(), "Windows", "gw-" + clientId), "rule", "v1",
                "2026-11-30T09:00:00Z", 600_000, 1_800_000);
        return Investigation.accepted(request, 1, now);
    }
}
