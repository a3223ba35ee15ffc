package io.github.taniumroutes.alert;

import static io.github.taniumroutes.alert.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import io.github.taniumroutes.alert.CanonicalAlert.FileInfo;
import io.github.taniumroutes.alert.CanonicalAlert.ProcessInfo;

class ThreatResponseAlertFormatTest {

    private final AlertParser parser = parser();
    private final ThreatResponseAlertFormat format = new ThreatResponseAlertFormat(MAPPER);

    private CanonicalAlert parse(ObjectNode alert) throws InvalidAlertException {
        return parser.parse(toBytes(alert));
    }

    private static ObjectNode details(ObjectNode alert) {
        return (ObjectNode) read(alert.get("details").asText());
    }

    private static ObjectNode properties(ObjectNode details) {
        return (ObjectNode) details.get("match").get("properties");
    }

    @Test
    void detailsAlreadyDecodedAsObjectGivesTheSameCanonicalAlert() throws Exception {
        ObjectNode alert = tree(THREAT_RESPONSE);
        alert.set("details", details(alert));
        assertThat(parse(alert)).usingRecursiveComparison().ignoringFields("raw")
                .isEqualTo(parser.parse(bytes(THREAT_RESPONSE)));
    }

    @Test
    void processComesFromInsideTheJsonEncodedDetailsString() throws Exception {
        ObjectNode alert = tree(THREAT_RESPONSE);
        ObjectNode details = details(alert);
        properties(details).put("name", "C:\\Windows\\System32\\cmd.exe");
        properties(details).put("pid", 4242);
        properties(details).put("args", "cmd.exe /c \"whoami /all\"");
        ((ObjectNode) properties(details).get("file")).put("sha256", "feed");
        alert.put("details", details.toString());

        CanonicalAlert parsed = parse(alert);

        assertThat(parsed.process()).isEqualTo(new ProcessInfo("cmd.exe", 4242L, "feed", "cmd.exe /c \"whoami /all\""));
        assertThat(parsed.file()).as("file path from top-level path, hash from details")
                .isEqualTo(new FileInfo(TR_IMAGE, "feed"));
    }

    @Test
    void nullDetailsGiveNoProcessAndAFileWithoutHash() throws Exception {
        ObjectNode alert = tree(THREAT_RESPONSE);
        alert.putNull("details");
        CanonicalAlert parsed = parse(alert);
        assertThat(parsed.process()).isNull();
        assertThat(parsed.file()).isEqualTo(new FileInfo(TR_IMAGE, null));
    }

    @Test
    void detailsStringThatIsNotJsonIsWrongTypeNamingDetails() {
        ObjectNode alert = tree(THREAT_RESPONSE);
        alert.put("details", "{\"match\": ");
        InvalidAlertException e = catchThrowableOfType(InvalidAlertException.class, () -> parse(alert));
        assertThat(e.reason()).isEqualTo("wrong_type");
        assertThat(e.getMessage()).startsWith("field 'details' is not valid JSON: ");
    }

    @Test
    void detailsThatIsANumberIsWrongTypeNamingDetails() {
        ObjectNode alert = tree(THREAT_RESPONSE);
        alert.put("details", 123);
        InvalidAlertException e = catchThrowableOfType(InvalidAlertException.class, () -> parse(alert));
        assertThat(e.reason()).isEqualTo("wrong_type");
        assertThat(e.getMessage()).isEqualTo("field 'details' must be a JSON-encoded string");
    }

    @Test
    void legacyDetailsWithoutMatchPropertiesGiveNoProcess() throws Exception {
        // demisto's older samples: "details": "{\"details\":\"123\"}"
        ObjectNode alert = tree(THREAT_RESPONSE);
        alert.put("details", "{\"details\":\"123\"}");
        assertThat(parse(alert).process()).isNull();
    }

    @Test
    void pidInDetailsThatIsNotAnIntegerIsWrongTypeNamingThePath() {
        ObjectNode alert = tree(THREAT_RESPONSE);
        ObjectNode details = details(alert);
        properties(details).put("pid", "n/a");
        alert.put("details", details.toString());
        InvalidAlertException e = catchThrowableOfType(InvalidAlertException.class, () -> parse(alert));
        assertThat(e.reason()).isEqualTo("wrong_type");
        assertThat(e.getMessage()).isEqualTo("field 'match.properties.pid' must be an integer, found string");
    }

    @Test
    void processHashFallsBackToSha1ThenMd5() throws Exception {
        ObjectNode alert = tree(THREAT_RESPONSE);
        ObjectNode details = details(alert);
        ObjectNode file = (ObjectNode) properties(details).get("file");
        file.remove("sha256");
        alert.put("details", details.toString());
        assertThat(parse(alert).process().hash()).isEqualTo(TR_SHA1);
        file.remove("sha1");
        alert.put("details", details.toString());
        assertThat(parse(alert).process().hash()).isEqualTo(TR_MD5);
        assertThat(parse(alert).file().hash()).isEqualTo(TR_MD5);
    }

    @Test
    void filePathFallsBackToDetailsFullpathWithoutTopLevelPath() throws Exception {
        ObjectNode alert = tree(THREAT_RESPONSE);
        alert.remove("path");
        ObjectNode details = details(alert);
        ((ObjectNode) properties(details).get("file")).put("fullpath", "C:\\Temp\\eicar.com");
        alert.put("details", details.toString());
        assertThat(parse(alert).file()).isEqualTo(new FileInfo("C:\\Temp\\eicar.com", TR_SHA256));
    }

    @Test
    void ruleFallsBackToIntelDocIdWithoutIntelDocExpansion() throws Exception {
        ObjectNode alert = tree(THREAT_RESPONSE);
        alert.remove("intelDoc");
        assertThat(parse(alert).rule()).isEqualTo("700");
    }

    @Test
    void timeFallsBackToCreatedAtWithoutAlertedAt() throws Exception {
        ObjectNode alert = tree(THREAT_RESPONSE);
        alert.remove("alertedAt");
        assertThat(parse(alert).time()).isEqualTo("2023-10-16T12:29:34.849Z");
    }

    @Test
    void severityIsTheHigherOfSeverityAndPriority() throws Exception {
        ObjectNode alert = tree(THREAT_RESPONSE);
        alert.put("severity", "critical");
        alert.put("priority", "low");
        assertThat(parse(alert).severity()).isEqualTo("critical");
        alert.put("severity", "low");
        alert.put("priority", "medium");
        assertThat(parse(alert).severity()).isEqualTo("medium");
        alert.remove("severity");
        alert.remove("priority");
        assertThat(parse(alert).severity()).isEqualTo("unknown");
    }

    @Test
    void typeWithoutMatchTypeIsTheTypeAlone() throws Exception {
        ObjectNode alert = tree(THREAT_RESPONSE);
        alert.remove("matchType");
        assertThat(parse(alert).type()).isEqualTo("detect.match");
    }

    @Test
    void matchTypeWithoutTypeIsTheMatchTypeAloneNotPrefixedWithNull() throws Exception {
        ObjectNode alert = tree(THREAT_RESPONSE);
        alert.remove("type");
        assertThat(parse(alert).type()).isEqualTo("process");
    }

    @Test
    void neitherTypeNorMatchTypeGivesNoType() throws Exception {
        ObjectNode alert = tree(THREAT_RESPONSE);
        alert.remove("type");
        alert.remove("matchType");
        assertThat(parse(alert).type()).isNull();
    }

    @Test
    void nullEidGivesNoTaniumEndpointId() throws Exception {
        ObjectNode alert = tree(THREAT_RESPONSE);
        alert.putNull("eid");
        CanonicalAlert parsed = parse(alert);
        assertThat(parsed.taniumEndpointId()).isNull();
        assertThat(parsed.hostname()).isEqualTo("WS-0142");
    }

    @Test
    void recognisesComputerNameIntelDocIdAndDetailsTogether() {
        assertThat(format.recognises(tree(THREAT_RESPONSE))).isTrue();
        assertThat(format.recognises(read("{\"computerName\":\"a\",\"intelDocId\":1,\"details\":null}"))).isTrue();
        assertThat(format.recognises(read("{\"computerName\":\"a\",\"intelDocId\":1}"))).isFalse();
        assertThat(format.recognises(read("{\"computerName\":\"a\",\"details\":\"{}\"}"))).isFalse();
        assertThat(format.recognises(tree(CANONICAL))).isFalse();
    }

    @Test
    void formatNameIsTaniumThreatResponse() {
        assertThat(format.name()).isEqualTo("tanium-threat-response");
    }
}
