package io.github.taniumroutes.alert;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Turns the raw bytes of one Kafka record into a {@link CanonicalAlert}, or explains with an
 * {@link InvalidAlertException} why it cannot: oversized, malformed JSON, unknown format, wrong
 * types, or no host identity to look up in Tanium. The JSON is read within {@link JsonReadLimits}, and
 * an alert id is at most {@code alerts.max-id-length} characters (it becomes a record header and part
 * of every result id).
 */
@Singleton
@Named("alertParser")
@RegisterForReflection
public class AlertParser {

    /** Host identities travel to Tanium (as variables, or escaped): control characters and absurd lengths are refused. */
    private static final Pattern HOSTNAME = Pattern.compile("[^\\p{Cntrl}]{1,253}");
    private static final Pattern IP_ADDRESS = Pattern.compile("[0-9A-Fa-f:.]{2,45}(%[\\w.]{1,32})?");

    public static final int DEFAULT_MAX_ID_LENGTH = 512;

    private final ObjectMapper mapper;
    private final int maxBytes;
    private final int maxIdLength;
    private final JsonReadLimits limits;
    private final List<AlertFormat> formats;

    public AlertParser(ObjectMapper mapper, int maxBytes) {
        this(mapper, maxBytes, DEFAULT_MAX_ID_LENGTH, JsonReadLimits.DEFAULTS);
    }

    @Inject
    public AlertParser(ObjectMapper mapper, @ConfigProperty(name = "alerts.max-bytes") int maxBytes,
            @ConfigProperty(name = "alerts.max-id-length") int maxIdLength,
            @ConfigProperty(name = "alerts.json.max-nesting-depth") int maxNestingDepth,
            @ConfigProperty(name = "alerts.json.max-number-length") int maxNumberLength,
            @ConfigProperty(name = "alerts.json.max-string-length") int maxStringLength,
            @ConfigProperty(name = "alerts.json.max-name-length") int maxNameLength) {
        this(mapper, maxBytes, maxIdLength, new JsonReadLimits(maxNestingDepth, maxNumberLength, maxStringLength, maxNameLength));
    }

    public AlertParser(ObjectMapper mapper, int maxBytes, int maxIdLength, JsonReadLimits limits) {
        // A copy: the limits apply to alerts only, not to the application's other JSON.
        this.mapper = mapper.copy();
        this.mapper.getFactory().setStreamReadConstraints(limits.constraints());
        this.maxBytes = maxBytes;
        this.maxIdLength = maxIdLength;
        this.limits = limits;
        this.formats = List.of(
                new ThreatResponseAlertFormat(this.mapper),
                new ElasticSecurityAlertFormat(),
                new SplunkNotableAlertFormat(),
                new TaniumConnectRowFormat(),
                new CanonicalAlertFormat());
    }

    public CanonicalAlert parse(byte[] value) throws InvalidAlertException {
        if (value == null || value.length == 0) {
            throw new InvalidAlertException("empty", "the record has no value");
        }
        if (value.length > maxBytes) {
            throw new InvalidAlertException("oversized",
                    "the record is " + value.length + " bytes; the limit (alerts.max-bytes) is " + maxBytes);
        }
        JsonNode document = readJson(value);
        AlertFormat format = formats.stream().filter(f -> f.recognises(document)).findFirst()
                .orElseThrow(() -> new InvalidAlertException("unknown_format",
                        "the JSON object matches none of the known alert formats "
                                + formats.stream().map(AlertFormat::name).toList()));
        CanonicalAlert alert = format.normalise(document);
        if (alert.id() == null) {
            alert = withId(alert, format.name() + ":sha256:" + sha256(value));
        }
        if (alert.id().length() > maxIdLength) {
            throw new InvalidAlertException("invalid_field", "field 'id' is " + alert.id().length()
                    + " characters; the limit (alerts.max-id-length) is " + maxIdLength);
        }
        validateHostIdentity(alert);
        return alert;
    }

    private JsonNode readJson(byte[] value) throws InvalidAlertException {
        JsonNode document;
        try {
            document = mapper.readTree(value);
        } catch (StreamConstraintsException e) {
            throw new InvalidAlertException("malformed_json", "not accepted as JSON: " + limits.describe(e) + where(e.getLocation()));
        } catch (JsonProcessingException e) {
            throw new InvalidAlertException("malformed_json", "not valid JSON: " + e.getOriginalMessage() + where(e.getLocation()));
        } catch (IOException e) {
            throw new InvalidAlertException("malformed_json", "not readable as JSON: " + e.getMessage());
        }
        if (document == null || document.isMissingNode()) {
            throw new InvalidAlertException("malformed_json", "not valid JSON: no content");
        }
        if (!document.isObject()) {
            throw new InvalidAlertException("not_an_object",
                    "an alert must be a JSON object, found " + document.getNodeType().name().toLowerCase());
        }
        return document;
    }

    /** Jackson leaves the location out of some exceptions (its stream limits among them). */
    private static String where(JsonLocation location) {
        return location == null || location.getLineNr() < 0 ? ""
                : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private static void validateHostIdentity(CanonicalAlert alert) throws InvalidAlertException {
        if (alert.hostname() == null && alert.ip() == null && alert.taniumEndpointId() == null) {
            throw new InvalidAlertException("missing_host_identity",
                    "the alert names no hostname, IP address or Tanium endpoint id", alert.id());
        }
        if (alert.hostname() != null && !HOSTNAME.matcher(alert.hostname()).matches()) {
            throw new InvalidAlertException("invalid_field",
                    "field 'hostname' has characters or a length a host name cannot have", alert.id());
        }
        if (alert.ip() != null && !IP_ADDRESS.matcher(alert.ip()).matches()) {
            throw new InvalidAlertException("invalid_field", "field 'ip' is not an IP address", alert.id());
        }
    }

    private static CanonicalAlert withId(CanonicalAlert a, String id) {
        return new CanonicalAlert(id, a.source(), a.format(), a.time(), a.severity(), a.type(), a.rule(), a.hostname(),
                a.ip(), a.taniumEndpointId(), a.process(), a.file(), a.remoteAddress(), a.tags(), a.raw());
    }

    /** Hex SHA-256, for ids and versions derived from content. */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String sha256(String text) {
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }
}
