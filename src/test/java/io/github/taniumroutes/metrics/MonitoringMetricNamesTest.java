package io.github.taniumroutes.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The dashboard and the alerting rules use only metrics README.md documents, so neither can drift from what the application exports. */
class MonitoringMetricNamesTest {

    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Set<String> PROMQL_WORDS = Set.of("by", "without", "and", "or", "unless", "on", "ignoring", "group_left",
            "group_right", "bool", "offset");

    @Test
    void everyMetricTheDashboardAndTheRulesUseIsDocumented() throws IOException {
        Set<String> documented = documentedMetrics();
        assertThat(documented).contains("alerts_consumed_total", "tanium_calls_seconds_bucket", "kafka_consumer_group_lag");

        List<String> expressions = new ArrayList<>();
        new ObjectMapper().readTree(Path.of("k8s/monitoring/tanium-response-routes-dashboard.json").toFile()).path("panels")
                .forEach(panel -> panel.path("targets").forEach(target -> expressions.add(target.path("expr").asText())));
        expressions.addAll(ruleExpressions());
        assertThat(expressions).hasSizeGreaterThan(10);

        Set<String> used = new TreeSet<>();
        expressions.forEach(expression -> used.addAll(metricsIn(expression)));
        assertThat(used).contains("alert_dead_letters_total", "tanium_outage", "tanium_session_rejected", "kafka_consumer_group_lag",
                "alert_results_total", "investigations_in_flight", "tanium_calls_seconds_bucket");
        assertThat(documented).containsAll(used);
    }

    @Test
    void metricNamesAreFoundInExpressions() {
        assertThat(metricsIn("histogram_quantile(0.95, sum by (le, server) (rate(tanium_calls_seconds_bucket{status!~\"2..\"}[$__rate_interval])))"))
                .containsExactly("tanium_calls_seconds_bucket");
        assertThat(metricsIn("max by (group) (kafka_consumer_group_lag) > 1000 and max by (group) (deriv(kafka_consumer_group_lag[15m])) > 0"))
                .containsExactly("kafka_consumer_group_lag");
    }

    /** The metric names in an expression: identifiers that are not functions, keywords, label names or values, or durations. */
    static Set<String> metricsIn(String expression) {
        String bare = expression.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
                .replaceAll("\\{[^}]*}", "")
                .replaceAll("\\[[^]]*]", "")
                .replaceAll("\\b(by|without|on|ignoring)\\s*\\([^)]*\\)", "");
        Set<String> metrics = new TreeSet<>();
        Matcher identifier = IDENTIFIER.matcher(bare);
        while (identifier.find()) {
            String name = identifier.group();
            boolean function = bare.substring(identifier.end()).stripLeading().startsWith("(");
            boolean partOfNumber = identifier.start() > 0 && Character.isDigit(bare.charAt(identifier.start() - 1));
            if (!function && !partOfNumber && !PROMQL_WORDS.contains(name)) {
                metrics.add(name);
            }
        }
        return metrics;
    }

    /** The backquoted metric names of the first column of the table in README.md's "Metrics" section. */
    private static Set<String> documentedMetrics() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        int start = readme.indexOf("\n## Metrics\n");
        assertThat(start).as("README.md has a Metrics section").isPositive();
        String section = readme.substring(start + 1, readme.indexOf("\n## ", start + 1));
        Set<String> names = new TreeSet<>();
        for (String line : section.split("\n")) {
            if (line.startsWith("| `")) {
                Matcher name = Pattern.compile("`([a-z_:][a-z0-9_:]*)`").matcher(line.substring(0, line.indexOf(" |", 2)));
                while (name.find()) {
                    names.add(name.group(1));
                }
            }
        }
        return names;
    }

    @SuppressWarnings("unchecked")
    private static List<String> ruleExpressions() throws IOException {
        Map<String, Object> rule = (Map<String, Object>) new Load(LoadSettings.builder().build())
                .loadFromString(Files.readString(Path.of("k8s/monitoring/prometheus-rules.yaml")));
        assertThat(rule.get("kind")).isEqualTo("PrometheusRule");
        List<String> expressions = new ArrayList<>();
        for (Map<String, Object> group : (List<Map<String, Object>>) ((Map<String, Object>) rule.get("spec")).get("groups")) {
            for (Map<String, Object> alert : (List<Map<String, Object>>) group.get("rules")) {
                expressions.add(String.valueOf(alert.get("expr")));
            }
        }
        return expressions;
    }
}
