package io.github.taniumroutes.evidence.cst;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/**
 * Reads a CST trace, the cryptographic inventory a filesystem scanner writes on each endpoint (seed
 * 002): gzipped concatenated JSON, objects back to back with or without newlines between them, the
 * first a header {@code {"format":"CST","api":"host-scanner","api_specific":{"scanner_version","os",
 * "hostname",…}}}, then one object per cryptographic artifact ({@code path}, {@code type},
 * {@code size_bytes}, {@code public}, {@code encrypted}, {@code details}, {@code key} …). A trace that
 * is not gzipped is read as it is.
 *
 * <p>It is read as it streams, within limits: the bytes it unpacks to ({@code file-evidence.cst.max-bytes})
 * and its artifacts ({@code file-evidence.cst.max-artifacts}). A trace that breaks any rule is
 * {@link Malformed}, saying where and how many artifacts came before, and nothing of it is used.
 */
@Singleton
@Named("cstTraceReader")
public class CstTraceReader {

    /** What the header says about the scan. */
    public record Header(String format, String api, String hostname, String os, String scannerVersion) {
    }

    /** A trace as read: its header and its artifacts, in order, as the scanner wrote them. */
    public record Trace(Header header, List<ObjectNode> artifacts) {
    }

    /** The trace breaks its format or a limit: nothing of it is published. */
    public static final class Malformed extends IOException {
        Malformed(String reason) {
            super(reason);
        }
    }

    private final ObjectMapper mapper;
    private final JsonFactory factory;
    private final long maxBytes;
    private final int maxArtifacts;

    @Inject
    public CstTraceReader(ObjectMapper mapper, @ConfigProperty(name = "file-evidence.cst.max-bytes") long maxBytes,
            @ConfigProperty(name = "file-evidence.cst.max-artifacts") int maxArtifacts) {
        this.mapper = mapper;
        this.maxBytes = maxBytes;
        this.maxArtifacts = maxArtifacts;
        // A modulus written as a decimal number has over a thousand digits; an encoded certificate is a long string.
        this.factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).maxNumberLength(10_000)
                        .maxStringLength(16 << 20).build())
                .disable(com.fasterxml.jackson.core.StreamReadFeature.AUTO_CLOSE_SOURCE)
                .build();
    }

    /** Reads the trace in {@code content} (which stays open) to its end. */
    public Trace read(InputStream content) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(content);
        buffered.mark(2);
        int first = buffered.read();
        int second = buffered.read();
        buffered.reset();
        if (first < 0) {
            throw new Malformed("the trace is empty");
        }
        boolean gzipped = first == 0x1f && second == 0x8b;
        Limited unpacked = new Limited(gzipped ? new GZIPInputStream(buffered, 8192) : buffered, maxBytes);
        List<ObjectNode> artifacts = new ArrayList<>();
        try (JsonParser parser = factory.createParser(unpacked)) {
            parser.setCodec(mapper);
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new Malformed("the trace does not start with a JSON object (its CST header)" + at(parser));
            }
            ObjectNode header = parser.readValueAsTree();
            if (!"CST".equals(header.path("format").asText(null))) {
                throw new Malformed("the trace's first object is not a CST header ({\"format\":\"CST\", …}): its format is "
                        + (header.has("format") ? header.get("format").toString() : "missing"));
            }
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                if (token != JsonToken.START_OBJECT) {
                    throw new Malformed("expected artifact " + (artifacts.size() + 1) + " as a JSON object" + at(parser) + ", found "
                            + token.asString() + " (after " + artifacts.size() + " artifacts)");
                }
                JsonLocation start = parser.currentTokenLocation();
                ObjectNode artifact = parser.readValueAsTree();
                for (String field : new String[] {"path", "type"}) {
                    if (!artifact.path(field).isTextual() || artifact.path(field).asText().isEmpty()) {
                        throw new Malformed("artifact " + (artifacts.size() + 1) + " (line " + start.getLineNr() + ") has no '" + field
                                + "'");
                    }
                }
                if (artifacts.size() == maxArtifacts) {
                    throw new Malformed("the trace holds more than " + maxArtifacts + " artifacts (file-evidence.cst.max-artifacts)");
                }
                artifacts.add(artifact);
            }
            return new Trace(header(header), artifacts);
        } catch (Malformed malformed) {
            throw malformed;
        } catch (JsonProcessingException e) {
            if (unpacked.exceeded) {
                throw limit();
            }
            JsonLocation where = e.getLocation();
            throw new Malformed("the trace is not concatenated JSON" + (where == null ? "" : " at line " + where.getLineNr() + ", column "
                    + where.getColumnNr()) + " (after " + artifacts.size() + " artifacts): " + e.getOriginalMessage());
        } catch (java.util.zip.ZipException | EOFException e) {
            throw new Malformed("the trace's gzip stream is damaged or ends early (after " + artifacts.size() + " artifacts)");
        } catch (Limit e) {
            throw limit();
        }
    }

    private Malformed limit() {
        return new Malformed("the trace unpacks to more than " + maxBytes + " bytes (file-evidence.cst.max-bytes)");
    }

    private static Header header(JsonNode header) {
        JsonNode specific = header.path("api_specific");
        return new Header(header.path("format").asText(), text(header.path("api")), text(specific.path("hostname")), text(specific.path("os")),
                text(specific.path("scanner_version")));
    }

    private static String text(JsonNode node) {
        return node.isValueNode() && !node.isNull() ? node.asText() : null;
    }

    private static String at(JsonParser parser) {
        JsonLocation location = parser.currentTokenLocation();
        return location == null ? "" : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    /** Past the unpacked-size limit. */
    private static final class Limit extends IOException {
        Limit() {
            super("limit", null);
        }
    }

    private static final class Limited extends FilterInputStream {
        private final long max;
        private long count;
        boolean exceeded;

        Limited(InputStream in, long max) {
            super(in);
            this.max = max;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                counted(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                counted(n);
            }
            return n;
        }

        private void counted(int n) throws Limit {
            count += n;
            if (count > max) {
                exceeded = true;
                throw new Limit();
            }
        }
    }
}
