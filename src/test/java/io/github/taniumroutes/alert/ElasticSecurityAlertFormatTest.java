package io.github.taniumroutes.alert;

import static io.github.taniumroutes.alert.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import io.github.taniumroutes.alert.CanonicalAlert.FileInfo;
import io.github.taniumroutes.alert.CanonicalAlert.ProcessInfo;

class ElasticSecurityAlertFormatTest {

    private final AlertParser parser = parser();
    private final ElasticSecurityAlertFormat format = new ElasticSecurityAlertFormat();

    @Test
    void nestedAndFlattenedFormsGiveTheSameCanonicalAlertExceptRaw() throws Exception {
        CanonicalAlert nested = parser.parse(bytes(ELASTIC_NESTED));
        CanonicalAlert flattened = parser.parse(bytes(ELASTIC_FLATTENED));

        assertThat(nested).usingRecursiveComparison().ignoringFields("raw").isEqualTo(flattened);
        assertThat(nested.raw()).isNotEqualTo(flattened.raw());
        assertThat(nested.raw().has("kibana")).isTrue();
        assertThat(flattened.raw().has("kibana.alert.uuid")).isTrue();
    }

    @Test
    void flatteningTheNestedSampleGivesTheFlattenedSampleDocument() {
        ObjectNode flattened = MAPPER.createObjectNode();
        flattenInto("", tree(ELASTIC_NESTED), flattened);
        assertThat(flattened).isEqualTo(tree(ELASTIC_FLATTENED));
    }

    @Test
    void mixedFormWithDottedKibanaKeysAndNestedEcsObjectsGivesTheSameCanonicalAlert() throws Exception {
        // What the alerts index really holds: kibana.* dotted at the top, copied ECS objects nested.
        ObjectNode mixed = tree(ELASTIC_NESTED);
        JsonNode kibana = mixed.remove("kibana");
        flattenInto("kibana", kibana, mixed);
        assertThat(mixed.has("kibana.alert.rule.name")).isTrue();
        assertThat(mixed.get("host").isObject()).isTrue();

        CanonicalAlert parsed = parser.parse(toBytes(mixed));

        assertThat(parsed).usingRecursiveComparison().ignoringFields("raw")
                .isEqualTo(parser.parse(bytes(ELASTIC_FLATTENED)));
        assertThat(parsed.raw()).isEqualTo(mixed);
    }

    @Test
    void partlyDottedKeysAtSeveralLevelsResolve() throws Exception {
        ObjectNode alert = (ObjectNode) read("""
                {"kibana.alert": {"uuid": "u-1", "rule.name": "Rule A", "rule": {"type": "eql"}, "severity": "medium"},
                 "host": {"name": "ws-7", "os.name": "Windows"},
                 "process.hash": {"sha256": "abc"},
                 "process": {"name": "cmd.exe", "pid": 5},
                 "destination": {"ip": "198.51.100.7"}}
                """);

        CanonicalAlert parsed = parser.parse(toBytes(alert));

        assertThat(parsed.id()).isEqualTo("elastic-security:u-1");
        assertThat(parsed.rule()).isEqualTo("Rule A");
        assertThat(parsed.type()).isEqualTo("eql");
        assertThat(parsed.severity()).isEqualTo("medium");
        assertThat(parsed.hostname()).isEqualTo("ws-7");
        assertThat(parsed.process()).isEqualTo(new ProcessInfo("cmd.exe", 5L, "abc"));
        assertThat(parsed.remoteAddress()).isEqualTo("198.51.100.7");
    }

    @Test
    void fieldsApiFormWithEveryValueInAnArrayGivesTheSameCanonicalAlert() throws Exception {
        // The search API "fields" option returns every value as an array; single values become one-element arrays.
        ObjectNode flattened = tree(ELASTIC_FLATTENED);
        ObjectNode fieldsForm = MAPPER.createObjectNode();
        Iterator<Map.Entry<String, JsonNode>> fields = flattened.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode value = field.getValue();
            fieldsForm.set(field.getKey(), value.isArray() ? value : MAPPER.createArrayNode().add(value));
        }
        assertThat(fieldsForm.get("process.pid").isArray()).isTrue();

        CanonicalAlert parsed = parser.parse(toBytes(fieldsForm));

        assertThat(parsed).usingRecursiveComparison().ignoringFields("raw")
                .isEqualTo(parser.parse(bytes(ELASTIC_FLATTENED)));
        assertThat(parsed.process().pid()).isEqualTo(7412L);
        assertThat(parsed.hostname()).isEqualTo("ws-0142");
        assertThat(parsed.remoteAddress()).isEqualTo("203.0.113.45");
    }

    @Test
    void hostIpArrayYieldsItsFirstEntry() throws Exception {
        ObjectNode alert = tree(ELASTIC_NESTED);
        ((ObjectNode) alert.get("host")).putArray("ip").add("10.20.30.41").add("fe80::1");
        assertThat(parser.parse(toBytes(alert)).ip()).isEqualTo("10.20.30.41");
    }

    @Test
    void hostIpAsPlainStringIsUsedAsIs() throws Exception {
        ObjectNode alert = tree(ELASTIC_FLATTENED);
        alert.put("host.ip", "10.20.30.41");
        assertThat(parser.parse(toBytes(alert)).ip()).isEqualTo("10.20.30.41");
    }

    @Test
    void hostIpOneElementArrayIsUnwrapped() throws Exception {
        ObjectNode alert = tree(ELASTIC_FLATTENED);
        alert.putArray("host.ip").add("192.0.2.10");
        assertThat(parser.parse(toBytes(alert)).ip()).isEqualTo("192.0.2.10");
    }

    @Test
    void emptyHostIpArrayGivesNoIpButHostnameStillIdentifiesTheHost() throws Exception {
        ObjectNode alert = tree(ELASTIC_FLATTENED);
        alert.putArray("host.ip");
        CanonicalAlert parsed = parser.parse(toBytes(alert));
        assertThat(parsed.ip()).isNull();
        assertThat(parsed.hostIdentity()).isEqualTo("ws-0142");
    }

    @Test
    void hostIpArrayWithANonStringFirstEntryIsWrongTypeNamingHostIp() {
        ObjectNode alert = tree(ELASTIC_FLATTENED);
        alert.putArray("host.ip").add(10203041).add("10.20.30.41");
        InvalidAlertException e = catchThrowableOfType(InvalidAlertException.class, () -> parser.parse(toBytes(alert)));
        assertThat(e.reason()).isEqualTo("wrong_type");
        assertThat(e.getMessage()).isEqualTo("field 'host.ip' must hold strings, found number in an array");
    }

    @Test
    void blankFirstHostIpEntryIsTreatedAsAbsentNotAsAnInvalidAddress() throws Exception {
        ObjectNode alert = tree(ELASTIC_FLATTENED);
        alert.putArray("host.ip").add("  ");
        CanonicalAlert parsed = parser.parse(toBytes(alert));
        assertThat(parsed.ip()).isNull();
        assertThat(parsed.hostname()).isEqualTo("ws-0142");
    }

    @Test
    void epochMillisTimestampIsNormalisedToIsoUtc() throws Exception {
        ObjectNode alert = tree(ELASTIC_FLATTENED);
        alert.put("@timestamp", 1715677927512L);
        assertThat(parser.parse(toBytes(alert)).time()).isEqualTo("2024-05-14T09:12:07.512Z");
    }

    @Test
    void epochSecondsTimestampIsNormalisedToIsoUtc() throws Exception {
        ObjectNode alert = tree(ELASTIC_FLATTENED);
        alert.put("@timestamp", 1715677927L);
        assertThat(parser.parse(toBytes(alert)).time()).isEqualTo("2024-05-14T09:12:07Z");
    }

    @Test
    void epochSecondsWithFractionAsJsonNumberIsNormalisedToIsoUtc() throws Exception {
        ObjectNode alert = tree(ELASTIC_FLATTENED);
        alert.put("@timestamp", 1715677927.512);
        assertThat(parser.parse(toBytes(alert)).time()).isEqualTo("2024-05-14T09:12:07.512Z");
    }

    @Test
    void timestampWithOffsetIsConvertedToUtc() throws Exception {
        ObjectNode alert = tree(ELASTIC_FLATTENED);
        alert.put("@timestamp", "2024-05-14T11:12:07.512+02:00");
        assertThat(parser.parse(toBytes(alert)).time()).isEqualTo("2024-05-14T09:12:07.512Z");
    }

    @Test
    void missingTimestampFallsBackToOriginalTime() throws Exception {
        ObjectNode alert = tree(ELASTIC_NESTED);
        alert.remove("@timestamp");
        assertThat(parser.parse(toBytes(alert)).time()).isEqualTo("2024-05-14T09:11:58.204Z");
    }

    @Test
    void unparseableTimestampIsWrongTypeNamingTimestamp() {
        ObjectNode alert = tree(ELASTIC_FLATTENED);
        alert.put("@timestamp", "14/05/2024 09:12");
        InvalidAlertException e = catchThrowableOfType(InvalidAlertException.class, () -> parser.parse(toBytes(alert)));
        assertThat(e.reason()).isEqualTo("wrong_type");
        assertThat(e.getMessage()).isEqualTo("field '@timestamp' is not an ISO-8601 time or epoch number");
    }

    @Test
    void missingRuleTypeFallsBackToTheOneElementEventCategory() throws Exception {
        ObjectNode alert = tree(ELASTIC_FLATTENED);
        alert.remove("kibana.alert.rule.type");
        assertThat(parser.parse(toBytes(alert)).type()).isEqualTo("process");
    }

    @Test
    void processHashFallsBackToSha1ThenMd5() throws Exception {
        ObjectNode alert = tree(ELASTIC_FLATTENED);
        alert.remove("process.hash.sha256");
        assertThat(parser.parse(toBytes(alert)).process().hash()).isEqualTo(RUNDLL_SHA1);
        alert.remove("process.hash.sha1");
        assertThat(parser.parse(toBytes(alert)).process().hash()).isEqualTo(RUNDLL_MD5);
    }

    @Test
    void fileHashFallsBackToMd5WhenOnlyMd5IsPresent() throws Exception {
        ObjectNode alert = tree(ELASTIC_NESTED);
        ObjectNode hash = (ObjectNode) alert.get("file").get("hash");
        hash.remove("sha256");
        hash.put("md5", "0123456789abcdef0123456789abcdef");
        assertThat(parser.parse(toBytes(alert)).file())
                .isEqualTo(new FileInfo(DLL_PATH, "0123456789abcdef0123456789abcdef"));
    }

    @Test
    void alertWithoutProcessFileOrDestinationHasNoneOfThem() throws Exception {
        ObjectNode alert = tree(ELASTIC_NESTED);
        alert.remove("process");
        alert.remove("file");
        alert.remove("destination");
        CanonicalAlert parsed = parser.parse(toBytes(alert));
        assertThat(parsed.process()).isNull();
        assertThat(parsed.file()).isNull();
        assertThat(parsed.remoteAddress()).isNull();
    }

    @Test
    void processPidGivenAsDigitStringIsReadAsNumber() throws Exception {
        ObjectNode alert = tree(ELASTIC_FLATTENED);
        alert.put("process.pid", " 7412 ");
        assertThat(parser.parse(toBytes(alert)).process().pid()).isEqualTo(7412L);
    }

    @Test
    void severityIsNormalisedCaseInsensitively() throws Exception {
        ObjectNode alert = tree(ELASTIC_FLATTENED);
        alert.put("kibana.alert.severity", "CRITICAL");
        assertThat(parser.parse(toBytes(alert)).severity()).isEqualTo("critical");
        alert.remove("kibana.alert.severity");
        assertThat(parser.parse(toBytes(alert)).severity()).isEqualTo("unknown");
    }

    @Test
    void recognisesDottedOrNestedKibanaAlertUuidOrRuleUuidOnly() {
        assertThat(format.recognises(tree(ELASTIC_NESTED))).isTrue();
        assertThat(format.recognises(tree(ELASTIC_FLATTENED))).isTrue();
        assertThat(format.recognises(read("{\"kibana.alert.rule.uuid\":\"r\"}"))).isTrue();
        assertThat(format.recognises(read("{\"kibana\":{\"alert.uuid\":\"u\"}}"))).isTrue();
        assertThat(format.recognises(read("{\"kibana.alert.rule.name\":\"only a name\"}"))).isFalse();
        assertThat(format.recognises(read("{\"event\":{\"kind\":\"signal\"}}"))).isFalse();
        assertThat(format.recognises(tree(SPLUNK))).isFalse();
        assertThat(format.recognises(tree(THREAT_RESPONSE))).isFalse();
    }

    @Test
    void formatNameIsElasticSecurity() {
        assertThat(format.name()).isEqualTo("elastic-security");
    }
}
