package io.github.taniumroutes.enrich;

import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.taniumroutes.policy.StepType;
import jakarta.inject.Singleton;

/** {@code enrich}: the endpoint lookup and live sensor read every alert gets (routes/enrich.yaml); {@code sensors} replaces the configured ones. */
@Singleton
public class EnrichStep implements StepType {

    @Override
    public String type() {
        return "enrich";
    }

    @Override
    public Set<String> parameters() {
        return Set.of("sensors");
    }

    @Override
    public List<String> problems(Map<String, Object> parameters, PolicyContext policy) {
        Object sensors = parameters.get("sensors");
        if (sensors != null && !(sensors instanceof List<?> list && !list.isEmpty() && list.stream().allMatch(String.class::isInstance))) {
            return List.of("step 'enrich' takes 'sensors' as a non-empty list of sensor names");
        }
        return List.of();
    }
}
