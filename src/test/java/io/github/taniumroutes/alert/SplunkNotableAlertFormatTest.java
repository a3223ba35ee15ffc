package io.github.taniumroutes.alert;

import static io.github.taniumroutes.alert.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import io.github.taniumroutes.alert.CanonicalAlert.FileInfo;
import io.github.taniumroutes.alert.CanonicalAlert.ProcessInfo;

class SplunkNotableAlertFormatTest {

    private static final String SYSMON_HASHES = "SHA1=" + RUNDLL_SHA1 + ",MD5=" + RUNDLL_MD5 + ",SHA256=" + RUNDLL_SHA256
            + ",IMPHASH=F34D5F2D4577ED6D9CEEC516C1F5A744";

    private final AlertParser parser = parser();
    private final SplunkNotableAlertFormat format = new SplunkNotableAlertFormat();

    private CanonicalAlert parse(ObjectNode webhook) throws InvalidAlertException {
        return parser.parse(toBytes(webhook));
    }

    @Test
    void idFallsBackToEventHashWithoutEventId() throws Exception {
        ObjectNode webhook = tree(SPLUNK);
        splunkResult(webhook).remove("event_id");
        assertThat(parse(webhook).id()).isEqualTo("splunk-notable:" + SPLUNK_EVENT_HASH);
    }

    @Test
    void idFallsBackToSidAtTimeWithoutNotableIds() throws Exception {
        ObjectNode webhook = tree(SPLUNK);
        splunkResult(webhook).remove("event_id");
        splunkResult(webhook).remove("event_hash");
        assertThat(parse(webhook).id()).isEqualTo("splunk-notable:" + SPLUNK_SID + "@1715677927");
    }

    @Test
    void sidAtTimeFallbackUsesTheRawTimeTextNotTheNormalisedTime() throws Exception {
        ObjectNode webhook = tree(SPLUNK);
        splunkResult(webhook).remove("event_id");
        splunkResult(webhook).remove("event_hash");
        splunkResult(webhook).put("_time", "1715677927.250");
        CanonicalAlert alert = parse(webhook);
        assertThat(alert.id()).isEqualTo("splunk-notable:" + SPLUNK_SID + "@1715677927.250");
        assertThat(alert.time()).isEqualTo("2024-05-14T09:12:07.250Z");
    }

    @Test
    void idIsTheSidAloneWithoutNotableIdsOrTime() throws Exception {
        ObjectNode webhook = tree(SPLUNK);
        splunkResult(webhook).remove("event_id");
        splunkResult(webhook).remove("event_hash");
        splunkResult(webhook).remove("_time");
        CanonicalAlert alert = parse(webhook);
        assertThat(alert.id()).isEqualTo("splunk-notable:" + SPLUNK_SID);
        assertThat(alert.time()).isNull();
    }

    @Test
    void sysmonStyleProcessHashListYieldsTheSha256() throws Exception {
        ObjectNode webhook = tree(SPLUNK);
        splunkResult(webhook).put("process_hash", SYSMON_HASHES);
        assertThat(parse(webhook).process()).isEqualTo(new ProcessInfo("rundll32.exe", 7412L, RUNDLL_SHA256, RUNDLL_COMMAND_LINE));
    }

    @Test
    void sysmonStyleFileHashListWithoutSha256YieldsTheSha1() throws Exception {
        ObjectNode webhook = tree(SPLUNK);
        splunkResult(webhook).put("file_hash", "MD5=" + RUNDLL_MD5 + ",SHA1=" + RUNDLL_SHA1);
        assertThat(parse(webhook).file()).isEqualTo(new FileInfo(DLL_PATH, RUNDLL_SHA1));
    }

    @Test
    void severityFallsBackFromUrgencyToSeverity() throws Exception {
        ObjectNode webhook = tree(SPLUNK);
        splunkResult(webhook).remove("urgency");
        assertThat(parse(webhook).severity()).isEqualTo("high");
        splunkResult(webhook).remove("severity");
        assertThat(parse(webhook).severity()).isEqualTo("unknown");
    }

    @Test
    void informationalUrgencyIsInformational() throws Exception {
        ObjectNode webhook = tree(SPLUNK);
        splunkResult(webhook).put("urgency", "informational");
        assertThat(parse(webhook).severity()).isEqualTo("informational");
    }

    @Test
    void ruleFallsBackToCorrelationSearchNameThenRuleTitleNeverTheForwardingSearch() throws Exception {
        ObjectNode webhook = tree(SPLUNK);
        splunkResult(webhook).remove("rule_name");
        assertThat(parse(webhook).rule()).isEqualTo("Endpoint - Suspicious rundll32 Child of Office Application - Rule");
        splunkResult(webhook).remove("search_name");
        assertThat(parse(webhook).rule()).isEqualTo("Suspicious rundll32 launched by WINWORD.EXE on WS-0142");
        splunkResult(webhook).remove("rule_title");
        assertThat(parse(webhook).rule()).isNull();
    }

    @Test
    void hostnameFallsBackFromDestToOrigHostToDestHost() throws Exception {
        ObjectNode webhook = tree(SPLUNK);
        splunkResult(webhook).remove("dest");
        splunkResult(webhook).put("orig_host", "ws-orig");
        assertThat(parse(webhook).hostname()).isEqualTo("ws-orig");
        splunkResult(webhook).remove("orig_host");
        splunkResult(webhook).put("dest_host", "ws-dest-host");
        assertThat(parse(webhook).hostname()).isEqualTo("ws-dest-host");
    }

    @Test
    void isoTimeFromRestOutputIsAccepted() throws Exception {
        ObjectNode webhook = tree(SPLUNK);
        splunkResult(webhook).put("_time", "2024-05-14T11:12:07.000+02:00");
        assertThat(parse(webhook).time()).isEqualTo("2024-05-14T09:12:07Z");
    }

    @Test
    void epochSecondsWithNanosecondFractionIsTruncatedToMillis() throws Exception {
        ObjectNode webhook = tree(SPLUNK);
        splunkResult(webhook).put("_time", "1715677921.332298000");
        assertThat(parse(webhook).time()).isEqualTo("2024-05-14T09:12:01.332Z");
    }

    @Test
    void unparseableTimeIsWrongTypeNamingResultTime() {
        ObjectNode webhook = tree(SPLUNK);
        splunkResult(webhook).put("_time", "Tue May 14 09:12:07 2024");
        InvalidAlertException e = catchThrowableOfType(InvalidAlertException.class, () -> parse(webhook));
        assertThat(e.reason()).isEqualTo("wrong_type");
        assertThat(e.getMessage()).isEqualTo("field 'result._time' is not an ISO-8601 time or epoch number");
    }

    @Test
    void nonNumericProcessIdIsWrongTypeNamingProcessId() {
        ObjectNode webhook = tree(SPLUNK);
        splunkResult(webhook).put("process_id", "0x1cf4");
        InvalidAlertException e = catchThrowableOfType(InvalidAlertException.class, () -> parse(webhook));
        assertThat(e.reason()).isEqualTo("wrong_type");
        assertThat(e.getMessage()).isEqualTo("field 'process_id' must be an integer, found string");
    }

    @Test
    void multivalueDestIsWrongTypeNamingDest() {
        ObjectNode webhook = tree(SPLUNK);
        splunkResult(webhook).putArray("dest").add("WS-0142").add("WS-0143");
        InvalidAlertException e = catchThrowableOfType(InvalidAlertException.class, () -> parse(webhook));
        assertThat(e.reason()).isEqualTo("wrong_type");
        assertThat(e.getMessage()).isEqualTo("field 'dest' must be a string, found array");
    }

    @Test
    void singleValueArrayDestIsUnwrapped() throws Exception {
        ObjectNode webhook = tree(SPLUNK);
        splunkResult(webhook).putArray("dest").add("WS-0999");
        assertThat(parse(webhook).hostname()).isEqualTo("WS-0999");
    }

    @Test
    void correlationRowWithoutProcessOrFileFieldsHasNoProcessOrFile() throws Exception {
        ObjectNode webhook = tree(SPLUNK);
        for (String field : new String[] {"process", "process_name", "process_id", "process_hash", "file_path", "file_hash"}) {
            splunkResult(webhook).remove(field);
        }
        CanonicalAlert alert = parse(webhook);
        assertThat(alert.process()).isNull();
        assertThat(alert.file()).isNull();
    }

    @Test
    void hostIdentityFromDestIpWhenNoHostnameFieldsArePresent() throws Exception {
        ObjectNode webhook = tree(SPLUNK);
        splunkResult(webhook).remove("dest");
        splunkResult(webhook).remove("orig_host");
        CanonicalAlert alert = parse(webhook);
        assertThat(alert.hostname()).isNull();
        assertThat(alert.hostIdentity()).isEqualTo("10.20.30.41");
    }

    @Test
    void recognisesObjectResultWithSid() {
        assertThat(format.recognises(tree(SPLUNK))).isTrue();
        assertThat(format.recognises(read("{\"sid\":\"s\",\"result\":{}}"))).isTrue();
        assertThat(format.recognises(read("{\"sid\":\"s\",\"result\":[{}]}"))).isFalse();
        assertThat(format.recognises(read("{\"result\":{\"dest\":\"x\"}}"))).isFalse();
        assertThat(format.recognises(tree(CANONICAL))).isFalse();
    }

    @Test
    void formatNameIsSplunkNotable() {
        assertThat(format.name()).isEqualTo("splunk-notable");
    }
}
