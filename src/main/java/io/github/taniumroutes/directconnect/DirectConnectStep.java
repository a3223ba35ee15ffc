package io.github.taniumroutes.directconnect;

import java.util.Map;
import java.util.Set;

import io.github.taniumroutes.policy.StepType;
import jakarta.inject.Singleton;

/** {@code direct-connect}: live triage of the endpoint, and with {@code kill} a remediation (not built yet: reported as not_implemented). */
@Singleton
public class DirectConnectStep implements StepType {

    @Override
    public String type() {
        return "direct-connect";
    }

    @Override
    public Set<String> parameters() {
        return Set.of("triage", "kill");
    }

    @Override
    public boolean isRemediation(Map<String, Object> parameters) {
        return parameters.containsKey("kill");
    }
}
