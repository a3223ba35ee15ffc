package io.github.taniumroutes.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.github.taniumroutes.tanium.ServerSettings;
import io.github.taniumroutes.tanium.TaniumSettings;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start-up and reload of the policy file: a broken file stops the start, and on reload leaves the old policy in force. */
class PlaybookPolicyTest {

    private static final TaniumSettings SERVERS = () -> Map.of("default", ServerSettings.of("https://tanium.example.com", "t"));

    @TempDir
    Path dir;

    @Test
    void aBrokenPolicyStopsTheStartWithFileAndLine() throws Exception {
        Path file = dir.resolve("policy.yaml");
        Files.writeString(file, "default:\n  steps: [enrich]\nrules:\n  - name: r\n    steps: [snapshott]\n");

        assertThatThrownBy(() -> new PlaybookPolicy(file.toString(), "dry-run", dir.resolve("KILL").toString(), SERVERS, AllStepTypes.ALL,
                new DefaultCamelContext()))
                .isInstanceOf(PolicyException.class)
                .hasMessageContaining(file + ":5: unknown step 'snapshott'");
    }

    @Test
    void reloadTakesAValidChangeAndRefusesABrokenOne() throws Exception {
        Path file = dir.resolve("policy.yaml");
        Files.writeString(file, "default:\n  steps: [enrich]\n");
        PlaybookPolicy policy = new PlaybookPolicy(file.toString(), "live", dir.resolve("KILL").toString(), SERVERS, AllStepTypes.ALL,
                new DefaultCamelContext());
        String first = policy.current().version();
        assertThat(policy.current().mode()).isEqualTo(Policy.Mode.LIVE);

        Files.writeString(file, "default:\n  steps: [enrich, snapshot]\n");
        String second = policy.reloadIfChanged();
        assertThat(second).isNotEqualTo(first);
        assertThat(policy.current().defaultRule().steps()).hasSize(2);

        Files.writeString(file, "default: [\n");
        assertThat(policy.reloadIfChanged()).isEqualTo(second);
        assertThat(policy.current().defaultRule().steps()).hasSize(2);
    }
}
