package io.github.taniumroutes.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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

    /**
     * On Kubernetes the policy is a ConfigMap mounted as a directory: policy.yaml is a symlink to
     * ..data/policy.yaml, ..data a symlink to a timestamped directory, and an update writes a new directory
     * and renames a new ..data symlink over the old one. The file's own path never changes, nor its link.
     */
    @Test
    void reloadSeesAConfigMapUpdateTheWayTheKubeletMakesIt() throws Exception {
        Path mount = Files.createDirectories(dir.resolve("policy"));
        Path first = Files.createDirectories(mount.resolve("..2026_12_08_10_00_00.000000001"));
        Files.writeString(first.resolve("policy.yaml"), "default:\n  steps: [enrich]\n");
        Files.createSymbolicLink(mount.resolve("..data"), mount.relativize(first));
        Files.createSymbolicLink(mount.resolve("policy.yaml"), Path.of("..data/policy.yaml"));
        Path file = mount.resolve("policy.yaml");
        Path killSwitch = mount.resolve("KILL_SWITCH");
        PlaybookPolicy policy = new PlaybookPolicy(file.toString(), "live", killSwitch.toString(), SERVERS, AllStepTypes.ALL,
                new DefaultCamelContext());
        String before = policy.current().version();
        assertThat(policy.dryRunNow("default")).doesNotContain("kill switch");

        // kubectl apply of a changed policy, and a KILL_SWITCH key added to the ConfigMap.
        Path second = Files.createDirectories(mount.resolve("..2026_12_08_10_01_00.000000002"));
        Files.writeString(second.resolve("policy.yaml"), "default:\n  steps: [enrich, snapshot]\n");
        Files.writeString(second.resolve("KILL_SWITCH"), "on");
        Files.createSymbolicLink(mount.resolve("..data_tmp"), mount.relativize(second));
        Files.move(mount.resolve("..data_tmp"), mount.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Files.createSymbolicLink(killSwitch, Path.of("..data/KILL_SWITCH"));
        Files.delete(first.resolve("policy.yaml"));
        Files.delete(first);

        assertThat(policy.reloadIfChanged()).isNotEqualTo(before);
        assertThat(policy.current().defaultRule().steps()).hasSize(2);
        assertThat(policy.dryRunNow("default")).contains("kill switch");
    }
}
