package io.github.taniumroutes.metrics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.camel.CamelContext;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.taniumroutes.policy.StepTypes;
import io.github.taniumroutes.tanium.TaniumSettings;
import io.github.taniumroutes.tanium.TaniumUnreachableException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

/**
 * The values a metric tag may take. Every tag comes from a closed set, so the number of series stays
 * bounded whatever the alerts, Tanium or a newer version of a record say: anything outside its set
 * becomes {@value #OTHER}. Nothing that names an alert, a host, an endpoint or a connection is ever
 * a tag value.
 */
@ApplicationScoped
@Named("metricTags")
public class MetricTags {

    public static final String OTHER = "other";

    /** Every outcome a result can carry (the outcome enums of config/schemas; MetricTagsTest keeps them in step). */
    static final Set<String> OUTCOMES = Set.of("enriched", "endpoint_not_found", "endpoint_ambiguous", "tanium_error",
            "tanium_unauthorized", "completed", "collected", "too_large", "rejected", "collection_failed", "failed", "refused",
            "dry_run", "interrupted", "expired", "killed", "process_mismatch", "process_not_found", "connection_failed",
            "connection_timeout", "connection_disconnected", "snapshot_failed", "not_applicable", "skipped", "not_implemented");

    /** Every dead-letter reason (dlqReason in config/schemas/dead-letter.schema.json). */
    static final Set<String> DLQ_REASONS = Set.of("empty", "oversized", "malformed_json", "not_an_object", "unknown_format",
            "wrong_type", "missing_host_identity", "invalid_field", "internal_error", "outcome_too_large");

    /** HTTP statuses Tanium is known to answer with; any other is reported by its class (2xx, 4xx, ...). */
    static final Set<Integer> STATUSES = Set.of(200, 201, 202, 204, 400, 401, 403, 404, 409, 413, 422, 429, 500, 502, 503, 504);

    /** The operation a GraphQL document names, after any comment lines: {@code query EndpointLookups(...)}. */
    private static final Pattern GRAPHQL_OPERATION = Pattern.compile("^\\s*(?:#[^\\n]*\\n\\s*)*(?:query|mutation)\\s+([A-Za-z_][A-Za-z0-9_]*)");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Predicate<String> stepTypes;
    private final Predicate<String> servers;
    private final Predicate<String> operations;
    private final Set<String> graphqlOperations;

    @Inject
    public MetricTags(StepTypes stepTypes, TaniumSettings settings, CamelContext camel,
            @ConfigProperty(name = "tanium.graphql.dir") String graphqlDir) {
        // A declared call is a route of this application and a GraphQL operation is named by a document of
        // the configuration: the routes files and the documents bound the set.
        this(stepTypes.names()::contains, settings.servers()::containsKey, name -> camel.getRoute(name) != null,
                graphqlOperations(Path.of(graphqlDir)));
    }

    public MetricTags(Predicate<String> stepTypes, Predicate<String> servers, Predicate<String> operations,
            Set<String> graphqlOperations) {
        this.stepTypes = stepTypes;
        this.servers = servers;
        this.operations = operations;
        this.graphqlOperations = Set.copyOf(graphqlOperations);
    }

    /** The operation names of the GraphQL documents in a folder (each file's first operation). */
    static Set<String> graphqlOperations(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".graphql"))
                    .map(MetricTags::read).map(MetricTags::operationOf).filter(name -> name != null)
                    .collect(Collectors.toUnmodifiableSet());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the GraphQL documents in " + dir, e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static String operationOf(String document) {
        Matcher matcher = GRAPHQL_OPERATION.matcher(document);
        return matcher.find() ? matcher.group(1) : null;
    }

    public String outcome(String outcome) {
        return outcome != null && OUTCOMES.contains(outcome) ? outcome : OTHER;
    }

    public String step(String step) {
        return step != null && stepTypes.test(step) ? step : OTHER;
    }

    public String dlqReason(String reason) {
        return reason != null && DLQ_REASONS.contains(reason) ? reason : OTHER;
    }

    public String server(String server) {
        return server != null && servers.test(server) ? server : OTHER;
    }

    public String operation(String operation) {
        return operation != null && (operations.test(operation) || graphqlOperations.contains(operation)) ? operation : OTHER;
    }

    /**
     * The operation tag of a GraphQL request (a JSON body with its document in {@code query}): the
     * operation its document names, when it is one of the configuration's documents.
     */
    public String graphqlOperation(String request) {
        try {
            JsonNode query = JSON.readTree(request).path("query");
            String name = query.isTextual() ? operationOf(query.asText()) : null;
            return name != null && graphqlOperations.contains(name) ? name : OTHER;
        } catch (IOException | RuntimeException e) {
            return OTHER;
        }
    }

    /** The status of a call Tanium answered: the HTTP status (200 when the reply carried none). */
    public String status(Integer code) {
        if (code == null) {
            return "200";
        }
        return STATUSES.contains(code) ? String.valueOf(code) : code / 100 + "xx";
    }

    /**
     * The status of a call that failed: Tanium's HTTP status if it answered, else what kept the answer
     * away: {@code timeout}, {@code tls_error}, {@code io_error}, {@code circuit_open}, or {@code error}
     * (a failure of our own, such as a session that could not be had).
     */
    public String failure(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof HttpOperationFailedException http) {
                return status(http.getStatusCode());
            }
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof TaniumUnreachableException) {
                return "circuit_open";
            }
            if (cause instanceof javax.net.ssl.SSLException) {
                return "tls_error";
            }
            if (cause instanceof SocketTimeoutException || cause instanceof HttpTimeoutException
                    || cause.getClass().getSimpleName().contains("Timeout")) {
                return "timeout";
            }
            if (cause instanceof java.io.IOException) {
                return "io_error";
            }
        }
        return "error";
    }
}
