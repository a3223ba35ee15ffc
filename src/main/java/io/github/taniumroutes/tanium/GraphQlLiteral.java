package io.github.taniumroutes.tanium;

/**
 * Writes a value as a GraphQL string literal (spec §2.9.4). Only for the few places where a
 * variable is impossible (Network Details' HOSTORIP parameter); everything else goes as a variable.
 */
public final class GraphQlLiteral {

    private GraphQlLiteral() {
    }

    public static String quote(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    // Control characters (and the line/paragraph separators some parsers treat as line
                    // terminators) are not allowed raw inside a string: escape them as \\uXXXX.
                    if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
