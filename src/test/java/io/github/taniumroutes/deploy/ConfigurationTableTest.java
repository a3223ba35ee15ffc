package io.github.taniumroutes.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * Every user setting in config/application.properties has a row in README's configuration table.
 *
 * <p>The rule for what is a user setting: every key, except
 * <ul>
 * <li>profile keys ({@code %demo.}, {@code %test.}): the profile's own values of settings checked here;</li>
 * <li>{@code quarkus.*}: Quarkus' own (logging filters, banner, body limit), documented by Quarkus;</li>
 * <li>{@code camel.*} whose value is wiring — a class, a serializer, a boolean switch, a pattern, a name or
 * a reference to another setting ({@code ${alerts.workers}}) — and {@code camel.threadpool.*}, sized by
 * {@code alerts.workers} and {@code investigations.workers}. A {@code camel.*} key whose value is a literal
 * number or takes an environment variable ({@code ${KAFKA_SESSION_TIMEOUT_MS:45000}}) is a tunable, and
 * checked.</li>
 * </ul>
 * A row names its keys in backticks in its first column; {@code `a.b.c` / `d`}, {@code / `.d`} and
 * {@code / `-d`} shorten {@code a.b.d}, {@code a.b.d} and {@code a.b.c-d}; {@code <name>} stands for any
 * one segment.
 */
class ConfigurationTableTest {

    private static final Pattern LITERAL_OR_ENV = Pattern.compile("-?[0-9]+|\\$\\{[A-Z0-9_]+:.*}");

    @Test
    void everyUserSettingHasARowInTheReadmeConfigurationTable() throws IOException {
        List<Pattern> documented = documentedKeys(Files.readString(Path.of("README.md")));
        Properties properties = new Properties();
        properties.load(new StringReader(Files.readString(Path.of("config/application.properties"))));

        List<String> missing = new ArrayList<>();
        for (String key : properties.stringPropertyNames()) {
            if (isUserSetting(key, properties.getProperty(key)) && documented.stream().noneMatch(p -> p.matcher(key).matches())) {
                missing.add(key);
            }
        }
        assertThat(missing).as("settings without a row in README's configuration table").isEmpty();
    }

    @Test
    void theRuleAndTheShorthandsReadAsDocumented() {
        assertThat(isUserSetting("%demo.tanium.url", "x")).isFalse();
        assertThat(isUserSetting("quarkus.banner.enabled", "false")).isFalse();
        assertThat(isUserSetting("camel.component.kafka.brokers", "${kafka.bootstrap.servers}")).isFalse();
        assertThat(isUserSetting("camel.threadpool.config[x].pool-size", "2")).isFalse();
        assertThat(isUserSetting("camel.component.kafka.session-timeout-ms", "${KAFKA_SESSION_TIMEOUT_MS:45000}")).isTrue();
        assertThat(isUserSetting("camel.component.http.so-timeout", "60000")).isTrue();
        assertThat(isUserSetting("alerts.topic", "${ALERTS_TOPIC:alerts}")).isTrue();

        List<Pattern> keys = documentedKeys("""

                ## Configuration
                | setting | env | default | meaning |
                |---|---|---|---|
                | `a.b.c` / `d` / `.e.f` | `A_B_C` | `1` | `not.a.key` |
                | `s.<name>.tls.truststore-path` / `-password` | | | |
                ## Next
                | `after.table` | | | |
                """);
        assertThat(keys).extracting(Pattern::pattern).containsExactly("\\Qa.b.c\\E", "\\Qa.b.d\\E", "\\Qa.e.f\\E",
                "\\Qs.\\E[^.]+\\Q.tls.truststore-path\\E", "\\Qs.\\E[^.]+\\Q.tls.truststore-password\\E");
    }

    static boolean isUserSetting(String key, String value) {
        if (key.startsWith("%") || key.startsWith("quarkus.") || key.startsWith("camel.threadpool.")) {
            return false;
        }
        return !key.startsWith("camel.") || LITERAL_OR_ENV.matcher(value.strip()).matches();
    }

    /** The keys named in the first column of the table under "## Configuration", as patterns. */
    static List<Pattern> documentedKeys(String readme) {
        int start = readme.indexOf("\n## Configuration\n");
        assertThat(start).as("README has a Configuration section").isNotNegative();
        int end = readme.indexOf("\n## ", start + 1);
        List<Pattern> keys = new ArrayList<>();
        for (String line : readme.substring(start, end < 0 ? readme.length() : end).split("\n")) {
            if (!line.startsWith("| `")) {
                continue;
            }
            String previous = null;
            Matcher token = Pattern.compile("`([^`]+)`").matcher(line.substring(1, line.indexOf('|', 1)));
            while (token.find()) {
                String t = token.group(1);
                String key;
                if (t.startsWith(".")) {
                    int segments = t.split("\\.", -1).length - 1;
                    key = dropSegments(previous, segments) + t;
                } else if (t.startsWith("-")) {
                    key = previous.substring(0, previous.lastIndexOf('-')) + t;
                } else if (!t.contains(".")) {
                    key = dropSegments(previous, 1) + "." + t;
                } else {
                    key = t;
                }
                keys.add(Pattern.compile(String.join("[^.]+", java.util.Arrays.stream(key.split("<[^>]+>", -1)).map(Pattern::quote).toList())));
                previous = key;
            }
        }
        return keys;
    }

    private static String dropSegments(String key, int segments) {
        if (key == null) {
            throw new AssertionError("a shortened key with no full key before it in its row");
        }
        String result = key;
        for (int i = 0; i < segments; i++) {
            result = result.substring(0, result.lastIndexOf('.'));
        }
        return result;
    }
}
