package io.github.taniumroutes.tanium;

import io.github.taniumroutes.alert.CanonicalAlert;

/** CanonicalAlert instances for the tanium package's tests. */
final class TestAlerts {

    private TestAlerts() {
    }

    static CanonicalAlert alert(String id, String hostname, String ip, String taniumEndpointId) {
        return new CanonicalAlert(id, "test", "canonical", "2024-05-01T10:00:00Z", "high", "malware", "rule-1",
                hostname, ip, taniumEndpointId, null, null, null, null);
    }

    static CanonicalAlert host(String hostname) {
        return alert("alert-1", hostname, null, null);
    }
}
