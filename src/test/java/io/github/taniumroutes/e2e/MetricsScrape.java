package io.github.taniumroutes.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One scrape of /q/metrics (Prometheus text format): each series with its value. */
public record MetricsScrape(String text, Map<String, Map<String, String>> labels, Map<String, Double> values) {

    private static final Pattern SERIES = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    public static MetricsScrape of(URI metrics) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(metrics).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + metrics + ": " + response.statusCode());
        }
        Map<String, Map<String, String>> labels = new LinkedHashMap<>();
        Map<String, Double> values = new LinkedHashMap<>();
        for (String line : response.body().split("\n")) {
            Matcher series = SERIES.matcher(line);
            if (line.startsWith("#") || !series.matches()) {
                continue;
            }
            Map<String, String> tags = new LinkedHashMap<>();
            tags.put("__name__", series.group(1));
            if (series.group(2) != null) {
                Matcher label = LABEL.matcher(series.group(2));
                while (label.find()) {
                    tags.put(label.group(1), label.group(2));
                }
            }
            String key = line.substring(0, line.lastIndexOf(' '));
            labels.put(key, tags);
            values.put(key, Double.parseDouble(series.group(3)));
        }
        return new MetricsScrape(response.body(), labels, values);
    }

    /** Short, for assertion messages: the application's own series only. */
    @Override
    public String toString() {
        return labels.keySet().stream().filter(k -> k.startsWith("alert") || k.startsWith("tanium_") || k.startsWith("investigation")
                || k.startsWith("kafka_consumer_group")).filter(k -> !k.contains("_bucket")).map(k -> k + " " + values.get(k))
                .collect(java.util.stream.Collectors.joining("\n", "scrape:\n", ""));
    }

    /** The sum of the series named {@code name} that carry every one of {@code tags} (0 when there is none). */
    public double sum(String name, Map<String, String> tags) {
        double sum = 0;
        for (Map.Entry<String, Map<String, String>> series : labels.entrySet()) {
            Map<String, String> seriesTags = series.getValue();
            if (name.equals(seriesTags.get("__name__")) && tags.entrySet().stream().allMatch(t -> t.getValue().equals(seriesTags.get(t.getKey())))) {
                sum += values.get(series.getKey());
            }
        }
        return sum;
    }

    public boolean has(String name, Map<String, String> tags) {
        return labels.values().stream().anyMatch(seriesTags -> name.equals(seriesTags.get("__name__"))
                && tags.entrySet().stream().allMatch(t -> t.getValue().equals(seriesTags.get(t.getKey()))));
    }

    /** The same sum now less what it was in {@code before}. */
    public double since(MetricsScrape before, String name, Map<String, String> tags) {
        return sum(name, tags) - before.sum(name, tags);
    }
}
