package io.github.taniumroutes.alert;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads a dotted field path from a document whose keys may be nested objects, dotted keys, or a mix
 * of both at any level (Elastic's alerts index stores {@code kibana.alert.*} dotted but copies
 * source-event objects such as {@code host} nested).
 */
final class JsonFields {

    private JsonFields() {
    }

    static JsonNode find(JsonNode node, String path) {
        if (node == null || !node.isObject()) {
            return null;
        }
        JsonNode direct = node.get(path);
        if (direct != null) {
            return direct;
        }
        for (int dot = path.indexOf('.'); dot > 0; dot = path.indexOf('.', dot + 1)) {
            JsonNode child = node.get(path.substring(0, dot));
            if (child != null) {
                JsonNode found = find(child, path.substring(dot + 1));
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    /**
     * A field as text: strings and numbers are accepted, a one-element array (Elastic's {@code fields}
     * API returns every value as an array) is unwrapped; objects and longer arrays are a type error.
     */
    static String text(JsonNode root, String path) throws InvalidAlertException {
        JsonNode value = unwrap(find(root, path));
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isTextual() || value.isNumber() || value.isBoolean()) {
            String text = value.asText().strip();
            return text.isEmpty() ? null : text;
        }
        throw new InvalidAlertException("wrong_type", "field '" + path + "' must be a string, found " + kind(value));
    }

    /** The first present field among {@code paths}, as text. */
    static String firstText(JsonNode root, String... paths) throws InvalidAlertException {
        for (String path : paths) {
            String value = text(root, path);
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    static Long integer(JsonNode root, String path) throws InvalidAlertException {
        JsonNode value = unwrap(find(root, path));
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            return value.asLong();
        }
        if (value.isTextual() && value.asText().strip().matches("\\d{1,18}")) {
            return Long.parseLong(value.asText().strip());
        }
        throw new InvalidAlertException("wrong_type", "field '" + path + "' must be an integer, found " + kind(value));
    }

    /** A list of strings: an array of strings, or a single string; absent is empty. */
    static java.util.List<String> strings(JsonNode root, String path) throws InvalidAlertException {
        JsonNode value = find(root, path);
        if (value == null || value.isNull()) {
            return java.util.List.of();
        }
        if (value.isTextual()) {
            return value.asText().isBlank() ? java.util.List.of() : java.util.List.of(value.asText().strip());
        }
        if (!value.isArray()) {
            throw new InvalidAlertException("wrong_type", "field '" + path + "' must be a list of strings");
        }
        java.util.List<String> strings = new java.util.ArrayList<>();
        for (JsonNode item : value) {
            if (!item.isTextual()) {
                throw new InvalidAlertException("wrong_type", "field '" + path + "' must be a list of strings");
            }
            if (!item.asText().isBlank()) {
                strings.add(item.asText().strip());
            }
        }
        return strings;
    }

    /** Arrays of addresses (ECS host.ip) yield their first entry. */
    static String firstOf(JsonNode root, String path) throws InvalidAlertException {
        JsonNode value = find(root, path);
        if (value != null && value.isArray()) {
            return value.isEmpty() ? null : arrayEntry(value.get(0), path);
        }
        return text(root, path);
    }

    private static String arrayEntry(JsonNode value, String path) throws InvalidAlertException {
        if (value.isTextual()) {
            String text = value.asText().strip();
            return text.isEmpty() ? null : text;
        }
        throw new InvalidAlertException("wrong_type",
                "field '" + path + "' must hold strings, found " + kind(value) + " in an array");
    }

    private static JsonNode unwrap(JsonNode value) {
        return value != null && value.isArray() && value.size() == 1 ? value.get(0) : value;
    }

    private static String kind(JsonNode value) {
        return value.getNodeType().name().toLowerCase();
    }
}
