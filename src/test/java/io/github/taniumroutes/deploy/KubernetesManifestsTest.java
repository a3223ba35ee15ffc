package io.github.taniumroutes.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The Kubernetes base ships every route file and GraphQL document: a file left out of its
 * ConfigMap is a flow that silently does not exist in the cluster.
 */
class KubernetesManifestsTest {

    @Test
    void everyRouteFileAndGraphQlDocumentIsInItsConfigMap() throws IOException {
        assertThat(configMapFiles("tanium-response-routes-routes")).containsExactlyInAnyOrderElementsOf(files("routes", ".yaml"));
        assertThat(configMapFiles("tanium-response-routes-graphql"))
                .containsExactlyInAnyOrderElementsOf(files("config/graphql", ".graphql"));
    }

    @SuppressWarnings("unchecked")
    private static List<String> configMapFiles(String name) throws IOException {
        Map<String, Object> kustomization = (Map<String, Object>) new Load(LoadSettings.builder().build())
                .loadFromString(Files.readString(Path.of("k8s/base/kustomization.yaml")));
        List<Map<String, Object>> generators = (List<Map<String, Object>>) kustomization.get("configMapGenerator");
        return generators.stream().filter(g -> name.equals(g.get("name"))).findFirst()
                .map(g -> ((List<String>) g.get("files")).stream().map(f -> Path.of(f).getFileName().toString()).toList())
                .orElseThrow(() -> new AssertionError("no ConfigMap " + name));
    }

    private static List<String> files(String dir, String suffix) throws IOException {
        try (Stream<Path> listing = Files.list(Path.of(dir))) {
            return listing.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(suffix)).toList();
        }
    }
}
