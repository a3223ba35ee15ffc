package io.github.taniumroutes.evidence.cst;

import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/**
 * A CST trace's artifacts as crypto inventory records ({@code crypto-inventory.topic}): one per artifact,
 * with the scan's metadata from the trace's header, the artifact's path, type, size, flags and key or
 * certificate details, and a deterministic {@code recordId}.
 *
 * <p>The id is a name-based UUID of the endpoint, the artifact's path and type, and its details and key
 * written canonically (keys sorted): the same artifact on the same endpoint has the same id in every
 * trace, full or diff, however often it is published, so a compacted topic keyed by it keeps one record
 * per artifact. {@code last_modified} and {@code size_bytes} are not part of it.
 *
 * <p>Private key material never leaves: a key ({@code {"type": <algorithm>, "value": {…}}}, wherever it
 * sits) keeps only its algorithm's public components (RSA {@code n e}; DSA {@code p q g y}; EC {@code curve
 * x y}; anything else only its type); fields named like private parts ({@code d}, {@code private_key} …)
 * are dropped everywhere, and so is the {@code encoded} form of anything but a certificate.
 */
@Singleton
@Named("cryptoInventory")
public class CryptoInventory {

    public static final int SCHEMA_VERSION = 1;

    /** Where a trace came from: the endpoint, the alert whose step collected it, the file. */
    public record Source(String endpointId, String endpointName, String computerId, String alertId, String path, String sha256, boolean diff,
            String collectedAt) {
    }

    private static final Map<String, Set<String>> PUBLIC_PARTS = Map.of(
            "rsa", Set.of("type", "n", "e"),
            "dsa", Set.of("type", "p", "q", "g", "y"),
            "ec", Set.of("type", "curve", "x", "y"),
            "ecdsa", Set.of("type", "curve", "x", "y"),
            "eddsa", Set.of("type", "curve", "x"),
            "ed25519", Set.of("type", "x"),
            "x25519", Set.of("type", "x"));
    private static final Set<String> PRIVATE_NAMES = Set.of("d", "private_key", "privatekey", "private_exponent", "privateexponent",
            "private", "secret", "seed", "dp", "dq", "qi", "prime1", "prime2", "exponent1", "exponent2", "coefficient", "iqmp", "dmp1", "dmq1");

    private final ObjectMapper mapper;
    private final ObjectMapper canonical;

    @Inject
    public CryptoInventory(ObjectMapper mapper) {
        this.mapper = mapper;
        this.canonical = mapper.copy().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
    }

    /** The inventory record of one artifact of a trace with this header, collected from {@code source}. */
    public ObjectNode record(CstTraceReader.Header header, ObjectNode artifact, Source source) {
        ObjectNode clean = publicOnly(artifact);
        String type = clean.path("type").asText();
        ObjectNode record = mapper.createObjectNode();
        record.put("schemaVersion", SCHEMA_VERSION);
        record.put("recordId", recordId(source.endpointId(), clean));
        record.put("trace", source.diff() ? "diff" : "full");
        record.putObject("endpoint").put("id", source.endpointId()).put("name", source.endpointName()).put("computerId", source.computerId());
        ObjectNode scan = record.putObject("scan");
        scan.put("format", header.format()).put("api", header.api()).put("hostname", header.hostname()).put("os", header.os())
                .put("scannerVersion", header.scannerVersion());
        record.putObject("source").put("alertId", source.alertId()).put("path", source.path()).put("sha256", source.sha256())
                .put("collectedAt", source.collectedAt());
        ObjectNode out = record.putObject("artifact");
        out.put("path", clean.path("path").asText());
        out.put("type", type);
        out.put("kind", kind(type, clean));
        copy(clean, "size_bytes", out, "sizeBytes");
        copy(clean, "last_modified", out, "lastModified");
        copy(clean, "public", out, "public");
        copy(clean, "encrypted", out, "encrypted");
        summarise(clean, out);
        if (clean.has("details")) {
            out.set("details", clean.get("details"));
        }
        if (clean.has("key")) {
            out.set("key", clean.get("key"));
        }
        return record;
    }

    /** The artifact's id on this endpoint: the same for the same artifact in any trace. */
    public String recordId(String endpointId, ObjectNode cleanArtifact) {
        ObjectNode identity = mapper.createObjectNode();
        identity.put("path", cleanArtifact.path("path").asText());
        identity.put("type", cleanArtifact.path("type").asText());
        for (String part : new String[] {"details", "key"}) {
            if (cleanArtifact.hasNonNull(part)) {
                identity.set(part, cleanArtifact.get(part));
            }
        }
        try {
            String written = canonical.writeValueAsString(canonical.treeToValue(identity, Object.class));
            return UUID.nameUUIDFromBytes((endpointId + "\u0000" + written).getBytes(StandardCharsets.UTF_8)).toString();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write an artifact canonically", e);
        }
    }

    /** The Kafka key of an inventory record: the endpoint, then the artifact, so a compacted topic keeps one record per artifact. */
    public static String key(String endpointId, String recordId) {
        return endpointId + "/" + recordId;
    }

    /** A copy of the artifact with every private part removed. */
    public ObjectNode publicOnly(ObjectNode artifact) {
        ObjectNode copy = artifact.deepCopy();
        boolean certificate = copy.path("type").asText("").toUpperCase(Locale.ROOT).contains("CERTIFICATE");
        strip(copy);
        if (!certificate) {
            copy.remove("encoded");
            if (copy.get("details") instanceof ObjectNode details) {
                details.remove("encoded");
            }
        }
        return copy;
    }

    private static void strip(JsonNode node) {
        if (node instanceof ObjectNode object) {
            if (object.path("type").isTextual() && object.get("value") instanceof ObjectNode value && !object.has("path")) {
                Set<String> kept = PUBLIC_PARTS.getOrDefault(object.path("type").asText().toLowerCase(Locale.ROOT), Set.of("type"));
                value.retain(kept);
            }
            for (Iterator<Map.Entry<String, JsonNode>> fields = object.fields(); fields.hasNext();) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (PRIVATE_NAMES.contains(field.getKey().toLowerCase(Locale.ROOT))) {
                    fields.remove();
                } else {
                    strip(field.getValue());
                }
            }
        } else if (node instanceof ArrayNode array) {
            array.forEach(CryptoInventory::strip);
        }
    }

    /** certificate, private_key, public_key, pgp_key or other, from the artifact's type and public flag. */
    static String kind(String type, JsonNode artifact) {
        String upper = type.toUpperCase(Locale.ROOT);
        if (upper.contains("CERTIFICATE")) {
            return "certificate";
        }
        if (upper.contains("PGP") || upper.contains("GPG")) {
            return "pgp_key";
        }
        if (upper.contains("KEY") || upper.contains("RSA") || upper.contains("PKCS") || upper.contains("DSA") || upper.contains("EC")
                || artifact.has("key")) {
            return artifact.path("public").asBoolean(false) ? "public_key" : "private_key";
        }
        return "other";
    }

    /** A few fields a consumer wants without knowing the scanner's layout: the key's algorithm and size, a certificate's identity. */
    private static void summarise(JsonNode artifact, ObjectNode out) {
        JsonNode key = artifact.path("key").has("type") ? artifact.path("key") : artifact.path("details").path("key").path("key");
        if (key.path("type").isTextual()) {
            out.put("keyAlgorithm", key.path("type").asText());
        }
        JsonNode bits = artifact.path("details").path("bit_length");
        if (bits.canConvertToInt()) {
            out.put("bitLength", bits.asInt());
        }
        JsonNode tbs = artifact.path("details").path("tbs_certificate");
        if (tbs.isObject()) {
            ObjectNode certificate = out.putObject("certificate");
            copy(tbs, "serial", certificate, "serial");
            copy(tbs, "issuer", certificate, "issuer");
            copy(tbs, "subject", certificate, "subject");
            copy(tbs, "validity", certificate, "validity");
            copy(artifact.path("details").path("signature_algorithm"), "algorithm", certificate, "signatureAlgorithm");
        }
    }

    private static void copy(JsonNode from, String field, ObjectNode to, String as) {
        if (from.has(field) && !from.get(field).isNull()) {
            to.set(as, from.get(field));
        }
    }

    /** Every artifact's record, in trace order. */
    public List<ObjectNode> records(CstTraceReader.Trace trace, Source source) {
        return trace.artifacts().stream().map(artifact -> record(trace.header(), artifact, source)).toList();
    }
}
