package io.github.taniumroutes.alert;

import static io.github.taniumroutes.alert.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import io.github.taniumroutes.alert.CanonicalAlert.FileInfo;
import io.github.taniumroutes.alert.CanonicalAlert.ProcessInfo;

class CanonicalAlertFormatTest {

    private final AlertParser parser = parser();
    private final CanonicalAlertFormat format = new CanonicalAlertFormat();

    private CanonicalAlert parse(ObjectNode alert) throws InvalidAlertException {
        return parser.parse(toBytes(alert));
    }

    @Test
    void minimalCanonicalAlertDefaultsSourceAndSeverity() throws Exception {
        CanonicalAlert alert = parser.parse(utf8("{\"schemaVersion\":1,\"id\":\"x:1\",\"hostname\":\"ws-1\"}"));
        assertThat(alert.id()).isEqualTo("x:1");
        assertThat(alert.source()).isEqualTo("canonical");
        assertThat(alert.format()).isEqualTo("canonical");
        assertThat(alert.severity()).isEqualTo("unknown");
        assertThat(alert.time()).isNull();
        assertThat(alert.process()).isNull();
        assertThat(alert.file()).isNull();
        assertThat(alert.hostname()).isEqualTo("ws-1");
    }

    @Test
    void embeddedRawIsKeptAsTheRawDocument() throws Exception {
        ObjectNode alert = tree(CANONICAL);
        alert.set("raw", tree(THREAT_RESPONSE));
        assertThat(parse(alert).raw()).isEqualTo(tree(THREAT_RESPONSE));
    }

    @Test
    void epochMillisTimeIsNormalised() throws Exception {
        ObjectNode alert = tree(CANONICAL);
        alert.put("time", 1697459211000L);
        assertThat(parse(alert).time()).isEqualTo("2023-10-16T12:26:51Z");
    }

    @Test
    void numericSeverityIsNormalised() throws Exception {
        ObjectNode alert = tree(CANONICAL);
        alert.put("severity", 4);
        assertThat(parse(alert).severity()).isEqualTo("critical");
    }

    @Test
    void processPidAsDigitStringAndPartialFileAreAccepted() throws Exception {
        ObjectNode alert = tree(CANONICAL);
        ((ObjectNode) alert.get("process")).put("pid", "9080");
        alert.putObject("file").put("path", "/tmp/x");
        CanonicalAlert parsed = parse(alert);
        assertThat(parsed.process()).isEqualTo(new ProcessInfo("msedge.exe", 9080L, TR_SHA256, TR_COMMAND_LINE));
        assertThat(parsed.file()).isEqualTo(new FileInfo("/tmp/x", null));
    }

    @Test
    void aProcessCommandLineIsKept() throws Exception {
        ObjectNode alert = tree(CANONICAL);
        ((ObjectNode) alert.get("process")).put("commandLine", "\"C:\\Temp\\x.exe\" --beacon \"a b\"");
        assertThat(parse(alert).process().commandLine()).isEqualTo("\"C:\\Temp\\x.exe\" --beacon \"a b\"");
        ObjectNode without = tree(CANONICAL);
        ((ObjectNode) without.get("process")).remove("commandLine");
        assertThat(parse(without).process().commandLine()).as("none given").isNull();
    }

    @Test
    void nullProcessAndFileObjectsAreAbsent() throws Exception {
        ObjectNode alert = tree(CANONICAL);
        alert.putNull("process");
        alert.putNull("file");
        CanonicalAlert parsed = parse(alert);
        assertThat(parsed.process()).isNull();
        assertThat(parsed.file()).isNull();
    }

    @Test
    void fileThatIsAnArrayIsWrongTypeNamingFile() {
        ObjectNode alert = tree(CANONICAL);
        alert.putArray("file").add("C:\\x");
        InvalidAlertException e = catchThrowableOfType(InvalidAlertException.class, () -> parse(alert));
        assertThat(e.reason()).isEqualTo("wrong_type");
        assertThat(e.getMessage()).isEqualTo("field 'file' must be an object");
    }

    @Test
    void remoteAddressIsCarried() throws Exception {
        ObjectNode alert = tree(CANONICAL);
        alert.put("remoteAddress", "203.0.113.45");
        assertThat(parse(alert).remoteAddress()).isEqualTo("203.0.113.45");
    }

    @Test
    void recognisesSchemaVersionWithIdAndNoResult() {
        assertThat(format.recognises(tree(CANONICAL))).isTrue();
        assertThat(format.recognises(read("{\"schemaVersion\":1,\"id\":null}"))).isTrue();
        assertThat(format.recognises(read("{\"schemaVersion\":1}"))).isFalse();
        assertThat(format.recognises(read("{\"id\":\"x\"}"))).isFalse();
        assertThat(format.recognises(read("{\"schemaVersion\":1,\"id\":\"x\",\"result\":{}}"))).isFalse();
    }

    @Test
    void splunkWinsOverCanonicalForAWebhookThatAlsoHasSchemaVersionAndId() throws Exception {
        ObjectNode webhook = tree(SPLUNK);
        webhook.put("schemaVersion", 1);
        webhook.put("id", "not-canonical");
        assertThat(parse(webhook).format()).isEqualTo("splunk-notable");
    }

    @Test
    void formatNameIsCanonical() {
        assertThat(format.name()).isEqualTo("canonical");
    }
}
