package io.github.taniumroutes.evidence;

import java.util.Set;

import io.github.taniumroutes.policy.StepType;
import jakarta.inject.Singleton;

/** {@code file-evidence}: files collected from the endpoint (not built yet: reported as not_implemented). */
@Singleton
public class FileEvidenceStep implements StepType {

    @Override
    public String type() {
        return "file-evidence";
    }

    @Override
    public Set<String> parameters() {
        return Set.of("paths");
    }
}
