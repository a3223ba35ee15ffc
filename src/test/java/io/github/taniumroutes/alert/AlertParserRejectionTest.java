package io.github.taniumroutes.alert;

import static io.github.taniumroutes.alert.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** Every rejection carries its stable reason code, a useful detail and, when known, the alert id. */
class AlertParserRejectionTest {

    private final AlertParser parser = parser();

    private InvalidAlertException rejection(byte[] value) {
        return rejection(parser, value);
    }

    private static InvalidAlertException rejection(AlertParser parser, byte[] value) {
        InvalidAlertException e = catchThrowableOfType(InvalidAlertException.class, () -> parser.parse(value));
        assertThat(e).as("parse should have rejected the record").isNotNull();
        return e;
    }

    // --- empty / oversized ---

    @Test
    void nullValueIsRejectedAsEmpty() {
        InvalidAlertException e = rejection(null);
        assertThat(e.reason()).isEqualTo("empty");
        assertThat(e.getMessage()).isEqualTo("the record has no value");
        assertThat(e.alertId()).isNull();
    }

    @Test
    void zeroLengthValueIsRejectedAsEmpty() {
        assertThat(rejection(new byte[0]).reason()).isEqualTo("empty");
    }

    @Test
    void valueOneByteOverTheLimitIsRejectedAsOversizedWithSizeAndLimit() {
        AlertParser small = new AlertParser(new ObjectMapper(), 10);
        InvalidAlertException e = rejection(small, utf8("{\"a\":\"12\"}x"));
        assertThat(e.reason()).isEqualTo("oversized");
        assertThat(e.getMessage()).isEqualTo("the record is 11 bytes; the limit (alerts.max-bytes) is 10");
    }

    @Test
    void valueExactlyAtTheLimitIsNotOversized() {
        AlertParser small = new AlertParser(new ObjectMapper(), 10);
        byte[] tenBytes = utf8("{\"a\":\"12\"}");
        assertThat(tenBytes).hasSize(10);
        assertThat(rejection(small, tenBytes).reason()).as("passes the size check, then fails on format")
                .isEqualTo("unknown_format");
    }

    @Test
    void realSampleIsOversizedForASmallLimitBeforeAnyParsing() {
        AlertParser small = new AlertParser(new ObjectMapper(), 1024);
        assertThat(rejection(small, bytes(THREAT_RESPONSE)).reason()).isEqualTo("oversized");
    }

    // --- malformed JSON ---

    @Test
    void malformedJsonReportsLineAndColumnOfTheError() {
        InvalidAlertException e = rejection(utf8("{\"id\": 1,\n  \"x\": }"));
        assertThat(e.reason()).isEqualTo("malformed_json");
        assertThat(e.getMessage()).startsWith("not valid JSON: ").endsWith(" at line 2, column 8");
        assertThat(e.getMessage()).contains("Unexpected character ('}'");
    }

    @Test
    void truncatedJsonIsMalformed() {
        InvalidAlertException e = rejection(utf8("{\"computerName\": \"WS-0142\""));
        assertThat(e.reason()).isEqualTo("malformed_json");
        assertThat(e.getMessage()).contains("at line 1, column ");
    }

    @Test
    void invalidUtf8IsMalformedJson() {
        byte[] value = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        assertThat(rejection(value).reason()).isEqualTo("malformed_json");
    }

    @Test
    void whitespaceOnlyValueIsMalformedJsonWithNoContent() {
        InvalidAlertException e = rejection(utf8("   \n "));
        assertThat(e.reason()).isEqualTo("malformed_json");
        assertThat(e.getMessage()).isEqualTo("not valid JSON: no content");
    }

    @Test
    void plainTextIsMalformedJson() {
        InvalidAlertException e = rejection(utf8("hello"));
        assertThat(e.reason()).isEqualTo("malformed_json");
        assertThat(e.getMessage()).contains("at line 1, column ");
    }

    // --- not an object ---

    @Test
    void jsonArrayIsNotAnObject() {
        InvalidAlertException e = rejection(utf8("[{\"id\":1}]"));
        assertThat(e.reason()).isEqualTo("not_an_object");
        assertThat(e.getMessage()).isEqualTo("an alert must be a JSON object, found array");
    }

    @Test
    void jsonStringIsNotAnObject() {
        InvalidAlertException e = rejection(utf8("\"alert\""));
        assertThat(e.reason()).isEqualTo("not_an_object");
        assertThat(e.getMessage()).endsWith("found string");
    }

    @Test
    void jsonNumberIsNotAnObject() {
        InvalidAlertException e = rejection(utf8("42"));
        assertThat(e.reason()).isEqualTo("not_an_object");
        assertThat(e.getMessage()).endsWith("found number");
    }

    @Test
    void jsonNullIsNotAnObject() {
        InvalidAlertException e = rejection(utf8("null"));
        assertThat(e.reason()).isEqualTo("not_an_object");
        assertThat(e.getMessage()).endsWith("found null");
    }

    // --- unknown format ---

    @Test
    void objectWithNoKnownDistinguishingKeysIsUnknownFormatListingTheKnownFormats() {
        InvalidAlertException e = rejection(utf8("{\"hostname\":\"ws-0142\",\"severity\":\"high\"}"));
        assertThat(e.reason()).isEqualTo("unknown_format");
        assertThat(e.getMessage()).isEqualTo("the JSON object matches none of the known alert formats "
                + "[tanium-threat-response, elastic-security, splunk-notable, tanium-connect-row, canonical]");
    }

    @Test
    void threatResponseListEnvelopeIsUnknownFormat() {
        ObjectNode envelope = MAPPER.createObjectNode();
        envelope.putArray("data").add(tree(THREAT_RESPONSE));
        envelope.putObject("meta").put("totalCount", 1);
        assertThat(rejection(toBytes(envelope)).reason()).isEqualTo("unknown_format");
    }

    @Test
    void threatResponseWithoutDetailsKeyIsUnknownFormat() {
        ObjectNode alert = tree(THREAT_RESPONSE);
        alert.remove("details");
        assertThat(rejection(toBytes(alert)).reason()).isEqualTo("unknown_format");
    }

    @Test
    void splunkWebhookWhoseResultIsNotAnObjectIsUnknownFormat() {
        ObjectNode webhook = tree(SPLUNK);
        webhook.put("result", "not an object");
        assertThat(rejection(toBytes(webhook)).reason()).isEqualTo("unknown_format");
    }

    @Test
    void canonicalLookalikeWithResultKeyAndNoSidIsUnknownFormat() {
        ObjectNode alert = tree(CANONICAL);
        alert.putObject("result");
        assertThat(rejection(toBytes(alert)).reason()).isEqualTo("unknown_format");
    }

    // --- wrong types ---

    @Test
    void canonicalProcessPidThatIsNotANumberIsWrongTypeNamingProcessPid() {
        ObjectNode alert = tree(CANONICAL);
        ((ObjectNode) alert.get("process")).put("pid", "nine thousand");
        InvalidAlertException e = rejection(toBytes(alert));
        assertThat(e.reason()).isEqualTo("wrong_type");
        assertThat(e.getMessage()).isEqualTo("field 'process.pid' must be an integer, found string");
    }

    @Test
    void elasticProcessPidThatIsAnObjectIsWrongTypeNamingProcessPid() {
        ObjectNode alert = tree(ELASTIC_NESTED);
        ((ObjectNode) alert.get("process")).putObject("pid").put("value", 7412);
        InvalidAlertException e = rejection(toBytes(alert));
        assertThat(e.reason()).isEqualTo("wrong_type");
        assertThat(e.getMessage()).isEqualTo("field 'process.pid' must be an integer, found object");
    }

    @Test
    void flattenedElasticHostNameThatIsAnObjectIsWrongTypeNamingHostName() {
        ObjectNode alert = tree(ELASTIC_FLATTENED);
        alert.putObject("host.name").put("first", "ws-0142");
        InvalidAlertException e = rejection(toBytes(alert));
        assertThat(e.reason()).isEqualTo("wrong_type");
        assertThat(e.getMessage()).isEqualTo("field 'host.name' must be a string, found object");
    }

    @Test
    void canonicalProcessThatIsAStringIsWrongTypeNamingProcess() {
        ObjectNode alert = tree(CANONICAL);
        alert.put("process", "msedge.exe");
        InvalidAlertException e = rejection(toBytes(alert));
        assertThat(e.reason()).isEqualTo("wrong_type");
        assertThat(e.getMessage()).isEqualTo("field 'process' must be an object");
    }

    @Test
    void unparseableTimeIsWrongTypeNamingTheSourceField() {
        ObjectNode alert = tree(THREAT_RESPONSE);
        alert.put("alertedAt", "yesterday at noon");
        InvalidAlertException e = rejection(toBytes(alert));
        assertThat(e.reason()).isEqualTo("wrong_type");
        assertThat(e.getMessage()).isEqualTo("field 'alertedAt' is not an ISO-8601 time or epoch number");
    }

    // --- host identity ---

    @Test
    void elasticAlertWithoutHostIsMissingHostIdentityCarryingTheAlertId() {
        ObjectNode alert = tree(ELASTIC_NESTED);
        alert.remove("host");
        InvalidAlertException e = rejection(toBytes(alert));
        assertThat(e.reason()).isEqualTo("missing_host_identity");
        assertThat(e.getMessage()).isEqualTo("the alert names no hostname, IP address or Tanium endpoint id");
        assertThat(e.alertId()).isEqualTo("elastic-security:" + ELASTIC_UUID);
    }

    @Test
    void threatResponseAlertWithNullHostFieldsIsMissingHostIdentityCarryingTheAlertId() {
        ObjectNode alert = tree(THREAT_RESPONSE);
        alert.putNull("computerName");
        alert.put("computerIpAddress", "   ");
        alert.putNull("eid");
        InvalidAlertException e = rejection(toBytes(alert));
        assertThat(e.reason()).isEqualTo("missing_host_identity");
        assertThat(e.alertId()).isEqualTo("tanium-threat-response:2");
    }

    @Test
    void missingHostIdentityOnAnAlertWithoutIdCarriesTheDerivedId() {
        ObjectNode alert = tree(CANONICAL);
        alert.putNull("id");
        alert.remove("hostname");
        alert.remove("ip");
        alert.remove("taniumEndpointId");
        byte[] value = toBytes(alert);
        InvalidAlertException e = rejection(value);
        assertThat(e.reason()).isEqualTo("missing_host_identity");
        assertThat(e.alertId()).isEqualTo("canonical:sha256:" + sha256Hex(value));
    }

    @Test
    void hostnameWithANulCharacterIsAnInvalidField() {
        ObjectNode alert = tree(THREAT_RESPONSE);
        alert.put("computerName", "WS-0142\u0000; drop");
        InvalidAlertException e = rejection(toBytes(alert));
        assertThat(e.reason()).isEqualTo("invalid_field");
        assertThat(e.getMessage()).isEqualTo("field 'hostname' has characters or a length a host name cannot have");
        assertThat(e.alertId()).isEqualTo("tanium-threat-response:2");
    }

    @Test
    void hostnameWithAnEmbeddedNewlineIsAnInvalidField() {
        ObjectNode alert = tree(SPLUNK);
        splunkResult(alert).put("dest", "WS-0142\nINJECTED");
        InvalidAlertException e = rejection(toBytes(alert));
        assertThat(e.reason()).isEqualTo("invalid_field");
        assertThat(e.alertId()).isEqualTo("splunk-notable:" + SPLUNK_EVENT_ID);
    }

    @Test
    void hostnameWithAnEscapeCharacterIsAnInvalidField() {
        ObjectNode alert = tree(ELASTIC_NESTED);
        ((ObjectNode) alert.get("host")).put("name", "ws\u001b[31m-0142");
        assertThat(rejection(toBytes(alert)).reason()).isEqualTo("invalid_field");
    }

    @Test
    void hostnameLongerThan253CharactersIsAnInvalidField() {
        ObjectNode alert = tree(THREAT_RESPONSE);
        alert.put("computerName", "a".repeat(254));
        InvalidAlertException e = rejection(toBytes(alert));
        assertThat(e.reason()).isEqualTo("invalid_field");
        assertThat(e.getMessage()).contains("'hostname'");
    }

    @Test
    void hostnameOf253CharactersIsAccepted() throws Exception {
        ObjectNode alert = tree(THREAT_RESPONSE);
        alert.put("computerName", "a".repeat(253));
        assertThat(parser.parse(toBytes(alert)).hostname()).hasSize(253);
    }

    @Test
    void surroundingWhitespaceAroundHostnameIsStrippedNotRejected() throws Exception {
        ObjectNode alert = tree(THREAT_RESPONSE);
        alert.put("computerName", "  WS-0142\n");
        assertThat(parser.parse(toBytes(alert)).hostname()).isEqualTo("WS-0142");
    }

    @Test
    void ipWithLettersOutsideHexIsAnInvalidField() {
        ObjectNode alert = tree(THREAT_RESPONSE);
        alert.put("computerIpAddress", "10.20.30.xyz");
        InvalidAlertException e = rejection(toBytes(alert));
        assertThat(e.reason()).isEqualTo("invalid_field");
        assertThat(e.getMessage()).isEqualTo("field 'ip' is not an IP address");
        assertThat(e.alertId()).isEqualTo("tanium-threat-response:2");
    }

    @Test
    void ipWithShellMetacharactersIsAnInvalidField() {
        ObjectNode alert = tree(SPLUNK);
        splunkResult(alert).put("dest_ip", "10.0.0.1;rm");
        assertThat(rejection(toBytes(alert)).reason()).isEqualTo("invalid_field");
    }

    @Test
    void ipLongerThan45CharactersIsAnInvalidField() {
        ObjectNode alert = tree(THREAT_RESPONSE);
        alert.put("computerIpAddress", "1".repeat(46));
        assertThat(rejection(toBytes(alert)).reason()).isEqualTo("invalid_field");
    }

    @Test
    void ipv6WithZoneIdIsAccepted() throws Exception {
        ObjectNode alert = tree(THREAT_RESPONSE);
        alert.put("computerIpAddress", "fe80::1afa:fd11:68c3:3ffa%eth0");
        assertThat(parser.parse(toBytes(alert)).ip()).isEqualTo("fe80::1afa:fd11:68c3:3ffa%eth0");
    }

    @Test
    void invalidIpIsRejectedEvenWhenHostnameIsValid() {
        ObjectNode alert = tree(ELASTIC_FLATTENED);
        alert.put("host.ip", "ten.twenty.thirty.one");
        InvalidAlertException e = rejection(toBytes(alert));
        assertThat(e.reason()).isEqualTo("invalid_field");
        assertThat(e.alertId()).isEqualTo("elastic-security:" + ELASTIC_UUID);
    }

    // --- accepted with partial identity ---

    @Test
    void ipAloneIsEnoughHostIdentityAndBecomesTheHostIdentity() throws Exception {
        ObjectNode alert = tree(THREAT_RESPONSE);
        alert.putNull("computerName"); // the key itself is needed to recognise the format
        alert.putNull("eid");
        CanonicalAlert parsed = parser.parse(toBytes(alert));
        assertThat(parsed.hostname()).isNull();
        assertThat(parsed.hostIdentity()).isEqualTo("10.20.30.41");
    }

    @Test
    void taniumEndpointIdAloneIsEnoughHostIdentity() throws Exception {
        ObjectNode alert = tree(THREAT_RESPONSE);
        alert.putNull("computerName");
        alert.remove("computerIpAddress");
        CanonicalAlert parsed = parser.parse(toBytes(alert));
        assertThat(parsed.taniumEndpointId()).isEqualTo("1003");
        assertThat(parsed.hostIdentity()).isNull();
    }
}
