package io.github.taniumroutes.connect;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.support.DefaultMessage;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.taniumroutes.alert.JsonReadLimits;
import io.github.taniumroutes.tanium.SecretFiles;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/**
 * Tanium Connect's HTTP destination (routes/connect.yaml): who may post, and what a post becomes. A
 * post carries the shared secret in {@code connect.secret-header} (compared in constant time with
 * {@code connect.shared-secret}, or the content of {@code connect.shared-secret-file}, re-read when it
 * changes); its body is a JSON array of events, or events as JSON lines (objects back to back), each a
 * Threat Response alert or a saved question's row; every event becomes one record for the alerts
 * topic, keyed by its computer's name, its value the event's JSON. A post that cannot be read, or is
 * too large, is refused whole: nothing of it is produced.
 */
@Singleton
@Named("connectDestination")
public class ConnectDestination {

    private final ObjectMapper mapper;
    private final JsonReadLimits limits;
    private final String secretHeader;
    private final Optional<String> secret;
    private final Optional<String> secretFile;
    private final String alertsTopic;
    private final int maxBytes;
    private final int maxEvents;
    private final int maxEventBytes;
    private final SecretFiles files = new SecretFiles();

    @Inject
    public ConnectDestination(ObjectMapper mapper, @ConfigProperty(name = "connect.secret-header") String secretHeader,
            @ConfigProperty(name = "connect.shared-secret") Optional<String> secret,
            @ConfigProperty(name = "connect.shared-secret-file") Optional<String> secretFile,
            @ConfigProperty(name = "alerts.topic") String alertsTopic,
            @ConfigProperty(name = "connect.max-bytes") int maxBytes,
            @ConfigProperty(name = "connect.max-events") int maxEvents,
            @ConfigProperty(name = "alerts.max-bytes") int maxEventBytes,
            @ConfigProperty(name = "alerts.json.max-nesting-depth") int maxNestingDepth,
            @ConfigProperty(name = "alerts.json.max-number-length") int maxNumberLength,
            @ConfigProperty(name = "alerts.json.max-string-length") int maxStringLength,
            @ConfigProperty(name = "alerts.json.max-name-length") int maxNameLength) {
        this(mapper, new JsonReadLimits(maxNestingDepth, maxNumberLength, maxStringLength, maxNameLength), secretHeader, secret, secretFile,
                alertsTopic, maxBytes, maxEvents, maxEventBytes);
    }

    public ConnectDestination(ObjectMapper mapper, JsonReadLimits limits, String secretHeader, Optional<String> secret,
            Optional<String> secretFile, String alertsTopic, int maxBytes, int maxEvents, int maxEventBytes) {
        // A copy: the alert parser's limits apply here too, not to the application's other JSON.
        this.mapper = mapper.copy();
        this.mapper.getFactory().setStreamReadConstraints(limits.constraints());
        this.limits = limits;
        this.secretHeader = secretHeader;
        this.secret = secret.map(String::strip).filter(s -> !s.isEmpty());
        this.secretFile = secretFile.map(String::strip).filter(s -> !s.isEmpty());
        this.alertsTopic = alertsTopic;
        this.maxBytes = maxBytes;
        this.maxEvents = maxEvents;
        this.maxEventBytes = maxEventBytes;
    }

    /** Whether a shared secret is configured at all: without one the destination would refuse every post. */
    public boolean hasSecret() {
        return currentSecret() != null;
    }

    /** Enabled without a secret is a mistake of configuration: the application does not start, and says which setting. */
    void checkOnStart(@Observes StartupEvent start, @ConfigProperty(name = "connect.enabled") boolean enabled) {
        if (enabled && !hasSecret()) {
            throw new IllegalStateException("connect.enabled is true but neither connect.shared-secret (env CONNECT_SHARED_SECRET) nor "
                    + "connect.shared-secret-file is set: Tanium Connect's posts could not be authenticated");
        }
    }

    /** The post carries the shared secret, or it is refused with 401 (which says nothing of what was sent). */
    public void authenticate(Exchange exchange) throws ConnectRefusal {
        String expected = currentSecret();
        String given = exchange.getMessage().getHeader(secretHeader, String.class);
        if (expected == null || given == null || !MessageDigest.isEqual(sha256(expected), sha256(given.strip()))) {
            throw new ConnectRefusal(401, "missing or wrong " + secretHeader + " header");
        }
    }

    /**
     * The post's events as records for the alerts topic (each names its topic and key), in the order
     * they came; refused with 413 when the post, an event or their number is over its limit, with 400
     * when the body is not a JSON array of objects or JSON objects back to back.
     */
    public List<Message> records(Exchange exchange) throws ConnectRefusal {
        byte[] body = exchange.getMessage().getBody(byte[].class);
        if (body == null || body.length == 0) {
            return List.of();
        }
        if (body.length > maxBytes) {
            throw new ConnectRefusal(413, "the post is " + body.length + " bytes; the limit (connect.max-bytes) is " + maxBytes);
        }
        List<Message> records = new ArrayList<>();
        for (JsonNode event : events(body)) {
            byte[] value;
            try {
                value = mapper.writeValueAsBytes(event);
            } catch (JsonProcessingException e) {
                throw new ConnectRefusal(400, "event " + (records.size() + 1) + " cannot be written again as JSON");
            }
            if (value.length > maxEventBytes) {
                throw new ConnectRefusal(413, "event " + (records.size() + 1) + " is " + value.length
                        + " bytes; the limit for an alert (alerts.max-bytes) is " + maxEventBytes);
            }
            if (records.size() == maxEvents) {
                throw new ConnectRefusal(413, "the post holds more than " + maxEvents + " events (connect.max-events)");
            }
            Message record = new DefaultMessage(exchange.getContext());
            record.setBody(value);
            record.setHeader(KafkaConstants.OVERRIDE_TOPIC, alertsTopic);
            String computer = computerOf(event);
            if (computer != null) {
                record.setHeader(KafkaConstants.KEY, computer.getBytes(StandardCharsets.UTF_8));
            }
            records.add(record);
        }
        return records;
    }

    /** What Connect is told when its events are on Kafka. */
    public String accepted(int count) {
        return mapper.createObjectNode().put("accepted", count).toString();
    }

    /** What Connect is told when its post is refused or could not be produced: the reason only. */
    public String refused(String reason) {
        return mapper.createObjectNode().put("error", reason).toString();
    }

    private List<JsonNode> events(byte[] body) throws ConnectRefusal {
        List<JsonNode> events = new ArrayList<>();
        try (MappingIterator<JsonNode> values = mapper.readerFor(JsonNode.class).readValues(body)) {
            while (values.hasNextValue()) {
                JsonNode value = values.nextValue();
                if (value.isArray() && events.isEmpty() && !values.hasNextValue()) {
                    // One JSON array of events.
                    for (JsonNode element : value) {
                        events.add(objectOrRefuse(element, events.size() + 1));
                    }
                    return events;
                }
                events.add(objectOrRefuse(value, events.size() + 1));
            }
        } catch (StreamConstraintsException e) {
            throw new ConnectRefusal(400, "not accepted as JSON: " + limits.describe(e));
        } catch (JsonProcessingException e) {
            throw new ConnectRefusal(400, "not valid JSON (an array of events, or events as JSON lines): " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr()));
        } catch (IOException e) {
            throw new ConnectRefusal(400, "not readable as JSON: " + e.getClass().getSimpleName());
        }
        return events;
    }

    private static JsonNode objectOrRefuse(JsonNode event, int position) throws ConnectRefusal {
        if (!event.isObject()) {
            throw new ConnectRefusal(400, "event " + position + " is not a JSON object but " + event.getNodeType().name().toLowerCase());
        }
        return event;
    }

    /** The computer an event is about (a Threat Response alert's computerName, a row's Computer Name), so one computer's events stay in order. */
    private static String computerOf(JsonNode event) {
        for (String field : List.of("computerName", "Computer Name")) {
            JsonNode value = event.path(field);
            if (value.isValueNode() && !value.asText().isBlank()) {
                return value.asText().strip();
            }
        }
        return null;
    }

    private String currentSecret() {
        if (secretFile.isPresent()) {
            return files.read(secretFile.get()).value();
        }
        return secret.orElse(null);
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
