package io.github.taniumroutes.investigation;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.microprofile.config.Config;

import io.github.taniumroutes.policy.Decision;
import io.github.taniumroutes.policy.StepType;
import io.github.taniumroutes.policy.StepTypes;
import io.quarkus.arc.All;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/**
 * The investigation flows this application runs, by step type: every {@link InvestigationFlow} bean,
 * and every flow declared in configuration alone, for a flow whose routes need no Java and take no
 * parameters: {@code investigations.flows.<type>.first-phase} (and optionally {@code .clean-up}) next
 * to its {@code routes/<type>.yaml}.
 */
@Singleton
@Named("investigationFlows")
public class InvestigationFlows implements StepTypes.Catalogue {

    private static final Pattern DECLARED = Pattern.compile("investigations\\.flows\\.([a-z0-9][a-z0-9-]*)\\.first-phase");

    private final Map<String, InvestigationFlow> byType = new LinkedHashMap<>();
    private final List<StepType> declared;

    @Inject
    public InvestigationFlows(@All List<StepType> types, Config config) {
        this(types, declared(config));
    }

    public InvestigationFlows(Collection<? extends StepType> types, List<InvestigationFlow> declaredInConfig) {
        for (StepType type : types) {
            if (type instanceof InvestigationFlow flow) {
                byType.put(flow.type(), flow);
            }
        }
        for (InvestigationFlow flow : declaredInConfig) {
            byType.putIfAbsent(flow.type(), flow);
        }
        this.declared = declaredInConfig.stream().filter(f -> byType.get(f.type()) == f).map(StepType.class::cast).toList();
    }

    /** The flow of a step type, or null when this application has none (a request written by another version). */
    public InvestigationFlow of(String type) {
        return byType.get(type);
    }

    /** Every step type that has a flow here. */
    public Set<String> types() {
        return byType.keySet();
    }

    public boolean isLong(String type) {
        return byType.containsKey(type);
    }

    /** The decision's planned steps that are not long: each is carried out by its route, direct:step-<type>, on the alert's exchange. */
    public List<Decision.PlannedStep> shortSteps(Decision decision) {
        return decision.dispatchable().stream().filter(step -> !isLong(step.type())).toList();
    }

    @Override
    public Collection<StepType> stepTypes() {
        return declared;
    }

    private static List<InvestigationFlow> declared(Config config) {
        Map<String, InvestigationFlow> flows = new LinkedHashMap<>();
        for (String name : config.getPropertyNames()) {
            Matcher matcher = DECLARED.matcher(name);
            if (matcher.matches()) {
                String type = matcher.group(1);
                String firstPhase = config.getValue(name, String.class);
                String cleanUp = config.getOptionalValue("investigations.flows." + type + ".clean-up", String.class).orElse(null);
                flows.put(type, new DeclaredFlow(type, firstPhase, cleanUp));
            }
        }
        return List.copyOf(flows.values());
    }

    /** A flow declared in configuration: it takes no parameters. */
    record DeclaredFlow(String type, String firstPhase, String cleanUpPhase) implements InvestigationFlow {
        @Override
        public Set<String> parameters() {
            return Set.of();
        }
    }
}
