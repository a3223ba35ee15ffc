package io.github.taniumroutes.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The test's kustomize renders what the manifests use as kustomize does, and refuses the rest. */
class KustomizeTest {

    @TempDir
    Path dir;

    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: app
            spec:
              replicas: 2
              selector:
                matchLabels: {}
              template:
                spec:
                  containers:
                    - name: main
                      image: example/app:1.0
                      env:
                        - name: A
                          value: a
                        - name: FROM_MAP
                          valueFrom:
                            configMapKeyRef: {name: settings, key: x}
                      envFrom:
                        - configMapRef: {name: settings}
                  volumes:
                    - name: files
                      configMap: {name: files}
                    - name: made-by-hand
                      configMap: {name: not-generated}
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata:
              name: app
            spec:
              podSelector:
                matchLabels: {}
              ingress:
                - from:
                    - podSelector:
                        matchLabels: {role: scraper}
                    - namespaceSelector:
                        matchLabels: {team: monitoring}
            """;

    private Path base() throws IOException {
        Path base = Files.createDirectories(dir.resolve("base"));
        Files.writeString(base.resolve("deployment.yaml"), DEPLOYMENT);
        Files.writeString(base.resolve("file.txt"), "hello <world>\n");
        Files.writeString(base.resolve("kustomization.yaml"), """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                labels:
                  - pairs: {app: demo}
                    includeSelectors: true
                resources: [deployment.yaml]
                configMapGenerator:
                  - name: settings
                    literals: ["x=1", "y=\\"two\\""]
                  - name: files
                    files: [file.txt, renamed.txt=file.txt]
                    options:
                      disableNameSuffixHash: true
                      labels: {kind: files}
                """);
        return base;
    }

    @Test
    void hashesLikeKustomize() {
        // Vectors from kustomize's api/hasher/hasher_test.go (a ConfigMap without a name).
        assertThat(Kustomize.configMapHash("", Map.of("one", ""))).isEqualTo("9g67k2htb6");
        assertThat(Kustomize.goJson("a<b>&\"\\\n")).isEqualTo("\"a\\u003cb\\u003e\\u0026\\\"\\\\\\n\"");
    }

    @Test
    void generatesConfigMapsLabelsSelectorsAndRewritesReferencesToHashedNames() throws IOException {
        List<Map<String, Object>> resources = Kustomize.build(base());

        Map<String, Object> settings = find(resources, "ConfigMap", "settings-");
        String hashed = (String) Kustomize.metadata(settings).get("name");
        assertThat(hashed).matches("settings-[a-z0-9]{10}");
        assertThat(settings.get("data")).isEqualTo(Map.of("x", "1", "y", "two"));
        Map<String, Object> files = find(resources, "ConfigMap", "files");
        assertThat(Kustomize.metadata(files).get("name")).isEqualTo("files");
        assertThat(Kustomize.metadata(files).get("labels")).isEqualTo(Map.of("kind", "files", "app", "demo"));
        assertThat(files.get("data")).isEqualTo(Map.of("file.txt", "hello <world>\n", "renamed.txt", "hello <world>\n"));

        Map<String, Object> deployment = find(resources, "Deployment", "app");
        assertThat(at(deployment, "spec", "selector", "matchLabels")).isEqualTo(Map.of("app", "demo"));
        assertThat(at(deployment, "spec", "template", "metadata", "labels")).isEqualTo(Map.of("app", "demo"));
        Map<String, Object> pod = Kustomize.podSpec(deployment);
        Map<String, Object> container = Kustomize.maps(pod.get("containers")).get(0);
        assertThat(at(Kustomize.maps(container.get("envFrom")).get(0), "configMapRef", "name")).isEqualTo(hashed);
        assertThat(at(Kustomize.maps(container.get("env")).get(1), "valueFrom", "configMapKeyRef", "name")).isEqualTo(hashed);
        assertThat(at(Kustomize.maps(pod.get("volumes")).get(1), "configMap", "name")).isEqualTo("not-generated");

        // As kustomize does, a peer's podSelector gets the label too (a trap the manifests avoid).
        Map<String, Object> policy = find(resources, "NetworkPolicy", "app");
        assertThat(at(policy, "spec", "podSelector", "matchLabels")).isEqualTo(Map.of("app", "demo"));
        List<Map<String, Object>> peers = Kustomize.maps(Kustomize.maps(at(policy, "spec", "ingress")).get(0).get("from"));
        assertThat(at(peers.get(0), "podSelector", "matchLabels")).isEqualTo(Map.of("role", "scraper", "app", "demo"));
        assertThat(peers.get(1)).doesNotContainKey("podSelector");
    }

    @Test
    void overlayAppliesJsonAndStrategicPatchesComponentsNamespaceAndImages() throws IOException {
        base();
        Path component = Files.createDirectories(dir.resolve("component"));
        Files.writeString(component.resolve("kustomization.yaml"), """
                apiVersion: kustomize.config.k8s.io/v1alpha1
                kind: Component
                patches:
                  - target: {kind: Deployment, name: app}
                    patch: |-
                      - op: remove
                        path: /spec/replicas
                """);
        Path overlay = Files.createDirectories(dir.resolve("overlay"));
        Files.writeString(overlay.resolve("more-env.yaml"), """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: app
                spec:
                  template:
                    spec:
                      containers:
                        - name: main
                          env:
                            - name: A
                              value: changed
                            - name: B
                              value: b
                """);
        Files.writeString(overlay.resolve("kustomization.yaml"), """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                namespace: prod
                resources: [../base]
                components: [../component]
                images:
                  - name: example/app
                    newName: registry.example/app
                    newTag: "2.0"
                patches:
                  - path: more-env.yaml
                  - target: {kind: Deployment, name: app}
                    patch: |-
                      - op: add
                        path: /spec/template/spec/volumes/-
                        value: {name: extra, emptyDir: {}}
                      - op: replace
                        path: /spec/template/spec/containers/0/env/1/valueFrom/configMapKeyRef/key
                        value: y
                """);

        List<Map<String, Object>> resources = Kustomize.build(overlay);

        Map<String, Object> deployment = find(resources, "Deployment", "app");
        assertThat(Kustomize.metadata(deployment).get("namespace")).isEqualTo("prod");
        assertThat(at(deployment, "spec", "replicas")).isNull();
        assertThat(at(deployment, "spec", "selector")).isNotNull();
        Map<String, Object> container = Kustomize.maps(Kustomize.podSpec(deployment).get("containers")).get(0);
        assertThat(container.get("image")).isEqualTo("registry.example/app:2.0");
        assertThat(Kustomize.maps(container.get("env"))).extracting(e -> e.get("name") + "=" + e.get("value"))
                .containsExactly("A=changed", "FROM_MAP=null", "B=b");
        assertThat(at(Kustomize.maps(container.get("env")).get(1), "valueFrom", "configMapKeyRef", "key")).isEqualTo("y");
        assertThat(Kustomize.maps(Kustomize.podSpec(deployment).get("volumes"))).extracting(v -> v.get("name"))
                .containsExactly("files", "made-by-hand", "extra");
        assertThat(at(deployment, "spec", "selector", "matchLabels")).isEqualTo(Map.of("app", "demo"));
        assertThat(Kustomize.metadata(find(resources, "ConfigMap", "settings-")).get("namespace")).isEqualTo("prod");
    }

    @Test
    void refusesWhatItDoesNotRender() throws IOException {
        Path base = base();
        Path overlay = Files.createDirectories(dir.resolve("overlay"));

        Files.writeString(overlay.resolve("kustomization.yaml"), "resources: [../base]\ncommonLabels: {a: b}\n");
        assertThatThrownBy(() -> Kustomize.build(overlay)).hasMessageContaining("field 'commonLabels' is not rendered");

        Files.writeString(overlay.resolve("kustomization.yaml"), "resources: [../base]\nconfigMapGenerator:\n  - name: x\n    envs: [a.env]\n");
        assertThatThrownBy(() -> Kustomize.build(overlay)).hasMessageContaining("field 'envs' is not rendered");

        Files.writeString(overlay.resolve("kustomization.yaml"), """
                resources: [../base]
                patches:
                  - target: {kind: Deployment, name: other}
                    patch: "[{op: remove, path: /spec/replicas}]"
                """);
        assertThatThrownBy(() -> Kustomize.build(overlay)).hasMessageContaining("matches no resource");

        Files.writeString(overlay.resolve("kustomization.yaml"), """
                resources: [../base]
                patches:
                  - target: {kind: Deployment}
                    patch: "[{op: replace, path: /spec/template/spec/containers/1/image, value: x}]"
                """);
        assertThatThrownBy(() -> Kustomize.build(overlay)).hasMessageContaining("index '1' out of range");

        Files.writeString(overlay.resolve("kustomization.yaml"), "resources: [../base, ../base/deployment.yaml]\n");
        assertThatThrownBy(() -> Kustomize.build(overlay)).hasMessageContaining("Deployment/app already exists");

        Files.writeString(overlay.resolve("kustomization.yaml"), "components: [../base]\n");
        assertThatThrownBy(() -> Kustomize.build(overlay)).hasMessageContaining("a Kustomization listed as a component");
        assertThat(base).exists();
    }

    private static Map<String, Object> find(List<Map<String, Object>> resources, String kind, String namePrefix) {
        return resources.stream()
                .filter(r -> kind.equals(r.get("kind")) && String.valueOf(Kustomize.metadata(r).get("name")).startsWith(namePrefix))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + namePrefix + " in " + resources));
    }

    static Object at(Map<String, Object> node, String... path) {
        Object current = node;
        for (String step : path) {
            current = current instanceof Map<?, ?> map ? map.get(step) : null;
        }
        return current;
    }
}
