package io.github.taniumroutes.e2e;

import java.util.Map;

import io.github.taniumroutes.simulator.TaniumSimulator;
import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The enrichment tests' application (SharedEnrichmentTest, BatchedEnrichmentTest): the product's
 * shared-read window (the other tests run without one), and Tanium server "wide", a simulator of its
 * own with {@value #ENDPOINTS} endpoints (hosts scale-&lt;n&gt;, see LargeEstates) that the policy sends
 * those hosts' alerts to, so a test can count exactly the requests a batch made.
 */
public class EnrichmentEstate implements QuarkusTestProfile {

    static final int ENDPOINTS = 1000;
    private static TaniumSimulator wide;

    static synchronized TaniumSimulator wide() {
        if (wide == null) {
            try {
                wide = TaniumSimulator.start(0, LargeEstates.inventory(ENDPOINTS), KafkaAndSimulator.TOKEN);
            } catch (Exception e) {
                throw new IllegalStateException("cannot start the simulator of server wide", e);
            }
        }
        return wide;
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("tanium.enrich.shared-read-window", "PT5S",
                "policy.file", "src/test/resources/policies/enrichment.yaml",
                "tanium.servers.wide.url", wide().url(),
                "tanium.servers.wide.token", KafkaAndSimulator.TOKEN);
    }
}
