package io.github.taniumroutes.policy;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

import io.quarkus.arc.All;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/** Every step type the application has, by name: the policy accepts exactly these. */
@Singleton
public class StepTypes {

    private final Map<String, StepType> byName = new TreeMap<>();

    /** Step types that are not beans of their own (flows declared in configuration). */
    public interface Catalogue {
        Collection<StepType> stepTypes();
    }

    @Inject
    public StepTypes(@All java.util.List<StepType> types, @All java.util.List<Catalogue> catalogues) {
        this(concat(types, catalogues));
    }

    private static Collection<StepType> concat(java.util.List<StepType> types, java.util.List<Catalogue> catalogues) {
        java.util.List<StepType> all = new java.util.ArrayList<>(types);
        catalogues.forEach(c -> all.addAll(c.stepTypes()));
        return all;
    }

    public StepTypes(Collection<StepType> types) {
        for (StepType type : types) {
            if (byName.putIfAbsent(type.type(), type) != null) {
                throw new IllegalStateException("two step types are named '" + type.type() + "'");
            }
        }
    }

    public static StepTypes of(StepType... types) {
        return new StepTypes(java.util.List.of(types));
    }

    /** The type, or null if there is none of that name. */
    public StepType get(String name) {
        return byName.get(name);
    }

    public java.util.Set<String> names() {
        return byName.keySet();
    }
}
