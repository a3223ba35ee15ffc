package io.github.taniumroutes.alert;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Loads the sample alerts under src/test/resources/alerts and builds variants of them. */
final class Fixtures {

    static final ObjectMapper MAPPER = new ObjectMapper();

    static final String THREAT_RESPONSE = "tanium-threat-response.json";
    static final String ELASTIC_NESTED = "elastic-ecs-nested.json";
    static final String ELASTIC_FLATTENED = "elastic-ecs-flattened.json";
    static final String SPLUNK = "splunk-webhook-notable.json";
    static final String CANONICAL = "canonical.json";

    static final String TR_SHA256 = "9ba39dd15eff718ff357db346d0fda3a12c9dbb216511cbb41050fb0d6b3d9c9";
    /** The process's command line in the Threat Response sample (details: match.properties.args). */
    static final String TR_COMMAND_LINE = "\"C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe\" --no-startup-window --continue-active-setup";
    static final String TR_MD5 = "d193ea4b8d102d020c02dc45af23ff0d";
    static final String TR_SHA1 = "469e259b884043aedac879a96356fb741f82daa8";
    static final String TR_IMAGE = "C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe";

    static final String ELASTIC_UUID = "5b0e7a4c3f9d2e18a6b4c0d7e9f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3";
    static final String RULE_NAME = "Suspicious rundll32 Child of Office Application";
    static final String RUNDLL_SHA256 = "b53f3c0cd32d7f20849850768da6431e5f876b7bfa61db0aa0700b02873393fa";
    /** The command line in the Elastic (process.command_line) and Splunk (CIM process) samples. */
    static final String RUNDLL_COMMAND_LINE = "rundll32.exe C:\\Users\\jdoe\\AppData\\Local\\Temp\\invoice.dll,DllRegisterServer";
    static final String RUNDLL_SHA1 = "de0ea47b1d3a1b8d1a3e0c2f7c1c6c9b0f5a9e21";
    static final String RUNDLL_MD5 = "ef3179d498793bf4234f708d3be28633";
    static final String DLL_PATH = "C:\\Users\\jdoe\\AppData\\Local\\Temp\\invoice.dll";
    static final String DLL_SHA256 = "4b2a8d7f0c1e9a3b6d5c8e7f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b";

    static final String SPLUNK_SID =
            "scheduler__admin__SplunkEnterpriseSecuritySuite__RMD5a1b2c3d4e5f6a7b8_at_1715677920_4821";
    static final String SPLUNK_EVENT_ID =
            "5E6DE97D-B137-47AB-8905-8C4F42998937@@notable@@e4f07602f507975e9f7ba47c4ae0c417";
    static final String SPLUNK_EVENT_HASH = "e4f07602f507975e9f7ba47c4ae0c417";

    private Fixtures() {
    }

    static AlertParser parser() {
        return new AlertParser(new ObjectMapper(), 65536);
    }

    static byte[] bytes(String fixture) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/alerts/" + fixture)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + fixture);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode tree(String fixture) {
        return (ObjectNode) read(bytes(fixture));
    }

    static JsonNode read(byte[] json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode read(String json) {
        return read(json.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] toBytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The Splunk webhook's result row, for editing in place. */
    static ObjectNode splunkResult(ObjectNode webhook) {
        return (ObjectNode) webhook.get("result");
    }

    /** Flattens an object into dotted keys under {@code prefix}; arrays and scalars are leaves. */
    static void flattenInto(String prefix, JsonNode node, ObjectNode target) {
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                flattenInto(prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey(), field.getValue(), target);
            }
        } else {
            target.set(prefix, node.deepCopy());
        }
    }

    /** Independent of AlertParser.sha256, so a wrong digest there is caught. */
    static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
