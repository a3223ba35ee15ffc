package io.github.taniumroutes.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * RFC 6902 add, remove, replace and test on a YAML document, for kustomize's JSON 6902 patches. move and
 * copy are refused: no manifest here uses them.
 */
final class JsonPatch {

    private static final Set<String> OPERATION_FIELDS = Set.of("op", "path", "value");

    private JsonPatch() {
    }

    static void apply(Map<String, Object> document, List<Map<String, Object>> operations, String source) {
        for (Map<String, Object> operation : operations) {
            for (String key : operation.keySet()) {
                if (!OPERATION_FIELDS.contains(key)) {
                    throw new Kustomize.KustomizeException(source + ": JSON patch field '" + key + "' is not rendered here");
                }
            }
            String op = String.valueOf(operation.get("op"));
            List<String> path = pointer(source, String.valueOf(operation.get("path")));
            Object parent = walk(document, path.subList(0, path.size() - 1), source, operation);
            String last = path.get(path.size() - 1);
            Object value = operation.get("value");
            switch (op) {
                case "add" -> add(parent, last, value, source, operation);
                case "remove" -> remove(parent, last, source, operation);
                case "replace" -> {
                    remove(parent, last, source, operation);
                    add(parent, last, value, source, operation);
                }
                case "test" -> {
                    if (!Objects.equals(get(parent, last, source, operation), value)) {
                        throw new Kustomize.KustomizeException(source + ": test failed: " + operation);
                    }
                }
                default -> throw new Kustomize.KustomizeException(source + ": JSON patch op '" + op + "' is not rendered here");
            }
        }
    }

    /** RFC 6901: "/a/b~1c/0" is [a, b/c, 0]. */
    static List<String> pointer(String source, String pointer) {
        if (!pointer.startsWith("/")) {
            throw new Kustomize.KustomizeException(source + ": JSON pointer '" + pointer + "' does not start with /");
        }
        List<String> steps = new ArrayList<>();
        for (String step : pointer.substring(1).split("/", -1)) {
            steps.add(step.replace("~1", "/").replace("~0", "~"));
        }
        return steps;
    }

    private static Object walk(Object node, List<String> steps, String source, Map<String, Object> operation) {
        for (String step : steps) {
            node = get(node, step, source, operation);
        }
        return node;
    }

    @SuppressWarnings("unchecked")
    private static Object get(Object node, String step, String source, Map<String, Object> operation) {
        if (node instanceof Map<?, ?> map && map.containsKey(step)) {
            return map.get(step);
        }
        if (node instanceof List<?> list) {
            int index = index(step, list.size() - 1, source, operation);
            return ((List<Object>) list).get(index);
        }
        throw new Kustomize.KustomizeException(source + ": no '" + step + "' for " + operation);
    }

    @SuppressWarnings("unchecked")
    private static void add(Object parent, String last, Object value, String source, Map<String, Object> operation) {
        if (parent instanceof Map<?, ?> map) {
            ((Map<String, Object>) map).put(last, value);
        } else if (parent instanceof List<?> list) {
            List<Object> items = (List<Object>) list;
            items.add("-".equals(last) ? items.size() : index(last, items.size(), source, operation), value);
        } else {
            throw new Kustomize.KustomizeException(source + ": cannot add into " + parent + " for " + operation);
        }
    }

    private static void remove(Object parent, String last, String source, Map<String, Object> operation) {
        if (parent instanceof Map<?, ?> map && map.containsKey(last)) {
            map.remove(last);
        } else if (parent instanceof List<?> list) {
            list.remove(index(last, list.size() - 1, source, operation));
        } else {
            throw new Kustomize.KustomizeException(source + ": nothing at '" + last + "' to remove or replace for " + operation);
        }
    }

    private static int index(String step, int max, String source, Map<String, Object> operation) {
        if (!step.matches("0|[1-9][0-9]*") || Integer.parseInt(step) > max) {
            throw new Kustomize.KustomizeException(source + ": index '" + step + "' out of range for " + operation);
        }
        return Integer.parseInt(step);
    }
}
