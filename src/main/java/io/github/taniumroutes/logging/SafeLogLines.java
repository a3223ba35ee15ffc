package io.github.taniumroutes.logging;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Filter;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;
import java.util.regex.Pattern;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logmanager.ExtLogRecord;

import io.quarkus.logging.LoggingFilter;

/**
 * Every log line, whoever writes it, is one line that cannot carry a secret. Alert values reach the
 * logs (ids, host names, parser details): their line breaks and other control characters are
 * written as escapes ({@code \n}, {@code \u001b}), so an alert cannot start a line that looks like
 * the application's own. And the configured Tanium tokens and key-store passwords are replaced by
 * {@value #REDACTED} wherever they appear, so that even a logger switched on by hand (Apache
 * HttpClient's {@code org.apache.hc.client5.http.headers} prints the {@code session} header)
 * cannot leak one. The same holds for the MDC values a line carries (the alert id, shown by JSON
 * logs). Installed on the console and file handlers by configuration
 * ({@code quarkus.log.console.filter=safe-log-lines}), whichever format they write; stack traces
 * are left as they are.
 */
@LoggingFilter(name = "safe-log-lines")
public final class SafeLogLines implements Filter {

    public static final String REDACTED = "[redacted]";
    /** Shorter values are too likely to occur by chance (and are not credible secrets). */
    static final int MIN_SECRET_LENGTH = 6;
    private static final Pattern SECRET_PROPERTY = Pattern.compile(
            "tanium\\.token|tanium\\.servers\\.[^.]+\\.token|.*\\.password|.*\\.shared-secret");

    private final List<String> secrets;
    private final SimpleFormatter plainFormatter = new SimpleFormatter();

    public SafeLogLines() {
        this(configuredSecrets(ConfigProvider.getConfig()));
    }

    SafeLogLines(List<String> secrets) {
        this.secrets = secrets.stream().filter(s -> s != null && s.length() >= MIN_SECRET_LENGTH).distinct().toList();
    }

    static List<String> configuredSecrets(Config config) {
        List<String> values = new ArrayList<>();
        for (String name : config.getPropertyNames()) {
            if (SECRET_PROPERTY.matcher(name).matches()) {
                config.getOptionalValue(name, String.class).ifPresent(values::add);
            }
        }
        return values;
    }

    @Override
    public boolean isLoggable(LogRecord record) {
        if (record instanceof ExtLogRecord ext) {
            safeMdc(ext);
        }
        String message = record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : plainFormatter.formatMessage(record);
        if (message == null) {
            return true;
        }
        String safe = safe(message);
        if (!safe.equals(message)) {
            if (record instanceof ExtLogRecord ext) {
                ext.setMessage(safe, ExtLogRecord.FormatStyle.NO_FORMAT);
            } else {
                record.setMessage(safe);
            }
            record.setParameters(null);
        }
        return true;
    }

    /**
     * The MDC values too (alert ids come from alerts): JSON logs print every one, and a text format
     * may name them ({@code %X{alertId}}).
     */
    private void safeMdc(ExtLogRecord record) {
        for (Map.Entry<String, String> entry : record.getMdcCopy().entrySet()) {
            String value = entry.getValue();
            if (value != null) {
                String safe = safe(value);
                if (!safe.equals(value)) {
                    record.putMdc(entry.getKey(), safe);
                }
            }
        }
    }

    String safe(String message) {
        String redacted = message;
        for (String secret : secrets) {
            if (redacted.contains(secret)) {
                redacted = redacted.replace(secret, REDACTED);
            }
        }
        return escapeControlCharacters(redacted);
    }

    /** Line breaks, tabs and every other control character (and Unicode's line and paragraph separators) as escapes. */
    static String escapeControlCharacters(String text) {
        StringBuilder escaped = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String replacement = switch (c) {
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                case '\t' -> "\\t";
                default -> Character.isISOControl(c) || c == '\u2028' || c == '\u2029' ? String.format("\\u%04x", (int) c) : null;
            };
            if (replacement != null && escaped == null) {
                escaped = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (escaped != null) {
                escaped.append(replacement != null ? replacement : String.valueOf(c));
            }
        }
        return escaped == null ? text : escaped.toString();
    }
}
