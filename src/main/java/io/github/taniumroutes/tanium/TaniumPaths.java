package io.github.taniumroutes.tanium;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.Exchange;
import org.apache.camel.Variable;

import jakarta.inject.Named;
import jakarta.inject.Singleton;

/**
 * Request paths from a declared call's path template (routes/tanium-requests.yaml, tanium-call):
 * each {@code {name}} is replaced by exchange variable {@code name}, percent-encoded as one path
 * segment, so an id from Tanium (or anywhere) can never add a segment, a query or a fragment.
 */
@Singleton
@Named("taniumPaths")
public class TaniumPaths {

    private static final Pattern SEGMENT = Pattern.compile("\\{([A-Za-z][A-Za-z0-9]*)}");

    /** The request path: variable taniumPathTemplate with its {name} segments filled in. */
    public String expand(@Variable("taniumPathTemplate") String template, Exchange exchange) {
        Matcher matcher = SEGMENT.matcher(template);
        StringBuilder path = new StringBuilder();
        while (matcher.find()) {
            Object value = exchange.getVariable(matcher.group(1));
            if (value == null || String.valueOf(value).isEmpty()) {
                throw new IllegalStateException("no " + matcher.group(1) + " for the Tanium request " + SEGMENT.matcher(template).replaceAll("{$1}"));
            }
            matcher.appendReplacement(path, Matcher.quoteReplacement(segment(String.valueOf(value))));
        }
        matcher.appendTail(path);
        return path.toString();
    }

    /**
     * The query string of a declared call (variable taniumQueryTemplate, e.g. {@code limit={limit}&offset={offset}}),
     * each {@code {name}} replaced by variable {@code name}, encoded as a query value; null when the call has none.
     */
    public String query(@Variable("taniumQueryTemplate") String template, Exchange exchange) {
        if (template == null || template.isEmpty()) {
            return null;
        }
        Matcher matcher = SEGMENT.matcher(template);
        StringBuilder query = new StringBuilder();
        while (matcher.find()) {
            Object value = exchange.getVariable(matcher.group(1));
            if (value == null) {
                throw new IllegalStateException("no " + matcher.group(1) + " for the Tanium request's query " + template);
            }
            matcher.appendReplacement(query, Matcher.quoteReplacement(URLEncoder.encode(String.valueOf(value), StandardCharsets.UTF_8)));
        }
        matcher.appendTail(query);
        return query.toString();
    }

    /** The Accept header for a declared reply kind: json, text or bytes; anything else is a mistake in the flow's YAML. */
    public String accept(String reply) {
        return switch (reply) {
            case "json" -> "application/json";
            case "text", "bytes", "stream" -> "*/*";
            default -> throw new IllegalArgumentException("a Tanium call's reply is json, text, bytes or stream, not '" + reply + "'");
        };
    }

    /** One path segment; colons stay, being legal in a segment and part of every connection id ("remote:host:9065264:2"). */
    public static String segment(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20").replace("%3A", ":");
    }
}
