package io.github.taniumroutes.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Every kustomization under k8s/ — the base, each overlay, any other directory with a kustomization.yaml
 * (k8s/monitoring) — is rendered by the test's {@link Kustomize} and each manifest checked for what a
 * cluster would refuse or silently get wrong, so a broken manifest fails {@code mvn verify}. A component
 * cannot be built on its own: it is rendered in the overlays that opt into it, and one that no
 * kustomization uses fails the test.
 */
class KubernetesManifestsTest {

    private static final Path K8S = Path.of("k8s");
    private static final String APP = "tanium-response-routes";
    private static final Path PRODUCTION = K8S.resolve("overlays/production");
    /** Secrets the user creates (README, "Deploy on Kubernetes", says how); any other a manifest references must be rendered. */
    private static final Set<String> USER_CREATED_SECRETS = Set.of("tanium-credentials", "tanium-truststore");
    /** The apiVersion each kind must have (the ones current Kubernetes and KEDA serve). */
    private static final Map<String, String> API_VERSIONS = Map.of("Deployment", "apps/v1", "Service", "v1", "ConfigMap", "v1",
            "Secret", "v1", "PodDisruptionBudget", "policy/v1", "NetworkPolicy", "networking.k8s.io/v1", "ScaledObject",
            "keda.sh/v1alpha1", "ServiceMonitor", "monitoring.coreos.com/v1", "PrometheusRule", "monitoring.coreos.com/v1");
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");
    /** etcd's limit on one object, less room for its metadata. */
    private static final int CONFIG_MAP_MAX_BYTES = 1_000_000;

    @TestFactory
    Stream<DynamicTest> everyKustomizationRendersToManifestsAClusterAccepts() throws IOException {
        List<Path> kustomizations;
        try (Stream<Path> files = Files.walk(K8S)) {
            kustomizations = files.filter(f -> f.getFileName().toString().equals("kustomization.yaml")).map(Path::getParent).sorted().toList();
        }
        assertThat(kustomizations).contains(K8S.resolve("base"), PRODUCTION, K8S.resolve("components/keda"));
        List<Path> components = kustomizations.stream().filter(KubernetesManifestsTest::isComponent).toList();
        List<Path> used = new ArrayList<>();
        for (Path dir : kustomizations) {
            if (kustomization(dir).get("components") instanceof List<?> listed) {
                listed.forEach(component -> used.add(dir.resolve(String.valueOf(component)).normalize()));
            }
        }
        assertThat(used).as("components some overlay opts into (rendered there)").containsAll(components);
        return kustomizations.stream().filter(dir -> !components.contains(dir))
                .map(dir -> DynamicTest.dynamicTest(dir.toString(), () -> check(dir, Kustomize.build(dir))));
    }

    @Test
    void everyRouteFileAndGraphQlDocumentIsInItsConfigMap() throws IOException {
        List<Map<String, Object>> base = Kustomize.build(K8S.resolve("base"));
        assertThat(configMap(base, APP + "-routes").keySet()).containsExactlyInAnyOrderElementsOf(files("routes", ".yaml"));
        assertThat(configMap(base, APP + "-graphql").keySet()).containsExactlyInAnyOrderElementsOf(files("config/graphql", ".graphql"));
    }

    /** The image is not built by mvn verify (no Docker here): at least what it copies from the repository must exist. */
    @Test
    void theDockerfileCopiesFilesThatExist() throws IOException {
        Matcher copy = Pattern.compile("(?m)^COPY (?:--chown=\\S+ )?(\\S+) ").matcher(Files.readString(Path.of("src/main/docker/Dockerfile.jvm")));
        List<String> sources = new ArrayList<>();
        while (copy.find()) {
            sources.add(copy.group(1));
        }
        assertThat(sources).contains("routes/", "config/policy.yaml");
        assertThat(sources.stream().filter(s -> !s.startsWith("target/"))).allSatisfy(s -> assertThat(Path.of(s)).as("COPY " + s).exists());
    }

    @Test
    void theChecksCatchABrokenManifest() throws IOException {
        List<Map<String, Object>> production = Kustomize.build(PRODUCTION);
        Map<String, Object> deployment = only(production, "Deployment");
        Map<String, Object> container = Kustomize.maps(Kustomize.podSpec(deployment).get("containers")).get(0);
        container.remove("readinessProbe");
        Kustomize.maps(container.get("volumeMounts")).stream().filter(m -> "policy".equals(m.get("name"))).findFirst().orElseThrow()
                .put("subPath", "policy.yaml");
        Kustomize.maps(Kustomize.podSpec(deployment).get("volumes")).add(Map.of("name", "x", "secret", Map.of("secretName", "nobody-made-this")));
        Map<String, Object> policy = only(production, "NetworkPolicy");
        Kustomize.maps(KustomizeTest.at(policy, "spec", "egress")).remove(1);

        String failures = "";
        try {
            check(PRODUCTION, production);
        } catch (AssertionError e) {
            failures = e.getMessage();
        }
        assertThat(failures).contains("readinessProbe", "subPath", "nobody-made-this", "Kafka port 9093");
    }

    private static Map<?, ?> kustomization(Path dir) {
        try {
            return (Map<?, ?>) new Load(LoadSettings.builder().build()).loadFromString(Files.readString(dir.resolve("kustomization.yaml")));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static boolean isComponent(Path dir) {
        return "Component".equals(kustomization(dir).get("kind"));
    }

    private static void check(Path dir, List<Map<String, Object>> resources) throws IOException {
        SoftAssertions soft = new SoftAssertions();
        List<Map<String, Object>> deployments = resources.stream().filter(r -> "Deployment".equals(r.get("kind"))).toList();
        for (Map<String, Object> r : resources) {
            String id = dir + ": " + Kustomize.id(r);
            String kind = String.valueOf(r.get("kind"));
            String name = String.valueOf(Kustomize.metadata(r).get("name"));
            soft.assertThat(r.get("apiVersion")).as(id + " apiVersion").isNotNull();
            soft.assertThat(r.get("kind")).as(id + " kind").isNotNull();
            soft.assertThat(name).as(id + " metadata.name").matches(DNS_SUBDOMAIN);
            if (API_VERSIONS.containsKey(kind)) {
                soft.assertThat(r.get("apiVersion")).as(id + " apiVersion").isEqualTo(API_VERSIONS.get(kind));
            }
            switch (kind) {
                case "Deployment" -> checkDeployment(soft, id, r, resources);
                case "Service" -> {
                    Map<String, Object> selector = map(at(r, "spec", "selector"));
                    soft.assertThat(selector).as(id + " selector").isNotEmpty();
                    Map<String, Object> target = selecting(deployments, selector);
                    soft.assertThat(target).as(id + " selects no Deployment's pods").isNotNull();
                    for (Map<String, Object> port : Kustomize.maps(at(r, "spec", "ports"))) {
                        if (target != null && port.get("targetPort") instanceof String named) {
                            soft.assertThat(containerPorts(target)).as(id + " targetPort").containsKey(named);
                        }
                    }
                }
                case "ConfigMap" -> soft.assertThat(String.valueOf(r.get("data")).getBytes(StandardCharsets.UTF_8).length)
                        .as(id + " is over etcd's limit on one object").isLessThan(CONFIG_MAP_MAX_BYTES);
                case "PodDisruptionBudget" -> {
                    soft.assertThat(selecting(deployments, map(at(r, "spec", "selector", "matchLabels")))).as(id + " selects no Deployment's pods")
                            .isNotNull();
                    soft.assertThat(at(r, "spec", "maxUnavailable") != null ^ at(r, "spec", "minAvailable") != null)
                            .as(id + " needs exactly one of maxUnavailable and minAvailable").isTrue();
                }
                case "NetworkPolicy" -> checkNetworkPolicy(soft, id, r, deployments);
                case "ScaledObject" -> checkScaledObject(soft, id, r, resources, deployments);
                default -> {
                }
            }
        }
        soft.assertAll();
    }

    private static void checkDeployment(SoftAssertions soft, String id, Map<String, Object> d, List<Map<String, Object>> resources)
            throws IOException {
        Map<String, Object> selector = map(at(d, "spec", "selector", "matchLabels"));
        soft.assertThat(selector).as(id + " selector").isNotEmpty();
        soft.assertThat(map(at(d, "spec", "template", "metadata", "labels"))).as(id + " pod labels match the selector")
                .containsAllEntriesOf(selector);
        Map<String, Object> pod = Kustomize.podSpec(d);
        soft.assertThat(pod.get("terminationGracePeriodSeconds")).as(id + " terminationGracePeriodSeconds").isEqualTo(60);
        List<Map<String, Object>> volumes = Kustomize.maps(pod.get("volumes"));
        for (Map<String, Object> volume : volumes) {
            if (at(volume, "configMap", "name") instanceof String configMap) {
                soft.assertThat(names(resources, "ConfigMap")).as(id + " volume " + volume.get("name") + ": ConfigMap").contains(configMap);
            }
            if (at(volume, "secret", "secretName") instanceof String secret) {
                checkSecret(soft, id, secret, resources);
            }
        }
        for (Map<String, Object> c : Kustomize.maps(pod.get("containers"))) {
            String cid = id + " container " + c.get("name");
            soft.assertThat(String.valueOf(c.get("image"))).as(cid + " image").isNotBlank().doesNotEndWith(":latest").contains(":");
            for (String[] resource : new String[][] {{"requests", "cpu"}, {"requests", "memory"}, {"limits", "memory"}}) {
                soft.assertThat(at(c, "resources", resource[0], resource[1])).as(cid + " resources." + String.join(".", resource)).isNotNull();
            }
            for (String probe : List.of("readinessProbe", "livenessProbe")) {
                soft.assertThat(at(c, probe, "httpGet", "path")).as(cid + " " + probe).isNotNull();
                soft.assertThat(containerPorts(d)).as(cid + " " + probe + " port").containsKey(String.valueOf(at(c, probe, "httpGet", "port")));
            }
            for (Map<String, Object> mount : Kustomize.maps(c.get("volumeMounts"))) {
                soft.assertThat(volumes).extracting(v -> v.get("name")).as(cid + " volumeMount " + mount.get("mountPath")).contains(mount.get("name"));
            }
            for (Map<String, Object> from : Kustomize.maps(c.get("envFrom"))) {
                if (at(from, "configMapRef", "name") instanceof String configMap) {
                    soft.assertThat(names(resources, "ConfigMap")).as(cid + " envFrom ConfigMap").contains(configMap);
                }
                if (at(from, "secretRef", "name") instanceof String secret) {
                    checkSecret(soft, cid, secret, resources);
                }
            }
            Map<String, Object> env = new java.util.LinkedHashMap<>();
            for (Map<String, Object> e : Kustomize.maps(c.get("env"))) {
                env.put(String.valueOf(e.get("name")), e.get("value") != null ? e.get("value") : e.get("valueFrom"));
                if (at(e, "valueFrom", "secretKeyRef", "name") instanceof String secret) {
                    checkSecret(soft, cid, secret, resources);
                }
                if (at(e, "valueFrom", "configMapKeyRef", "name") instanceof String configMap) {
                    soft.assertThat(names(resources, "ConfigMap")).as(cid + " env " + e.get("name") + " ConfigMap").contains(configMap);
                }
            }
            soft.assertThat(env.get("POD_NAME")).as(cid + " POD_NAME from the downward API (static Kafka membership)")
                    .isEqualTo(Map.of("fieldRef", Map.of("fieldPath", "metadata.name")));
            checkHeap(soft, cid, c, env);
            checkPolicyMount(soft, cid, c, volumes, env, resources);
        }
    }

    /** The JVM's heap is a share of the memory limit that leaves room for what is not heap. */
    private static void checkHeap(SoftAssertions soft, String cid, Map<String, Object> c, Map<String, Object> env) {
        Matcher percent = Pattern.compile("-XX:MaxRAMPercentage=([0-9.]+)").matcher(String.valueOf(env.get("JAVA_OPTS_APPEND")));
        if (!percent.find()) {
            soft.fail(cid + " JAVA_OPTS_APPEND sets no -XX:MaxRAMPercentage");
            return;
        }
        long limit = bytes(String.valueOf(at(c, "resources", "limits", "memory")));
        double heap = limit * Double.parseDouble(percent.group(1)) / 100;
        soft.assertThat(limit - heap).as(cid + " memory limit less heap (metaspace, threads, buffers)").isGreaterThanOrEqualTo(256.0 * 1024 * 1024);
        soft.assertThat(bytes(String.valueOf(at(c, "resources", "requests", "memory")))).as(cid + " memory request = limit").isEqualTo(limit);
    }

    /**
     * The policy is hot reloaded only if the kubelet updates the mounted file: a directory mount (never
     * subPath) of a ConfigMap whose name does not change with its content, with POLICY_FILE inside it.
     */
    private static void checkPolicyMount(SoftAssertions soft, String cid, Map<String, Object> c, List<Map<String, Object>> volumes,
            Map<String, Object> env, List<Map<String, Object>> resources) {
        String policyConfigMap = APP + "-policy";
        soft.assertThat(names(resources, "ConfigMap")).as(cid + " the policy ConfigMap keeps its name (no hash suffix)").contains(policyConfigMap);
        String volume = volumes.stream().filter(v -> policyConfigMap.equals(at(v, "configMap", "name"))).map(v -> String.valueOf(v.get("name")))
                .findFirst().orElse(null);
        Map<String, Object> mount = Kustomize.maps(c.get("volumeMounts")).stream().filter(m -> Objects.equals(volume, m.get("name"))).findFirst()
                .orElse(null);
        if (mount == null) {
            soft.fail(cid + " does not mount the policy ConfigMap");
            return;
        }
        soft.assertThat(mount.get("subPath")).as(cid + " policy mounted with subPath, which the kubelet never updates").isNull();
        soft.assertThat(String.valueOf(env.get("POLICY_FILE"))).as(cid + " POLICY_FILE").startsWith(mount.get("mountPath") + "/");
    }

    @SuppressWarnings("unchecked")
    private static void checkNetworkPolicy(SoftAssertions soft, String id, Map<String, Object> policy, List<Map<String, Object>> deployments) {
        Map<String, Object> podSelector = map(at(policy, "spec", "podSelector", "matchLabels"));
        Map<String, Object> deployment = selecting(deployments, podSelector);
        soft.assertThat(podSelector).as(id + " podSelector").isNotEmpty();
        soft.assertThat(deployment).as(id + " selects no Deployment's pods").isNotNull();
        soft.assertThat((List<Object>) at(policy, "spec", "policyTypes")).as(id + " policyTypes").containsExactlyInAnyOrder("Ingress", "Egress");
        List<String> egress = new ArrayList<>();
        List<String> ingress = new ArrayList<>();
        for (String[] rule : new String[][] {{"egress", "to"}, {"ingress", "from"}}) {
            for (Map<String, Object> r : Kustomize.maps(at(policy, "spec", rule[0]))) {
                for (Map<String, Object> peer : Kustomize.maps(r.get(rule[1]))) {
                    // kustomize adds the app's label to a peer's podSelector too (includeSelectors): such a peer
                    // would select only this application's own pods.
                    soft.assertThat(map(at(peer, "podSelector", "matchLabels"))).as(id + " " + rule[0] + " peer podSelector")
                            .doesNotContainKeys(podSelector.keySet().toArray(String[]::new));
                }
                for (Map<String, Object> port : Kustomize.maps(r.get("ports"))) {
                    (rule[0].equals("egress") ? egress : ingress).add(port.getOrDefault("protocol", "TCP") + "/" + port.get("port"));
                }
            }
        }
        soft.assertThat(egress).as(id + " egress to DNS").contains("UDP/53", "TCP/53");
        if (deployment == null) {
            return;
        }
        Map<String, Object> env = env(deployment);
        for (String broker : String.valueOf(env.get("KAFKA_BOOTSTRAP_SERVERS")).split(",")) {
            String port = broker.substring(broker.lastIndexOf(':') + 1);
            soft.assertThat(egress).as(id + " egress to the Kafka port " + port + " of KAFKA_BOOTSTRAP_SERVERS").contains("TCP/" + port);
        }
        URI tanium = URI.create(String.valueOf(env.get("TANIUM_URL")));
        int port = tanium.getPort() > 0 ? tanium.getPort() : "http".equals(tanium.getScheme()) ? 80 : 443;
        soft.assertThat(egress).as(id + " egress to the Tanium port of TANIUM_URL").contains("TCP/" + port);
        soft.assertThat(ingress).as(id + " ingress to the HTTP port (metrics, Connect)").contains("TCP/" + containerPorts(deployment).get("http"));
    }

    /** KEDA never scales past the partitions of the topics, and watches the groups and brokers the application uses. */
    private static void checkScaledObject(SoftAssertions soft, String id, Map<String, Object> scaled, List<Map<String, Object>> resources,
            List<Map<String, Object>> deployments) throws IOException {
        Map<String, Object> target = deployments.stream().filter(d -> Objects.equals(Kustomize.metadata(d).get("name"), at(scaled, "spec",
                "scaleTargetRef", "name"))).findFirst().orElse(null);
        if (target == null) {
            soft.fail(id + " scaleTargetRef names no Deployment");
            return;
        }
        soft.assertThat(at(target, "spec", "replicas")).as(id + ": the Deployment still sets replicas, which every apply would reset").isNull();
        Properties settings = new Properties();
        settings.load(new StringReader(Files.readString(Path.of("config/application.properties"))));
        Map<String, Object> envConfigMap = configMap(resources, APP + "-env");
        Map<String, String> groups = Map.of(String.valueOf(envConfigMap.get("ALERTS_TOPIC")), settings.getProperty("alerts.consumer-group"),
                String.valueOf(envConfigMap.get("INVESTIGATIONS_TOPIC")), settings.getProperty("investigations.consumer-group"));
        String readme = Files.readString(Path.of("README.md"));
        List<Map<String, Object>> triggers = Kustomize.maps(at(scaled, "spec", "triggers"));
        soft.assertThat(triggers).as(id + " triggers").isNotEmpty();
        for (Map<String, Object> trigger : triggers) {
            Map<String, Object> metadata = map(trigger.get("metadata"));
            String topic = String.valueOf(metadata.get("topic"));
            soft.assertThat(groups).as(id + " trigger topic and group").containsEntry(topic, String.valueOf(metadata.get("consumerGroup")));
            soft.assertThat(metadata.get("bootstrapServers")).as(id + " trigger brokers").isEqualTo(env(target).get("KAFKA_BOOTSTRAP_SERVERS"));
            Matcher partitions = Pattern.compile("--topic " + Pattern.quote(topic) + " --partitions (\\d+)").matcher(readme);
            if (!partitions.find()) {
                soft.fail(id + ": README.md does not create topic " + topic + " with --partitions");
                continue;
            }
            soft.assertThat(((Number) at(scaled, "spec", "maxReplicaCount")).intValue()).as(id + " maxReplicaCount against " + topic + "'s partitions")
                    .isLessThanOrEqualTo(Integer.parseInt(partitions.group(1)));
        }
    }

    private static void checkSecret(SoftAssertions soft, String id, String secret, List<Map<String, Object>> resources) throws IOException {
        if (names(resources, "Secret").contains(secret)) {
            return;
        }
        soft.assertThat(USER_CREATED_SECRETS).as(id + " references Secret " + secret + ", neither rendered nor one the user creates").contains(secret);
        soft.assertThat(Files.readString(Path.of("README.md")).contains("kubectl create secret generic " + secret))
                .as(id + ": README.md says how to create Secret " + secret + " (kubectl create secret generic " + secret + ")").isTrue();
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private static Map<String, Object> selecting(List<Map<String, Object>> deployments, Map<String, Object> selector) {
        return selector.isEmpty() ? null
                : deployments.stream().filter(d -> map(at(d, "spec", "template", "metadata", "labels")).entrySet().containsAll(selector.entrySet()))
                        .findFirst().orElse(null);
    }

    private static Map<String, Object> containerPorts(Map<String, Object> deployment) {
        Map<String, Object> ports = new java.util.HashMap<>();
        for (Map<String, Object> c : Kustomize.maps(Kustomize.podSpec(deployment).get("containers"))) {
            for (Map<String, Object> p : Kustomize.maps(c.get("ports"))) {
                ports.put(String.valueOf(p.get("name")), p.get("containerPort"));
                ports.put(String.valueOf(p.get("containerPort")), p.get("containerPort"));
            }
        }
        return ports;
    }

    private static Map<String, Object> env(Map<String, Object> deployment) {
        Map<String, Object> env = new java.util.HashMap<>();
        for (Map<String, Object> e : Kustomize.maps(Kustomize.maps(Kustomize.podSpec(deployment).get("containers")).get(0).get("env"))) {
            env.put(String.valueOf(e.get("name")), e.get("value"));
        }
        return env;
    }

    private static List<String> names(List<Map<String, Object>> resources, String kind) {
        return resources.stream().filter(r -> kind.equals(r.get("kind"))).map(r -> String.valueOf(Kustomize.metadata(r).get("name"))).toList();
    }

    private static Map<String, Object> only(List<Map<String, Object>> resources, String kind) {
        List<Map<String, Object>> found = resources.stream().filter(r -> kind.equals(r.get("kind"))).toList();
        assertThat(found).as(kind).hasSize(1);
        return found.get(0);
    }

    /** A rendered ConfigMap's data by its generator's name (hash suffix or not). */
    private static Map<String, Object> configMap(List<Map<String, Object>> resources, String name) {
        return resources.stream().filter(r -> "ConfigMap".equals(r.get("kind")))
                .filter(r -> String.valueOf(Kustomize.metadata(r).get("name")).matches(Pattern.quote(name) + "(-[a-z0-9]{10})?"))
                .map(r -> map(r.get("data"))).findFirst().orElseThrow(() -> new AssertionError("no ConfigMap " + name));
    }

    private static long bytes(String quantity) {
        Matcher m = Pattern.compile("(\\d+)(Ki|Mi|Gi|k|M|G)?").matcher(quantity);
        if (!m.matches()) {
            throw new AssertionError("memory quantity " + quantity);
        }
        long unit = switch (Objects.toString(m.group(2), "")) {
            case "Ki" -> 1L << 10;
            case "Mi" -> 1L << 20;
            case "Gi" -> 1L << 30;
            case "k" -> 1_000L;
            case "M" -> 1_000_000L;
            case "G" -> 1_000_000_000L;
            default -> 1L;
        };
        return Long.parseLong(m.group(1)) * unit;
    }

    private static Object at(Map<String, Object> node, String... path) {
        return KustomizeTest.at(node, path);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private static List<String> files(String dir, String suffix) throws IOException {
        try (Stream<Path> listing = Files.list(Path.of(dir))) {
            return listing.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(suffix)).toList();
        }
    }
}
