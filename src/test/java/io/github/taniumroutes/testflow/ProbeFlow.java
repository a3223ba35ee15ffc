package io.github.taniumroutes.testflow;

import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.taniumroutes.investigation.InvestigationFlow;
import jakarta.inject.Singleton;

/** {@code probe}: the test-only flow of src/test/resources/flows/probe.yaml; it takes {@code fail: true|false}. */
@Singleton
public class ProbeFlow implements InvestigationFlow {

    @Override
    public String type() {
        return "probe";
    }

    @Override
    public Set<String> parameters() {
        return Set.of("fail");
    }

    @Override
    public List<String> problems(Map<String, Object> parameters, PolicyContext policy) {
        Object fail = parameters.get("fail");
        return fail == null || "true".equals(fail) || "false".equals(fail) ? List.of() : List.of("step 'probe' takes 'fail' as true or false, not '" + fail + "'");
    }

    @Override
    public String firstPhase() {
        return "start";
    }

    @Override
    public String cleanUpPhase() {
        return "clean-up";
    }
}
