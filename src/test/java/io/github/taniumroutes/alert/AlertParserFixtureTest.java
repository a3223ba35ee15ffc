package io.github.taniumroutes.alert;

import static io.github.taniumroutes.alert.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.github.taniumroutes.alert.CanonicalAlert.FileInfo;
import io.github.taniumroutes.alert.CanonicalAlert.ProcessInfo;

/** Each real sample alert maps to exactly the expected canonical fields. */
class AlertParserFixtureTest {

    private final AlertParser parser = parser();

    @Test
    void threatResponseSampleMapsToExpectedCanonicalFields() throws Exception {
        CanonicalAlert alert = parser.parse(bytes(THREAT_RESPONSE));

        assertThat(alert.id()).isEqualTo("tanium-threat-response:2");
        assertThat(alert.source()).isEqualTo("tanium-threat-response");
        assertThat(alert.format()).isEqualTo("tanium-threat-response");
        assertThat(alert.time()).isEqualTo("2023-10-16T12:26:51Z");
        assertThat(alert.severity()).as("max(severity=info, priority=high)").isEqualTo("high");
        assertThat(alert.type()).isEqualTo("detect.match/process");
        assertThat(alert.rule()).isEqualTo("Testing eicar");
        assertThat(alert.hostname()).isEqualTo("WS-0142");
        assertThat(alert.ip()).isEqualTo("10.20.30.41");
        assertThat(alert.taniumEndpointId()).isEqualTo("1003");
        assertThat(alert.process()).isEqualTo(new ProcessInfo("msedge.exe", 9080L, TR_SHA256, TR_COMMAND_LINE));
        assertThat(alert.file()).isEqualTo(new FileInfo(TR_IMAGE, TR_SHA256));
        assertThat(alert.remoteAddress()).isNull();
        assertThat(alert.raw()).isEqualTo(tree(THREAT_RESPONSE));
        assertThat(alert.hostIdentity()).isEqualTo("WS-0142");
    }

    @Test
    void elasticNestedSampleMapsToExpectedCanonicalFields() throws Exception {
        CanonicalAlert alert = parser.parse(bytes(ELASTIC_NESTED));

        assertThat(alert.id()).isEqualTo("elastic-security:" + ELASTIC_UUID);
        assertThat(alert.source()).isEqualTo("elastic-security");
        assertThat(alert.format()).isEqualTo("elastic-security");
        assertThat(alert.time()).isEqualTo("2024-05-14T09:12:07.512Z");
        assertThat(alert.severity()).isEqualTo("high");
        assertThat(alert.type()).isEqualTo("query");
        assertThat(alert.rule()).isEqualTo(RULE_NAME);
        assertThat(alert.hostname()).isEqualTo("ws-0142");
        assertThat(alert.ip()).as("first entry of the host.ip array").isEqualTo("fe80::1afa:fd11:68c3:3ffa");
        assertThat(alert.taniumEndpointId()).isNull();
        assertThat(alert.process()).isEqualTo(new ProcessInfo("rundll32.exe", 7412L, RUNDLL_SHA256, RUNDLL_COMMAND_LINE));
        assertThat(alert.file()).isEqualTo(new FileInfo(DLL_PATH, DLL_SHA256));
        assertThat(alert.remoteAddress()).isEqualTo("203.0.113.45");
        assertThat(alert.raw()).isEqualTo(tree(ELASTIC_NESTED));
    }

    @Test
    void elasticFlattenedSampleMapsToExpectedCanonicalFields() throws Exception {
        CanonicalAlert alert = parser.parse(bytes(ELASTIC_FLATTENED));

        assertThat(alert.id()).isEqualTo("elastic-security:" + ELASTIC_UUID);
        assertThat(alert.source()).isEqualTo("elastic-security");
        assertThat(alert.format()).isEqualTo("elastic-security");
        assertThat(alert.time()).isEqualTo("2024-05-14T09:12:07.512Z");
        assertThat(alert.severity()).isEqualTo("high");
        assertThat(alert.type()).isEqualTo("query");
        assertThat(alert.rule()).isEqualTo(RULE_NAME);
        assertThat(alert.hostname()).isEqualTo("ws-0142");
        assertThat(alert.ip()).isEqualTo("fe80::1afa:fd11:68c3:3ffa");
        assertThat(alert.taniumEndpointId()).isNull();
        assertThat(alert.process()).isEqualTo(new ProcessInfo("rundll32.exe", 7412L, RUNDLL_SHA256, RUNDLL_COMMAND_LINE));
        assertThat(alert.file()).isEqualTo(new FileInfo(DLL_PATH, DLL_SHA256));
        assertThat(alert.remoteAddress()).isEqualTo("203.0.113.45");
        assertThat(alert.raw()).isEqualTo(tree(ELASTIC_FLATTENED));
    }

    @Test
    void splunkWebhookSampleMapsToExpectedCanonicalFields() throws Exception {
        CanonicalAlert alert = parser.parse(bytes(SPLUNK));

        assertThat(alert.id()).isEqualTo("splunk-notable:" + SPLUNK_EVENT_ID);
        assertThat(alert.source()).isEqualTo("splunk-notable");
        assertThat(alert.format()).isEqualTo("splunk-notable");
        assertThat(alert.time()).as("_time 1715677927 epoch seconds").isEqualTo("2024-05-14T09:12:07Z");
        assertThat(alert.severity()).as("urgency wins over severity").isEqualTo("critical");
        assertThat(alert.type()).isEqualTo("endpoint");
        assertThat(alert.rule()).isEqualTo(RULE_NAME);
        assertThat(alert.hostname()).isEqualTo("WS-0142");
        assertThat(alert.ip()).isEqualTo("10.20.30.41");
        assertThat(alert.taniumEndpointId()).isNull();
        assertThat(alert.process()).isEqualTo(new ProcessInfo("rundll32.exe", 7412L, RUNDLL_SHA256, RUNDLL_COMMAND_LINE));
        assertThat(alert.file()).isEqualTo(new FileInfo(DLL_PATH, DLL_SHA256));
        assertThat(alert.remoteAddress()).isNull();
        assertThat(alert.raw()).isEqualTo(tree(SPLUNK));
    }

    @Test
    void canonicalSampleMapsToExpectedCanonicalFields() throws Exception {
        CanonicalAlert alert = parser.parse(bytes(CANONICAL));

        assertThat(alert.id()).as("canonical ids are already prefixed").isEqualTo("tanium-threat-response:2");
        assertThat(alert.source()).isEqualTo("tanium-threat-response");
        assertThat(alert.format()).isEqualTo("canonical");
        assertThat(alert.time()).isEqualTo("2023-10-16T12:26:51Z");
        assertThat(alert.severity()).isEqualTo("high");
        assertThat(alert.type()).isEqualTo("detect.match/process");
        assertThat(alert.rule()).isEqualTo("Testing eicar");
        assertThat(alert.hostname()).isEqualTo("WS-0142");
        assertThat(alert.ip()).isEqualTo("10.20.30.41");
        assertThat(alert.taniumEndpointId()).isEqualTo("1003");
        assertThat(alert.process()).isEqualTo(new ProcessInfo("msedge.exe", 9080L, TR_SHA256, TR_COMMAND_LINE));
        assertThat(alert.file()).isEqualTo(new FileInfo(TR_IMAGE, TR_SHA256));
        assertThat(alert.remoteAddress()).as("JSON null is absent").isNull();
        assertThat(alert.raw()).as("no raw key: the document itself").isEqualTo(tree(CANONICAL));
    }

    @Test
    void canonicalSampleIsTheThreatResponseSampleMappedExceptFormatAndRaw() throws Exception {
        CanonicalAlert fromTanium = parser.parse(bytes(THREAT_RESPONSE));
        CanonicalAlert canonical = parser.parse(bytes(CANONICAL));

        assertThat(canonical).usingRecursiveComparison().ignoringFields("format", "raw").isEqualTo(fromTanium);
        assertThat(canonical.format()).isNotEqualTo(fromTanium.format());
    }

    @Test
    void elasticAndSplunkSamplesOfTheSameDetectionAgreeOnProcessFileAndRule() throws Exception {
        CanonicalAlert elastic = parser.parse(bytes(ELASTIC_NESTED));
        CanonicalAlert splunk = parser.parse(bytes(SPLUNK));

        assertThat(splunk.process()).isEqualTo(elastic.process());
        assertThat(splunk.file()).isEqualTo(elastic.file());
        assertThat(splunk.rule()).isEqualTo(elastic.rule());
        assertThat(splunk.hostname()).isEqualToIgnoringCase(elastic.hostname());
    }
}
