package io.github.taniumroutes.question;

import java.util.Set;

import io.github.taniumroutes.policy.StepType;
import jakarta.inject.Singleton;

/** {@code question}: a Tanium question about the endpoint (not built yet: reported as not_implemented). */
@Singleton
public class QuestionStep implements StepType {

    @Override
    public String type() {
        return "question";
    }

    @Override
    public Set<String> parameters() {
        return Set.of("sensor", "filter");
    }
}
