package io.github.taniumroutes.investigation;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Investigations in flight here by the type of the step they are on ({@code investigations.in.flight{step}})
 * and their polls of Tanium by step type ({@code investigation.polls{step}}). The step tag is one of the
 * flows' types, or {@code other} (a request from another version whose type has no flow here).
 */
@Startup
@ApplicationScoped
public class InvestigationMeters {

    static final String OTHER = "other";

    /** For an InvestigationProgress built outside the application (unit tests): counts nothing. */
    static final InvestigationMeters NONE = new InvestigationMeters();

    private final Set<String> types;
    private final Map<String, Counter> polls = new ConcurrentHashMap<>();

    @Inject
    public InvestigationMeters(InvestigationRegistry registry, InvestigationFlows flows, MeterRegistry meters) {
        this.types = Set.copyOf(flows.types());
        Set<String> tags = new TreeSet<>(types);
        tags.add(OTHER);
        for (String step : tags) {
            // Counted when scraped: at most investigations.max-in-flight investigations, once per step type.
            Gauge.builder("investigations.in.flight", registry, r -> r.running().stream().filter(i -> step.equals(tag(i.getStepType()))).count())
                    .description("Investigations running on this instance, by the type of their current step").tag("step", step)
                    .register(meters);
            polls.put(step, Counter.builder("investigation.polls").description("Polls of Tanium by investigation steps, by step type")
                    .tag("step", step).register(meters));
        }
    }

    /** For CDI's client proxy. */
    InvestigationMeters() {
        this.types = Set.of();
    }

    String tag(String stepType) {
        return stepType != null && types.contains(stepType) ? stepType : OTHER;
    }

    void polled(String stepType) {
        Counter counter = polls.get(tag(stepType));
        if (counter != null) {
            counter.increment();
        }
    }
}
