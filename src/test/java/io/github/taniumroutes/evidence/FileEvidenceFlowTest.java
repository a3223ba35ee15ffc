package io.github.taniumroutes.evidence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.github.taniumroutes.alert.CanonicalAlert;
import io.github.taniumroutes.investigation.Target;
import io.github.taniumroutes.policy.ParameterTemplate;
import io.github.taniumroutes.policy.StepType;

/** The file-evidence step as the policy sees it: its parameters checked when the policy is read, its paths filled in per alert. */
class FileEvidenceFlowTest {

    private static final StepType.PolicyContext POLICY = new StepType.PolicyContext(Set.of());
    private final FileEvidenceFlow flow = new FileEvidenceFlow();

    private List<String> problems(Object paths, Object allowed) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        if (paths != null) {
            parameters.put("paths", paths);
        }
        if (allowed != null) {
            parameters.put("allowedPaths", allowed);
        }
        return flow.problems(parameters, POLICY);
    }

    @Test
    void aStepWithPathsTemplatesTracesAndPatternsIsAccepted() {
        assertThat(problems(List.of("${file.path}", Map.of("path", "/opt/cryptosense/traces/trace.cst.gz", "trace", "cst")),
                List.of("/opt/cryptosense/traces/*.gz", "C:\\Users\\*\\Downloads\\**"))).isEmpty();
        assertThat(flow.firstPhase()).isEqualTo("check");
        assertThat(flow.cleanUpPhase()).isEqualTo("release");
        assertThat(flow.isRemediation(Map.of())).isFalse();
    }

    @Test
    void everyMistakeIsNamed() {
        assertThat(problems(List.of("/var/log/auth.log"), null)).singleElement().asString().contains("needs 'allowedPaths'");
        assertThat(problems(null, List.of("/var/log/**"))).singleElement().asString().contains("needs 'paths'");
        assertThat(problems(List.of("/var/log/auth.log"), List.of("var/log/**"))).anyMatch(p -> p.contains("not absolute"));
        assertThat(problems(List.of("${file.name}"), List.of("/var/log/**"))).singleElement().asString().contains("unknown alert field 'file.name'");
        assertThat(problems(List.of("/etc/shadow"), List.of("/var/log/**"))).singleElement().asString()
                .contains("'/etc/shadow' is not allowed by any of 'allowedPaths'");
        assertThat(problems(List.of("/var/log/../shadow"), List.of("/var/log/**"))).singleElement().asString().contains("not allowed");
        assertThat(problems(List.of(Map.of("path", "/var/log/x", "trace", "zip")), List.of("/var/log/**"))).singleElement().asString()
                .contains("'trace' must be one of");
        assertThat(problems(List.of(Map.of("path", "/var/log/x", "mode", "fast")), List.of("/var/log/**"))).singleElement().asString()
                .contains("not 'mode'");
        assertThat(problems(List.of("/a", "/b", "/c", "/d", "/e", "/f", "/g", "/h", "/i"), List.of("/**"))).singleElement().asString()
                .contains("at most 8 paths");
    }

    @Test
    void anAlertsFieldsFillThePathsAndAMissingOneRejectsTheStep() throws Exception {
        CanonicalAlert alert = new CanonicalAlert("a-1", "canonical", "canonical", null, "high", null, null, "db-prod-01", null, null, null,
                new CanonicalAlert.FileInfo("/var/log/app (2)/x.log", null), null, null);
        Map<String, Object> parameters = Map.of("paths", List.of("${file.path}", Map.of("path", "/opt/t.cst.gz", "trace", "cst")),
                "allowedPaths", List.of("/var/log/**"));

        Map<String, Object> rendered = flow.render(parameters, alert);

        assertThat(FileEvidenceFlow.paths(rendered)).containsExactly(new FileEvidenceFlow.PathSpec("/var/log/app (2)/x.log", null),
                new FileEvidenceFlow.PathSpec("/opt/t.cst.gz", "cst"));
        assertThat(FileEvidenceFlow.allowedPaths(rendered)).containsExactly("/var/log/**");
        CanonicalAlert noFile = new CanonicalAlert("a-2", "canonical", "canonical", null, "high", null, null, "db-prod-01", null, null, null,
                null, null, null);
        assertThatThrownBy(() -> flow.render(parameters, noFile)).isInstanceOf(ParameterTemplate.Rejected.class)
                .hasMessageContaining("file.path").hasMessageContaining("no value");
    }

    @Test
    void anEndpointWithoutAComputerIdCannotBeConnectedTo() {
        assertThat(flow.cannotRunOn(new Target(null, "h", null, "Linux", "1004"))).contains("computerID");
        assertThat(flow.cannotRunOn(new Target("9065204", "h", null, "Linux", "1004"))).isNull();
    }
}
