package io.github.taniumroutes.action;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A Tanium package as {@code GET /api/v2/packages/by-name/{name}} describes it (seed 003): its id (the
 * action's {@code package_spec.source_id}), its default expiry, and the parameters it takes, read from
 * {@code parameter_definition} — a JSON document inside a JSON string, possibly empty.
 *
 * <p>{@link #check} validates the values a rule gives (already filled in from the alert and checked by
 * the policy's own templates) against the package's own definition before anything is issued:
 * numbers against minimum, maximum and step, drop-down values against the list, text against its
 * length and the package's validation expressions; a parameter the rule leaves out takes the
 * package's default, and one with no default is required. A value the definition refuses rejects the
 * step, naming the parameter and the reason.
 */
public record TaniumPackage(String id, String name, Integer expireSeconds, List<Parameter> parameters) {

    /** One parameter of the package: its key ($1, $2 ...), label, kind and rules. */
    public record Parameter(String key, String label, Kind kind, BigDecimal minimum, BigDecimal maximum, BigDecimal stepSize,
            List<String> values, Integer maxChars, List<String> validationExpressions, String defaultValue) {
    }

    public enum Kind {
        NUMERIC, CHOICE, CHECKBOX, TEXT
    }

    /** A value the package refuses, or a package whose definition cannot be read; nothing is issued. */
    public static final class Refused extends Exception {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    /** The package in a {@code packages/by-name} reply. */
    public static TaniumPackage read(ObjectMapper mapper, String reply) throws Refused {
        JsonNode root;
        try {
            root = mapper.readTree(reply);
        } catch (JsonProcessingException e) {
            throw new Refused("Tanium's package reply is not JSON: " + e.getOriginalMessage());
        }
        JsonNode data = root != null && root.has("data") ? root.path("data") : root;
        if (data == null || !data.isObject() || data.path("id").isMissingNode() || data.path("id").isNull()) {
            throw new Refused("Tanium's package reply names no package id");
        }
        String name = data.path("name").asText(null);
        List<Parameter> parameters = definition(mapper, name, data.path("parameter_definition"));
        JsonNode expire = data.path("expire_seconds");
        return new TaniumPackage(data.path("id").asText(), name, expire.isNumber() ? expire.asInt() : null, parameters);
    }

    private static List<Parameter> definition(ObjectMapper mapper, String name, JsonNode field) throws Refused {
        if (field.isMissingNode() || field.isNull() || field.isTextual() && field.asText().isBlank()) {
            return List.of();
        }
        JsonNode document;
        try {
            document = field.isTextual() ? mapper.readTree(field.asText()) : field;
        } catch (JsonProcessingException e) {
            throw new Refused("the parameter_definition of package '" + name + "' is not JSON (" + e.getOriginalMessage()
                    + "): its parameters cannot be checked");
        }
        List<Parameter> parameters = new ArrayList<>();
        for (JsonNode p : document.path("parameters")) {
            String key = p.path("key").asText(null);
            if (key == null || key.isBlank()) {
                // A separator or a heading of the console's form takes no value.
                continue;
            }
            String model = p.path("model").asText(p.path("parameterType").asText(""));
            List<String> values = new ArrayList<>();
            p.path("values").forEach(v -> values.add(v.isObject() ? v.path("value").asText(v.path("label").asText("")) : v.asText()));
            List<String> expressions = new ArrayList<>();
            p.path("validationExpressions").forEach(v -> {
                String expression = v.isObject() ? v.path("expression").asText("") : v.asText("");
                if (!expression.isEmpty()) {
                    expressions.add(expression);
                }
            });
            Kind kind = model.endsWith("NumericParameter") ? Kind.NUMERIC
                    : model.endsWith("CheckBoxParameter") ? Kind.CHECKBOX
                    : model.endsWith("DropDownParameter") || model.endsWith("ListParameter") || !values.isEmpty() ? Kind.CHOICE
                    : Kind.TEXT;
            String defaultValue = p.hasNonNull("defaultValue") ? p.path("defaultValue").asText() : null;
            parameters.add(new Parameter(key, p.path("label").asText(key), kind, decimal(p, "minimum"), decimal(p, "maximum"),
                    decimal(p, "stepSize"), List.copyOf(values), p.path("maxChars").isNumber() ? p.path("maxChars").asInt() : null,
                    List.copyOf(expressions), defaultValue));
        }
        return List.copyOf(parameters);
    }

    /**
     * The action's {@code package_spec.parameters}: every parameter of the package, in its order, with
     * the rule's value or else the package's default, each checked against the definition.
     */
    public List<Map<String, String>> check(Map<String, String> given) throws Refused {
        Set<String> unknown = new LinkedHashSet<>(given.keySet());
        List<Map<String, String>> spec = new ArrayList<>();
        for (Parameter parameter : parameters) {
            unknown.remove(parameter.key());
            String value = given.get(parameter.key());
            if (value == null) {
                if (parameter.defaultValue() == null || parameter.defaultValue().isEmpty() && parameter.kind() != Kind.TEXT) {
                    throw refused(parameter, "the package requires it, and the rule gives no value and the package no default");
                }
                value = parameter.defaultValue();
            } else {
                checkValue(parameter, value);
            }
            Map<String, String> entry = new LinkedHashMap<>();
            entry.put("key", parameter.key());
            entry.put("value", value);
            spec.add(entry);
        }
        if (!unknown.isEmpty()) {
            throw new Refused("package '" + name + "' has no parameter " + String.join(", ", unknown) + " (it takes "
                    + (parameters.isEmpty() ? "none" : String.join(", ", parameters.stream().map(Parameter::key).toList())) + ")");
        }
        return List.copyOf(spec);
    }

    private void checkValue(Parameter parameter, String value) throws Refused {
        switch (parameter.kind()) {
            case NUMERIC -> {
                BigDecimal number;
                try {
                    number = new BigDecimal(value.strip());
                } catch (NumberFormatException e) {
                    throw refused(parameter, "'" + abbreviated(value) + "' is not a number");
                }
                if (parameter.minimum() != null && number.compareTo(parameter.minimum()) < 0) {
                    throw refused(parameter, value + " is below the package's minimum " + parameter.minimum().toPlainString());
                }
                if (parameter.maximum() != null && number.compareTo(parameter.maximum()) > 0) {
                    throw refused(parameter, value + " is above the package's maximum " + parameter.maximum().toPlainString());
                }
                BigDecimal base = parameter.minimum() == null ? BigDecimal.ZERO : parameter.minimum();
                if (parameter.stepSize() != null && parameter.stepSize().signum() > 0
                        && number.subtract(base).remainder(parameter.stepSize()).signum() != 0) {
                    throw refused(parameter, value + " is not a step of " + parameter.stepSize().toPlainString() + " from "
                            + base.toPlainString());
                }
            }
            case CHOICE -> {
                if (!parameter.values().contains(value)) {
                    throw refused(parameter, "'" + abbreviated(value) + "' is not one of " + parameter.values());
                }
            }
            case CHECKBOX -> {
                if (!Set.of("0", "1", "true", "false").contains(value)) {
                    throw refused(parameter, "'" + abbreviated(value) + "' is not a check box value (0, 1, true or false)");
                }
            }
            case TEXT -> {
                if (parameter.maxChars() != null && parameter.maxChars() > 0 && value.length() > parameter.maxChars()) {
                    throw refused(parameter, "longer than the package's " + parameter.maxChars() + " characters");
                }
                for (String expression : parameter.validationExpressions()) {
                    Pattern pattern;
                    try {
                        pattern = Pattern.compile(expression);
                    } catch (PatternSyntaxException e) {
                        // Fail closed: a remediation value that cannot be checked is not sent.
                        throw refused(parameter, "the package's validation expression cannot be checked here (" + e.getDescription() + ")");
                    }
                    if (!pattern.matcher(value).find()) {
                        throw refused(parameter, "'" + abbreviated(value) + "' does not match the package's validation expression "
                                + expression);
                    }
                }
            }
        }
    }

    private Refused refused(Parameter parameter, String reason) {
        String label = parameter.label() == null || parameter.label().equals(parameter.key()) ? "" : " (" + parameter.label() + ")";
        return new Refused("package '" + name + "' parameter " + parameter.key() + label + ": " + reason);
    }

    private static String abbreviated(String value) {
        return value.length() <= 64 ? value : value.substring(0, 64) + "…";
    }

    private static BigDecimal decimal(JsonNode parameter, String field) {
        JsonNode value = parameter.path(field);
        if (value.isNumber()) {
            return value.decimalValue();
        }
        if (value.isTextual() && !value.asText().isBlank()) {
            try {
                return new BigDecimal(value.asText().strip());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }
}
