package io.github.taniumroutes.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Renders a kustomization as {@code kubectl kustomize --load-restrictor LoadRestrictionsNone} would, for
 * exactly the features this repository's manifests use, so that {@code mvn verify} checks what a cluster
 * would get with nothing but Java installed (no maintained Java library renders kustomize). Anything else
 * in a kustomization — a field, a generator option, a patch shape — is refused, so a manifest cannot
 * silently escape the checks by using a feature rendered differently here.
 *
 * <p>The order is kustomize's (api/internal/target/kusttarget.go): resources, generators, components,
 * then patches, namespace, labels, images; generated ConfigMaps get their content-hash suffix last, and
 * the references to them are rewritten. The hash is kustomize's (api/hasher): SHA-256 of the ConfigMap's
 * kind, name and data as sorted JSON, first ten hex digits with 0, 1, 3, a, e replaced.
 */
final class Kustomize {

    private static final Set<String> KUSTOMIZATION_FIELDS = Set.of("apiVersion", "kind", "resources", "components", "patches",
            "configMapGenerator", "labels", "namespace", "images");
    private static final Set<String> GENERATOR_FIELDS = Set.of("name", "files", "literals", "options");
    private static final Set<String> GENERATOR_OPTIONS = Set.of("disableNameSuffixHash", "labels", "annotations");
    private static final Set<String> PATCH_FIELDS = Set.of("path", "patch", "target");
    private static final Set<String> TARGET_FIELDS = Set.of("group", "version", "kind", "name");
    private static final Set<String> LABELS_FIELDS = Set.of("pairs", "includeSelectors", "includeTemplates");
    private static final Set<String> IMAGE_FIELDS = Set.of("name", "newName", "newTag", "digest");
    /** Cluster-scoped kinds the namespace field leaves alone. */
    private static final Set<String> CLUSTER_SCOPED = Set.of("Namespace", "ClusterRole", "ClusterRoleBinding",
            "CustomResourceDefinition", "PriorityClass", "StorageClass", "PersistentVolume", "ValidatingWebhookConfiguration",
            "MutatingWebhookConfiguration", "APIService");
    /** Kinds whose pod template carries labels, selectors and images at spec/template. */
    private static final Set<String> WORKLOADS = Set.of("Deployment", "ReplicaSet", "DaemonSet", "StatefulSet", "Job");

    private final Load yaml = new Load(LoadSettings.builder().build());

    /** A generated ConfigMap that still has to get its hash suffix. */
    private record Generated(Map<String, Object> configMap) {
    }

    /** The rendered resources of the kustomization in {@code dir}, in order. */
    static List<Map<String, Object>> build(Path dir) throws IOException {
        List<Generated> generated = new ArrayList<>();
        List<Map<String, Object>> resources = new Kustomize().accumulate(dir, false, new ArrayList<>(), generated);
        addHashSuffixes(resources, generated);
        return resources;
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> accumulate(Path dir, boolean asComponent, List<Map<String, Object>> resources,
            List<Generated> generated) throws IOException {
        Path file = dir.resolve("kustomization.yaml");
        if (!Files.isRegularFile(file)) {
            throw new KustomizeException(dir + ": no kustomization.yaml");
        }
        Map<String, Object> k = (Map<String, Object>) yaml.loadFromString(Files.readString(file));
        refuseUnknown(file, "kustomization", k, KUSTOMIZATION_FIELDS);
        String kind = (String) k.getOrDefault("kind", "Kustomization");
        if (asComponent != "Component".equals(kind)) {
            throw new KustomizeException(file + ": a " + kind + (asComponent ? " listed as a component" : " listed as a resource"));
        }
        for (String entry : strings(k.get("resources"))) {
            Path path = dir.resolve(entry).normalize();
            if (Files.isDirectory(path)) {
                // A base is built on its own: its patches and labels reach only its own resources.
                for (Map<String, Object> r : accumulate(path, false, new ArrayList<>(), generated)) {
                    add(resources, r, path.toString());
                }
            } else {
                for (Object doc : yaml.loadAllFromString(Files.readString(path))) {
                    if (doc != null) {
                        add(resources, (Map<String, Object>) doc, path.toString());
                    }
                }
            }
        }
        for (Map<String, Object> generator : maps(k.get("configMapGenerator"))) {
            Map<String, Object> configMap = configMap(dir, file, generator);
            add(resources, configMap, file.toString());
            Map<String, Object> options = (Map<String, Object>) generator.getOrDefault("options", Map.of());
            if (!Boolean.TRUE.equals(options.get("disableNameSuffixHash"))) {
                generated.add(new Generated(configMap));
            }
        }
        for (String component : strings(k.get("components"))) {
            accumulate(dir.resolve(component).normalize(), true, resources, generated);
        }
        for (Map<String, Object> patch : maps(k.get("patches"))) {
            applyPatch(dir, file, patch, resources);
        }
        if (k.get("namespace") != null) {
            for (Map<String, Object> r : resources) {
                if (!CLUSTER_SCOPED.contains(r.get("kind"))) {
                    metadata(r).put("namespace", k.get("namespace"));
                }
            }
        }
        for (Map<String, Object> labels : maps(k.get("labels"))) {
            refuseUnknown(file, "labels", labels, LABELS_FIELDS);
            applyLabels((Map<String, Object>) labels.get("pairs"), Boolean.TRUE.equals(labels.get("includeSelectors")),
                    Boolean.TRUE.equals(labels.get("includeTemplates")), resources);
        }
        for (Map<String, Object> image : maps(k.get("images"))) {
            refuseUnknown(file, "images", image, IMAGE_FIELDS);
            applyImage(image, resources);
        }
        return resources;
    }

    private static void add(List<Map<String, Object>> resources, Map<String, Object> resource, String from) {
        for (Map<String, Object> r : resources) {
            if (id(r).equals(id(resource))) {
                throw new KustomizeException(from + ": " + id(resource) + " already exists");
            }
        }
        resources.add(resource);
    }

    static String id(Map<String, Object> r) {
        Map<String, Object> m = metadata(r);
        return r.get("kind") + "/" + (m.get("namespace") == null ? "" : m.get("namespace") + "/") + m.get("name");
    }

    // ---- configMapGenerator ---------------------------------------------------------------------

    @SuppressWarnings("unchecked")
    private static Map<String, Object> configMap(Path dir, Path file, Map<String, Object> generator) throws IOException {
        refuseUnknown(file, "configMapGenerator", generator, GENERATOR_FIELDS);
        Map<String, Object> options = (Map<String, Object>) generator.getOrDefault("options", Map.of());
        refuseUnknown(file, "configMapGenerator options", options, GENERATOR_OPTIONS);
        Map<String, Object> data = new TreeMap<>();
        for (String entry : strings(generator.get("files"))) {
            int eq = entry.indexOf('=');
            Path source = dir.resolve(eq < 0 ? entry : entry.substring(eq + 1)).normalize();
            String key = eq < 0 ? source.getFileName().toString() : entry.substring(0, eq);
            putOnce(file, data, key, Files.readString(source));
        }
        for (String literal : strings(generator.get("literals"))) {
            int eq = literal.indexOf('=');
            if (eq < 1) {
                throw new KustomizeException(file + ": literal '" + literal + "' is not KEY=VALUE");
            }
            putOnce(file, data, literal.substring(0, eq), unquote(literal.substring(eq + 1)));
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", Objects.requireNonNull(generator.get("name"), file + ": a configMapGenerator without a name"));
        if (options.get("labels") != null) {
            metadata.put("labels", new LinkedHashMap<>((Map<String, Object>) options.get("labels")));
        }
        if (options.get("annotations") != null) {
            metadata.put("annotations", new LinkedHashMap<>((Map<String, Object>) options.get("annotations")));
        }
        Map<String, Object> configMap = new LinkedHashMap<>();
        configMap.put("apiVersion", "v1");
        configMap.put("kind", "ConfigMap");
        configMap.put("metadata", metadata);
        configMap.put("data", data);
        return configMap;
    }

    private static void putOnce(Path file, Map<String, Object> data, String key, String value) {
        if (data.put(key, value) != null) {
            throw new KustomizeException(file + ": key '" + key + "' twice in one ConfigMap");
        }
    }

    private static String unquote(String value) {
        return value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"") || value.startsWith("'") && value.endsWith("'"))
                ? value.substring(1, value.length() - 1)
                : value;
    }

    /** kustomize's api/hasher: the hash of {"data":…,"kind":"ConfigMap","name":…} as Go's json.Marshal writes it. */
    static String configMapHash(String name, Map<String, Object> data) {
        StringBuilder json = new StringBuilder("{\"data\":{");
        String separator = "";
        for (Map.Entry<String, Object> e : new TreeMap<>(data).entrySet()) {
            json.append(separator).append(goJson(e.getKey())).append(':').append(goJson(String.valueOf(e.getValue())));
            separator = ",";
        }
        json.append("},\"kind\":\"ConfigMap\",\"name\":").append(goJson(name)).append('}');
        try {
            String hex = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json.toString().getBytes(StandardCharsets.UTF_8)));
            StringBuilder encoded = new StringBuilder();
            for (char c : hex.substring(0, 10).toCharArray()) {
                encoded.append(switch (c) {
                    case '0' -> 'g';
                    case '1' -> 'h';
                    case '3' -> 'k';
                    case 'a' -> 'm';
                    case 'e' -> 't';
                    default -> c;
                });
            }
            return encoded.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A JSON string as Go's encoding/json writes it: HTML characters and U+2028/9 escaped too. */
    static String goJson(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '<', '>', '&', '\u2028', '\u2029' -> out.append(String.format("\\u%04x", (int) c));
                default -> out.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return out.append('"').toString();
    }

    /** Suffixes every generated ConfigMap's name with its hash and rewrites the pod templates' references to it. */
    @SuppressWarnings("unchecked")
    private static void addHashSuffixes(List<Map<String, Object>> resources, List<Generated> generated) {
        Map<String, String> renamed = new LinkedHashMap<>();
        for (Generated g : generated) {
            Map<String, Object> metadata = metadata(g.configMap());
            String name = (String) metadata.get("name");
            String hashed = name + "-" + configMapHash(name, (Map<String, Object>) g.configMap().get("data"));
            metadata.put("name", hashed);
            renamed.put(name, hashed);
        }
        for (Map<String, Object> r : resources) {
            Map<String, Object> pod = podSpec(r);
            if (pod == null) {
                continue;
            }
            for (Map<String, Object> volume : maps(pod.get("volumes"))) {
                rename((Map<String, Object>) volume.get("configMap"), "name", renamed);
                Map<String, Object> projected = (Map<String, Object>) volume.get("projected");
                if (projected != null) {
                    for (Map<String, Object> source : maps(projected.get("sources"))) {
                        rename((Map<String, Object>) source.get("configMap"), "name", renamed);
                    }
                }
            }
            for (String containers : List.of("containers", "initContainers")) {
                for (Map<String, Object> container : maps(pod.get(containers))) {
                    for (Map<String, Object> envFrom : maps(container.get("envFrom"))) {
                        rename((Map<String, Object>) envFrom.get("configMapRef"), "name", renamed);
                    }
                    for (Map<String, Object> env : maps(container.get("env"))) {
                        Map<String, Object> valueFrom = (Map<String, Object>) env.get("valueFrom");
                        if (valueFrom != null) {
                            rename((Map<String, Object>) valueFrom.get("configMapKeyRef"), "name", renamed);
                        }
                    }
                }
            }
        }
    }

    private static void rename(Map<String, Object> ref, String field, Map<String, String> renamed) {
        if (ref != null && renamed.containsKey(ref.get(field))) {
            ref.put(field, renamed.get(ref.get(field)));
        }
    }

    // ---- patches ------------------------------------------------------------------------------

    @SuppressWarnings("unchecked")
    private void applyPatch(Path dir, Path file, Map<String, Object> entry, List<Map<String, Object>> resources) throws IOException {
        refuseUnknown(file, "patches", entry, PATCH_FIELDS);
        if ((entry.get("path") == null) == (entry.get("patch") == null)) {
            throw new KustomizeException(file + ": a patch needs exactly one of path and patch");
        }
        String text = entry.get("patch") != null ? (String) entry.get("patch") : Files.readString(dir.resolve((String) entry.get("path")));
        Object patch = yaml.loadFromString(text);
        Map<String, Object> target = (Map<String, Object>) entry.get("target");
        if (target != null) {
            refuseUnknown(file, "patch target", target, TARGET_FIELDS);
        } else if (patch instanceof Map<?, ?> smp) {
            target = Map.of("kind", String.valueOf(smp.get("kind")), "name", String.valueOf(metadata((Map<String, Object>) smp).get("name")));
        } else {
            throw new KustomizeException(file + ": a JSON 6902 patch needs a target");
        }
        List<Map<String, Object>> matches = resources.stream().filter(matcher(target)).toList();
        if (matches.isEmpty()) {
            // kustomize applies a targeted patch to nothing without a word; here that is a mistake.
            throw new KustomizeException(file + ": patch target " + target + " matches no resource");
        }
        for (Map<String, Object> r : matches) {
            if (patch instanceof List<?> operations) {
                JsonPatch.apply(r, (List<Map<String, Object>>) operations, file.toString());
            } else if (patch instanceof Map<?, ?> smp) {
                Map<String, Object> merge = new LinkedHashMap<>((Map<String, Object>) smp);
                merge.remove("apiVersion");
                merge.remove("kind");
                Map<String, Object> metadata = new LinkedHashMap<>(metadata(merge));
                metadata.remove("name");
                merge.put("metadata", metadata);
                StrategicMerge.apply(r, merge, file.toString());
            } else {
                throw new KustomizeException(file + ": a patch is neither a list of operations nor an object");
            }
        }
    }

    private static java.util.function.Predicate<Map<String, Object>> matcher(Map<String, Object> target) {
        return r -> {
            String apiVersion = String.valueOf(r.get("apiVersion"));
            String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
            String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
            return matches(target.get("kind"), String.valueOf(r.get("kind")))
                    && matches(target.get("name"), String.valueOf(metadata(r).get("name")))
                    && matches(target.get("group"), group)
                    && matches(target.get("version"), version);
        };
    }

    /** kustomize reads a target's fields as anchored regular expressions. */
    private static boolean matches(Object selector, String value) {
        return selector == null || Pattern.matches(String.valueOf(selector), value);
    }

    // ---- labels and images -----------------------------------------------------------------------

    @SuppressWarnings("unchecked")
    private static void applyLabels(Map<String, Object> pairs, boolean includeSelectors, boolean includeTemplates,
            List<Map<String, Object>> resources) {
        for (Map<String, Object> r : resources) {
            labelsAt(r, List.of("metadata", "labels"), true, pairs);
            String kind = String.valueOf(r.get("kind"));
            boolean workload = WORKLOADS.contains(kind);
            if (workload && (includeSelectors || includeTemplates)) {
                labelsAt(r, List.of("spec", "template", "metadata", "labels"), true, pairs);
            }
            if (!includeSelectors) {
                continue;
            }
            // kustomize's commonLabels field specs (api/internal/konfig/builtinpluginconsts/commonlabels.go)
            switch (kind) {
                case "Service" -> labelsAt(r, List.of("spec", "selector"), true, pairs);
                case "Deployment", "ReplicaSet", "DaemonSet", "StatefulSet" -> labelsAt(r, List.of("spec", "selector", "matchLabels"), true, pairs);
                case "Job" -> labelsAt(r, List.of("spec", "selector", "matchLabels"), false, pairs);
                case "PodDisruptionBudget" -> labelsAt(r, List.of("spec", "selector", "matchLabels"), false, pairs);
                case "NetworkPolicy" -> {
                    labelsAt(r, List.of("spec", "podSelector", "matchLabels"), false, pairs);
                    Map<String, Object> spec = (Map<String, Object>) r.get("spec");
                    for (String[] rule : new String[][] {{"ingress", "from"}, {"egress", "to"}}) {
                        for (Map<String, Object> direction : maps(spec.get(rule[0]))) {
                            for (Map<String, Object> peer : maps(direction.get(rule[1]))) {
                                labelsAt(peer, List.of("podSelector", "matchLabels"), false, pairs);
                            }
                        }
                    }
                }
                default -> {
                }
            }
            if (workload) {
                // Pod (anti-)affinity and topology spread selectors, where present.
                Map<String, Object> pod = podSpec(r);
                for (Map<String, Object> constraint : maps(pod.get("topologySpreadConstraints"))) {
                    labelsAt(constraint, List.of("labelSelector", "matchLabels"), false, pairs);
                }
                if (pod.get("affinity") != null) {
                    throw new KustomizeException(id(r) + ": affinity is not rendered by this test's kustomize");
                }
            }
        }
    }

    /** Adds {@code pairs} to the map at {@code path}, creating the path only if {@code create}. */
    @SuppressWarnings("unchecked")
    private static void labelsAt(Map<String, Object> node, List<String> path, boolean create, Map<String, Object> pairs) {
        Map<String, Object> current = node;
        for (String step : path) {
            Object next = current.get(step);
            if (next == null) {
                if (!create) {
                    return;
                }
                next = new LinkedHashMap<String, Object>();
                current.put(step, next);
            }
            current = (Map<String, Object>) next;
        }
        current.putAll(pairs);
    }

    @SuppressWarnings("unchecked")
    private static void applyImage(Map<String, Object> image, List<Map<String, Object>> resources) {
        String name = (String) image.get("name");
        for (Map<String, Object> r : resources) {
            Map<String, Object> pod = "Pod".equals(r.get("kind")) ? (Map<String, Object>) r.get("spec") : podSpec(r);
            if (pod == null) {
                continue;
            }
            for (String containers : List.of("containers", "initContainers")) {
                for (Map<String, Object> container : maps(pod.get(containers))) {
                    String current = String.valueOf(container.get("image"));
                    int at = current.indexOf('@');
                    int colon = current.lastIndexOf(':');
                    boolean hasTag = colon > current.lastIndexOf('/');
                    String repository = at >= 0 ? current.substring(0, at) : hasTag ? current.substring(0, colon) : current;
                    String tag = at >= 0 ? current.substring(at) : hasTag ? current.substring(colon) : "";
                    if (!repository.equals(name)) {
                        continue;
                    }
                    String newName = image.get("newName") != null ? (String) image.get("newName") : repository;
                    String newTag = image.get("digest") != null ? "@" + image.get("digest")
                            : image.get("newTag") != null ? ":" + image.get("newTag") : tag;
                    container.put("image", newName + newTag);
                }
            }
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------

    @SuppressWarnings("unchecked")
    static Map<String, Object> metadata(Map<String, Object> r) {
        return (Map<String, Object>) r.computeIfAbsent("metadata", m -> new LinkedHashMap<>());
    }

    /** The pod spec of a workload's template, or null for other kinds. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> podSpec(Map<String, Object> r) {
        if (!WORKLOADS.contains(r.get("kind")) || !(r.get("spec") instanceof Map<?, ?> spec)
                || !(spec.get("template") instanceof Map<?, ?> template)) {
            return null;
        }
        return (Map<String, Object>) ((Map<String, Object>) template).computeIfAbsent("spec", s -> new LinkedHashMap<>());
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> maps(Object list) {
        return list == null ? List.of() : (List<Map<String, Object>>) list;
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Object list) {
        return list == null ? List.of() : (List<String>) list;
    }

    private static void refuseUnknown(Path file, String what, Map<String, Object> map, Set<String> known) {
        for (String key : map.keySet()) {
            if (!known.contains(key)) {
                throw new KustomizeException(file + ": " + what + " field '" + key + "' is not rendered by this test's kustomize "
                        + "(src/test/java/io/github/taniumroutes/deploy/Kustomize.java); teach it, or use one it renders");
            }
        }
    }

    static final class KustomizeException extends RuntimeException {
        KustomizeException(String message) {
            super(message);
        }
    }
}
