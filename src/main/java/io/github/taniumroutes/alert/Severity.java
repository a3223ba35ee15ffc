package io.github.taniumroutes.alert;

import java.util.List;
import java.util.Locale;

/** Maps each source's severity vocabulary onto low | medium | high | critical (or informational / unknown). */
final class Severity {

    private static final List<String> ORDER = List.of("informational", "low", "medium", "high", "critical");

    private Severity() {
    }

    static String normalise(String value) {
        if (value == null) {
            return "unknown";
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "info", "informational", "information", "none" -> "informational";
            case "low", "1" -> "low";
            case "medium", "moderate", "2" -> "medium";
            case "high", "3" -> "high";
            case "critical", "4" -> "critical";
            default -> "unknown";
        };
    }

    /** The more severe of two readings, for sources that carry two scales (Threat Response: severity and priority). */
    static String higher(String first, String second) {
        String a = normalise(first);
        String b = normalise(second);
        return ORDER.indexOf(a) >= ORDER.indexOf(b) ? a : b;
    }
}
