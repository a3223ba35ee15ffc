package io.github.taniumroutes.evidence;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.inject.Named;
import jakarta.inject.Singleton;

/**
 * The path policy of file evidence: a path (the policy's template with alert fields filled in) reaches
 * Tanium only as {@link #check} returns it, and only if the rule's allowed path patterns allow it.
 *
 * <p>Refused on every platform: an empty path, one longer than {@value #MAX_LENGTH} characters, control
 * characters (NUL among them), invisible or unassigned characters (bidirectional overrides, zero-width
 * characters, lone surrogates, U+FFFD from text that was not UTF-8), compatibility look-alikes of path
 * syntax (a fullwidth solidus or full stop, which some Windows APIs map to the real one), percent-encoded
 * sequences, and {@code ..} segments. {@code .} segments and repeated separators are dropped.
 *
 * <p>Windows ({@code Windows} platform): a drive path ({@code C:\…}, {@code /} read as {@code \}); refused:
 * {@code \\?\}, {@code \\.\} and {@code \??\} prefixes, UNC paths, drive-relative and root-relative paths,
 * {@code %} (environment variables), a colon after the drive (alternate data streams), {@code < > " | ? *},
 * a segment ending in a dot or a space (Windows strips them), and device names ({@code CON}, {@code NUL},
 * {@code COM1}, {@code LPT1} …, with or without an extension). Patterns match ignoring case.
 *
 * <p>Every other platform (Linux, Mac …): an absolute path ({@code /…}); a backslash is refused (not a
 * separator there, so a path holding one cannot mean what it seems). Patterns match case-sensitively.
 *
 * <p>Allowed path patterns ({@code allowedPaths}): absolute paths of either form, in which {@code *} and
 * {@code ?} match within one segment and {@code **} any number of segments. A pattern applies to the
 * platform its form belongs to.
 */
@Singleton
@Named("filePaths")
public class FilePaths {

    public static final int MAX_LENGTH = 1024;

    enum Platform {
        WINDOWS('\\'), POSIX('/');

        final char separator;

        Platform(char separator) {
            this.separator = separator;
        }

        /** The endpoint's platform as the Gateway names it; null when unknown. */
        static Platform of(String name) {
            if (name == null || name.isBlank()) {
                return null;
            }
            return name.toLowerCase(Locale.ROOT).contains("windows") ? WINDOWS : POSIX;
        }

        /** The platform a pattern's form belongs to; null when it is neither absolute form. */
        static Platform ofPattern(String pattern) {
            if (pattern.matches("(?s)[A-Za-z]:[\\\\/].*")) {
                return WINDOWS;
            }
            return pattern.startsWith("/") ? POSIX : null;
        }
    }

    /** Why a path is not sent, in a sentence that names the rule it broke. */
    public static final class Refused extends Exception {
        Refused(String reason) {
            super(reason, null, false, false);
        }
    }

    private static final Set<String> DEVICES = Set.of("CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$", "CLOCK$");
    private static final Pattern NUMBERED_DEVICE = Pattern.compile("(COM|LPT)[0-9\u00b9\u00b2\u00b3]");
    private static final Pattern PERCENT_ENCODED = Pattern.compile("%[0-9A-Fa-f]{2}");
    private static final Pattern DRIVE = Pattern.compile("[A-Za-z]:\\\\.*", Pattern.DOTALL);
    /** What a compatibility character must not turn into: path syntax. */
    private static final String SYNTAX = "/\\.:*?\"<>|%~";

    /**
     * The path to send for an endpoint of {@code platform}, normalised, if it is acceptable and one of
     * {@code allowedPatterns} allows it.
     */
    public String check(String path, String platform, List<String> allowedPatterns) throws Refused {
        Platform form = Platform.of(platform);
        if (form == null) {
            throw new Refused("the endpoint's platform is unknown, so the path cannot be checked as an absolute path of it");
        }
        String normalised = normalise(path, form);
        for (String pattern : allowedPatterns == null ? List.<String>of() : allowedPatterns) {
            if (Platform.ofPattern(pattern) == form && matches(pattern, normalised, form)) {
                return normalised;
            }
        }
        throw new Refused("the path " + quoted(normalised) + " matches none of the rule's allowed path patterns for "
                + (form == Platform.WINDOWS ? "Windows" : "this platform") + " (allowedPaths)");
    }

    /** Why a pattern in the policy cannot be used, or null. */
    public static String patternProblem(String pattern) {
        if (pattern == null || pattern.isBlank()) {
            return "an allowed path pattern is empty";
        }
        Platform form = Platform.ofPattern(pattern);
        if (form == null) {
            return "allowed path pattern " + quoted(pattern) + " is not absolute: it starts with a drive (C:\\) or /";
        }
        try {
            // A pattern is a path whose segments may hold wildcards.
            normalise(pattern.replace("*", "x").replace("?", "x"), form);
            return null;
        } catch (Refused refused) {
            return "allowed path pattern " + quoted(pattern) + ": " + refused.getMessage();
        }
    }

    /** Whether a fixed path (no alert fields) could ever be allowed: one of the patterns of its form matches it. */
    public static boolean allowedSomewhere(String path, List<String> allowedPatterns) {
        Platform form = Platform.ofPattern(path);
        if (form == null) {
            return false;
        }
        try {
            String normalised = normalise(path, form);
            return allowedPatterns.stream().anyMatch(p -> Platform.ofPattern(p) == form && matches(p, normalised, form));
        } catch (Refused refused) {
            return false;
        }
    }

    static String normalise(String path, Platform form) throws Refused {
        if (path == null || path.isEmpty()) {
            throw new Refused("the path is empty");
        }
        if (path.length() > MAX_LENGTH) {
            throw new Refused("the path is longer than " + MAX_LENGTH + " characters");
        }
        characters(path);
        if (PERCENT_ENCODED.matcher(path).find()) {
            throw new Refused("the path holds a percent-encoded sequence (" + quoted(path) + "), which something may decode");
        }
        return form == Platform.WINDOWS ? windows(path) : posix(path);
    }

    private static void characters(String path) throws Refused {
        for (int i = 0; i < path.length();) {
            int cp = path.codePointAt(i);
            String at = " (U+" + String.format(Locale.ROOT, "%04X", cp) + " at position " + (i + 1) + ")";
            if (cp == 0) {
                throw new Refused("the path holds a NUL character" + at);
            }
            if (Character.isISOControl(cp)) {
                throw new Refused("the path holds a control character" + at);
            }
            int type = Character.getType(cp);
            if (type == Character.FORMAT || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
                    || type == Character.SURROGATE || type == Character.UNASSIGNED || type == Character.PRIVATE_USE
                    || cp == 0xFFFD || Character.isWhitespace(cp) && cp != ' ') {
                throw new Refused("the path holds an invisible, unassigned or replacement character" + at);
            }
            String own = new String(Character.toChars(cp));
            String compatible = Normalizer.normalize(own, Normalizer.Form.NFKC);
            if (!compatible.equals(own) && compatible.chars().anyMatch(c -> SYNTAX.indexOf(c) >= 0)) {
                throw new Refused("the path holds a look-alike of " + quoted(compatible) + at + ", which some systems read as it");
            }
            i += Character.charCount(cp);
        }
    }

    private static String windows(String path) throws Refused {
        if (path.indexOf('%') >= 0) {
            throw new Refused("the path holds '%', which Windows expands as an environment variable (%NAME%)");
        }
        String slashed = path.replace('/', '\\');
        if (slashed.startsWith("\\\\?\\") || slashed.startsWith("\\\\.\\") || slashed.startsWith("\\??\\")) {
            throw new Refused("the path starts with a Windows device or extended-length prefix (\\\\?\\, \\\\.\\, \\??\\)");
        }
        if (slashed.startsWith("\\\\")) {
            throw new Refused("the path is a UNC network path: only paths on the endpoint's own drives are collected");
        }
        if (!DRIVE.matcher(slashed).matches()) {
            throw new Refused("the path " + quoted(path) + " is not an absolute Windows path (a drive and a backslash, C:\\...)");
        }
        List<String> segments = new ArrayList<>();
        for (String segment : slashed.substring(3).split("\\\\", -1)) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                throw new Refused("the path holds a '..' segment");
            }
            if (segment.indexOf(':') >= 0) {
                throw new Refused("the path holds a colon after the drive (an alternate data stream): " + quoted(segment));
            }
            for (char c : "<>\"|?*".toCharArray()) {
                if (segment.indexOf(c) >= 0) {
                    throw new Refused("the path holds '" + c + "', a wildcard or a character Windows does not allow in a name");
                }
            }
            if (segment.endsWith(".") || segment.endsWith(" ")) {
                throw new Refused("the path's segment " + quoted(segment) + " ends with a dot or a space, which Windows strips");
            }
            String device = segment.contains(".") ? segment.substring(0, segment.indexOf('.')) : segment;
            device = device.strip().toUpperCase(Locale.ROOT);
            if (DEVICES.contains(device) || NUMBERED_DEVICE.matcher(device).matches()) {
                throw new Refused("the path's segment " + quoted(segment) + " names the Windows device " + device);
            }
            segments.add(segment);
        }
        return Character.toUpperCase(slashed.charAt(0)) + ":\\" + String.join("\\", segments);
    }

    private static String posix(String path) throws Refused {
        if (!path.startsWith("/")) {
            throw new Refused("the path " + quoted(path) + " is not absolute (it must start with /)");
        }
        if (path.indexOf('\\') >= 0) {
            throw new Refused("the path holds a backslash, which is not a separator on this platform");
        }
        List<String> segments = new ArrayList<>();
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                throw new Refused("the path holds a '..' segment");
            }
            segments.add(segment);
        }
        return "/" + String.join("/", segments);
    }

    static boolean matches(String pattern, String path, Platform form) {
        String glob = form == Platform.WINDOWS ? pattern.replace('/', '\\') : pattern;
        if (form == Platform.WINDOWS && glob.length() > 1) {
            glob = Character.toUpperCase(glob.charAt(0)) + glob.substring(1);
        }
        String separator = Pattern.quote(String.valueOf(form.separator));
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                regex.append(".*");
                i++;
            } else if (c == '*') {
                regex.append("[^").append(separator).append("]*");
            } else if (c == '?') {
                regex.append("[^").append(separator).append("]");
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        int flags = Pattern.DOTALL | (form == Platform.WINDOWS ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0);
        return Pattern.compile(regex.toString(), flags).matcher(path).matches();
    }

    private static String quoted(String text) {
        return "'" + text + "'";
    }
}
