package io.github.taniumroutes.deploy;

import java.util.List;
import java.util.Map;

/**
 * A strategic merge patch of the shapes these manifests use: objects merge field by field, null deletes a
 * field, and the pod spec's lists merge by their Kubernetes merge key (containers, env, volumes by name;
 * volumeMounts by mountPath; ports by containerPort); any other list is replaced, as kustomize does for
 * lists without a merge key. Directives ($patch, $setElementOrder, ...) are refused.
 */
final class StrategicMerge {

    private static final Map<String, String> MERGE_KEYS = Map.of("containers", "name", "initContainers", "name", "env", "name",
            "volumes", "name", "volumeMounts", "mountPath", "ports", "containerPort", "imagePullSecrets", "name");

    private StrategicMerge() {
    }

    @SuppressWarnings("unchecked")
    static void apply(Map<String, Object> target, Map<String, Object> patch, String source) {
        for (Map.Entry<String, Object> e : patch.entrySet()) {
            String key = e.getKey();
            Object value = e.getValue();
            if (key.startsWith("$")) {
                throw new Kustomize.KustomizeException(source + ": strategic merge directive '" + key + "' is not rendered here");
            }
            Object current = target.get(key);
            if (value == null) {
                target.remove(key);
            } else if (value instanceof Map<?, ?> map && current instanceof Map<?, ?> existing) {
                apply((Map<String, Object>) existing, (Map<String, Object>) map, source);
            } else if (value instanceof List<?> list && current instanceof List<?> existing && MERGE_KEYS.containsKey(key)
                    && list.stream().allMatch(i -> i instanceof Map<?, ?>)) {
                mergeList((List<Object>) existing, (List<Map<String, Object>>) list, MERGE_KEYS.get(key), source);
            } else {
                target.put(key, value);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static void mergeList(List<Object> existing, List<Map<String, Object>> patch, String mergeKey, String source) {
        for (Map<String, Object> item : patch) {
            if (!item.containsKey(mergeKey)) {
                throw new Kustomize.KustomizeException(source + ": list item without its merge key '" + mergeKey + "': " + item);
            }
            Map<String, Object> match = null;
            for (Object candidate : existing) {
                if (candidate instanceof Map<?, ?> m && String.valueOf(m.get(mergeKey)).equals(String.valueOf(item.get(mergeKey)))) {
                    match = (Map<String, Object>) m;
                }
            }
            if (match == null) {
                existing.add(item);
            } else {
                apply(match, item, source);
            }
        }
    }
}
