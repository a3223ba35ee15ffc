package io.github.taniumroutes.simulator;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Just enough of a GraphQL reader for the simulator: a strict lexer (string literals must be
 * correctly escaped, as a real server demands) and a reader for the arguments of named fields,
 * with variables resolved. It is what lets tests prove that hostile alert values arrive intact.
 */
public final class GraphQlDocument {

    /** A field occurrence: its alias (or name), name and resolved arguments. */
    public record Field(String alias, String name, Map<String, Object> arguments) {
    }

    public static final class SyntaxError extends RuntimeException {
        SyntaxError(String message) {
            super(message);
        }
    }

    private record Token(char kind, String text) {
        // kinds: 'N' name, 'S' string, 'I' number, 'P' punctuator ($ : ( ) [ ] { } ! = @ | ...)
    }

    private final List<Token> tokens;
    private final JsonNode variables;
    private int position;
    /** Where each field found so far sits: its name token, and the end of its selection set (its own position when it has none). */
    private final Map<Field, int[]> spans = new IdentityHashMap<>();
    /** The fields found so far, by name: a document is read once however often it is asked (a request may hold a hundred reads). */
    private final Map<String, List<Field>> found = new LinkedHashMap<>();

    private GraphQlDocument(List<Token> tokens, JsonNode variables) {
        this.tokens = tokens;
        this.variables = variables;
    }

    /** Every occurrence of a field with arguments named {@code fieldName}, in document order. */
    public static List<Field> fields(String query, JsonNode variables, String fieldName) {
        return parse(query, variables).fields(fieldName);
    }

    /** Throws {@link SyntaxError} when the document does not lex or its brackets do not balance. */
    public static void validate(String query) {
        parse(query, null);
    }

    /** Lexes and checks the document once; {@link #fields(String)} then reads it as often as needed. */
    public static GraphQlDocument parse(String query, JsonNode variables) {
        List<Token> tokens = lex(query);
        checkBrackets(tokens);
        return new GraphQlDocument(tokens, variables);
    }

    /** Every occurrence of a field with arguments named {@code fieldName}, in document order. */
    public List<Field> fields(String fieldName) {
        return found.computeIfAbsent(fieldName, name -> List.copyOf(find(name)));
    }

    /**
     * The fields named {@code fieldName} (with arguments) inside the selection set of {@code parent}, a
     * field this document found: e.g. the sensorReadings of one of several aliased endpoints fields.
     */
    public List<Field> fieldsWithin(Field parent, String fieldName) {
        int[] outer = spans.get(parent);
        if (outer == null) {
            throw new IllegalArgumentException("not a field of this document: " + parent);
        }
        List<Field> inside = new ArrayList<>();
        for (Field field : fields(fieldName)) {
            int start = spans.get(field)[0];
            if (start > outer[0] && start < outer[1]) {
                inside.add(field);
            }
        }
        return inside;
    }

    /** Whether the document names {@code name} anywhere (a field of a selection set, say {@code processes}). */
    public boolean mentions(String name) {
        return tokens.stream().anyMatch(t -> t.kind() == 'N' && t.text().equals(name));
    }

    private static void checkBrackets(List<Token> tokens) {
        StringBuilder stack = new StringBuilder();
        for (Token t : tokens) {
            if (t.kind() == 'P' && "({[".contains(t.text())) {
                stack.append(t.text());
            } else if (t.kind() == 'P' && ")}]".contains(t.text())) {
                char open = ")}]".indexOf(t.text()) == 0 ? '(' : ")}]".indexOf(t.text()) == 1 ? '{' : '[';
                if (stack.length() == 0 || stack.charAt(stack.length() - 1) != open) {
                    throw new SyntaxError("unbalanced '" + t.text() + "'");
                }
                stack.setLength(stack.length() - 1);
            }
        }
        if (stack.length() > 0) {
            throw new SyntaxError("unclosed '" + stack.charAt(stack.length() - 1) + "'");
        }
    }

    private List<Field> find(String fieldName) {
        List<Field> found = new ArrayList<>();
        for (position = 0; position < tokens.size(); position++) {
            Token t = tokens.get(position);
            if (t.kind() == 'N' && t.text().equals(fieldName) && isPunct(position + 1, "(")) {
                String alias = position >= 2 && isPunct(position - 1, ":") && tokens.get(position - 2).kind() == 'N'
                        ? tokens.get(position - 2).text()
                        : fieldName;
                int start = position;
                position += 2;
                Field field = new Field(alias, fieldName, arguments());
                spans.put(field, new int[] {start, selectionEnd(position + 1)});
                found.add(field);
            }
        }
        return found;
    }

    /** The index of the brace that closes the selection set opening at {@code index}, or {@code index} when none opens there. */
    private int selectionEnd(int index) {
        if (index >= tokens.size() || !isPunct(index, "{")) {
            return index;
        }
        int depth = 0;
        for (int i = index; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.kind() == 'P' && t.text().equals("{")) {
                depth++;
            } else if (t.kind() == 'P' && t.text().equals("}") && --depth == 0) {
                return i;
            }
        }
        return tokens.size();
    }

    private Map<String, Object> arguments() {
        Map<String, Object> arguments = new LinkedHashMap<>();
        while (!isPunct(position, ")")) {
            String name = expect('N').text();
            expectPunct(":");
            arguments.put(name, value());
        }
        return arguments;
    }

    private Object value() {
        Token t = next();
        if (t.kind() == 'S') {
            return t.text();
        }
        if (t.kind() == 'I') {
            return t.text();
        }
        if (t.kind() == 'N') {
            return switch (t.text()) {
                case "true" -> Boolean.TRUE;
                case "false" -> Boolean.FALSE;
                case "null" -> null;
                default -> t.text(); // enum value, e.g. EQ
            };
        }
        switch (t.text()) {
            case "$" -> {
                String name = expect('N').text();
                JsonNode value = variables == null ? null : variables.get(name);
                return value == null || value.isNull() ? null : value.isTextual() ? value.asText() : value.toString();
            }
            case "[" -> {
                List<Object> list = new ArrayList<>();
                while (!isPunct(position, "]")) {
                    list.add(value());
                }
                position++;
                return list;
            }
            case "{" -> {
                Map<String, Object> object = new LinkedHashMap<>();
                while (!isPunct(position, "}")) {
                    String name = expect('N').text();
                    expectPunct(":");
                    object.put(name, value());
                }
                position++;
                return object;
            }
            default -> throw new SyntaxError("unexpected '" + t.text() + "' where a value belongs");
        }
    }

    private Token next() {
        if (position >= tokens.size()) {
            throw new SyntaxError("unexpected end of document");
        }
        return tokens.get(position++);
    }

    private Token expect(char kind) {
        Token t = next();
        if (t.kind() != kind) {
            throw new SyntaxError("unexpected '" + t.text() + "'");
        }
        return t;
    }

    private void expectPunct(String text) {
        Token t = next();
        if (t.kind() != 'P' || !t.text().equals(text)) {
            throw new SyntaxError("expected '" + text + "', found '" + t.text() + "'");
        }
    }

    private boolean isPunct(int index, String text) {
        if (index >= tokens.size()) {
            throw new SyntaxError("unexpected end of document");
        }
        Token t = tokens.get(index);
        return t.kind() == 'P' && t.text().equals(text);
    }

    private static List<Token> lex(String source) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        while (i < source.length()) {
            char c = source.charAt(i);
            if (c == '#') {
                while (i < source.length() && source.charAt(i) != '\n' && source.charAt(i) != '\r') {
                    i++;
                }
            } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',' || c == '\uFEFF') {
                i++;
            } else if (c == '"') {
                if (source.startsWith("\"\"\"", i)) {
                    int end = source.indexOf("\"\"\"", i + 3);
                    if (end < 0) {
                        throw new SyntaxError("unterminated block string");
                    }
                    tokens.add(new Token('S', source.substring(i + 3, end)));
                    i = end + 3;
                } else {
                    i = lexString(source, i + 1, tokens);
                }
            } else if (c == '.' && source.startsWith("...", i)) {
                tokens.add(new Token('P', "..."));
                i += 3;
            } else if ("!$&()[]{}:=@|".indexOf(c) >= 0) {
                tokens.add(new Token('P', String.valueOf(c)));
                i++;
            } else if (isNameStart(c)) {
                int start = i;
                while (i < source.length() && (isNameStart(source.charAt(i)) || isDigit(source.charAt(i)))) {
                    i++;
                }
                tokens.add(new Token('N', source.substring(start, i)));
            } else if (c == '-' || isDigit(c)) {
                int start = i++;
                while (i < source.length() && (isDigit(source.charAt(i)) || ".eE+-".indexOf(source.charAt(i)) >= 0)) {
                    i++;
                }
                tokens.add(new Token('I', source.substring(start, i)));
            } else {
                throw new SyntaxError(String.format("unexpected character U+%04X", (int) c));
            }
        }
        return tokens;
    }

    private static int hex4(String source, int at) {
        int code = 0;
        for (int k = at; k < at + 4; k++) {
            int digit = Character.digit(source.charAt(k), 16);
            if (digit < 0) {
                return -1;
            }
            code = code * 16 + digit;
        }
        return code;
    }

    private static boolean isNameStart(char c) {
        return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static int lexString(String source, int i, List<Token> tokens) {
        StringBuilder value = new StringBuilder();
        while (true) {
            if (i >= source.length()) {
                throw new SyntaxError("unterminated string");
            }
            char c = source.charAt(i++);
            if (c == '"') {
                tokens.add(new Token('S', value.toString()));
                return i;
            }
            if (c == '\n' || c == '\r') {
                throw new SyntaxError("line terminator inside a string");
            }
            if (c < 0x20 && c != '\t') {
                throw new SyntaxError(String.format("invalid character U+%04X inside a string", (int) c));
            }
            if (c != '\\') {
                value.append(c);
                continue;
            }
            if (i >= source.length()) {
                throw new SyntaxError("unterminated escape");
            }
            char e = source.charAt(i++);
            switch (e) {
                case '"' -> value.append('"');
                case '\\' -> value.append('\\');
                case '/' -> value.append('/');
                case 'b' -> value.append('\b');
                case 'f' -> value.append('\f');
                case 'n' -> value.append('\n');
                case 'r' -> value.append('\r');
                case 't' -> value.append('\t');
                case 'u' -> {
                    int code = i + 4 > source.length() ? -1 : hex4(source, i);
                    if (code < 0) {
                        throw new SyntaxError("invalid unicode escape");
                    }
                    value.append((char) code);
                    i += 4;
                }
                default -> throw new SyntaxError("invalid escape \\" + e);
            }
        }
    }
}
