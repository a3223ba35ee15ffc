package io.github.taniumroutes.action;

import java.util.ArrayList;
import java.util.List;

import io.github.taniumroutes.investigation.Target;

/**
 * The text of an ad-hoc group that holds exactly the investigation's endpoint: the second half of a
 * Tanium question ({@code Computer Name equals "WS-0142" and Computer ID equals "9065203"}), for
 * {@code POST /api/v2/groups} (seed 003).
 *
 * <p>Every value is written as a quoted string, and a quote inside it is doubled: Tanium's question
 * parser reads {@code ""} inside a quoted string as one literal quote ("Reference: Advanced question
 * syntax", docs.tanium.com), and inside quotes its reserved words (and, or, equals ...) and characters
 * ({@code [ ] , . : ? $} and spaces) are plain text. So no value can end its string early, add an
 * {@code and}/{@code or} clause or change the operator. Values with line breaks or other control
 * characters cannot be written safely at all and are refused.
 *
 * <p>The computer id (the Gateway's computerID) pins the group to one machine even where two share a
 * name; without it, the IP address narrows the name.
 */
public final class TargetingText {

    /** A value the targeting text cannot carry safely; the step is rejected, nothing is sent. */
    public static final class Unsafe extends Exception {
        Unsafe(String message) {
            super(message, null, false, false);
        }
    }

    private TargetingText() {
    }

    public static String of(Target target) throws Unsafe {
        if (target.hostname() == null || target.hostname().isBlank()) {
            throw new Unsafe("the endpoint has no computer name to target");
        }
        List<String> clauses = new ArrayList<>();
        clauses.add("Computer Name equals " + quoted("computer name", target.hostname()));
        if (target.clientId() != null && !target.clientId().isBlank()) {
            clauses.add("Computer ID equals " + quoted("computer id", target.clientId()));
        } else if (target.ip() != null && !target.ip().isBlank()) {
            clauses.add("IP Address equals " + quoted("IP address", target.ip()));
        }
        return String.join(" and ", clauses);
    }

    /** {@code value} as one quoted string of Tanium's question syntax. */
    public static String quoted(String what, String value) throws Unsafe {
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                throw new Unsafe("the " + what + " holds a control character (U+" + String.format("%04X", (int) c)
                        + ") that Tanium's targeting text cannot carry");
            }
            out.append(c);
            if (c == '"') {
                out.append('"');
            }
        }
        return out.append('"').toString();
    }
}
