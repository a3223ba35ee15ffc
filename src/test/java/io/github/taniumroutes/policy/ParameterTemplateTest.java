package io.github.taniumroutes.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.github.taniumroutes.alert.CanonicalAlert;

class ParameterTemplateTest {

    private static CanonicalAlert alert(String hostname, CanonicalAlert.ProcessInfo process, CanonicalAlert.FileInfo file) {
        return new CanonicalAlert("a-1", "splunk", "notable", "2024-01-01T00:00:00Z", "high", "malware", "Bad Thing",
                hostname, "10.0.0.5", "ep-42", process, file, "203.0.113.9", List.of("prod"), null);
    }

    private static final CanonicalAlert ALERT = alert("web-01",
            new CanonicalAlert.ProcessInfo("evil.exe", 4242L, "abc123"),
            new CanonicalAlert.FileInfo("C:\\Temp\\evil.exe", "def456"));

    @Test
    void substitutesAlertFields() throws Exception {
        assertThat(ParameterTemplate.render("$1", "${process.pid}", ALERT)).isEqualTo("4242");
        assertThat(ParameterTemplate.render("$1", "${ hostname }", ALERT)).isEqualTo("web-01");
        assertThat(ParameterTemplate.render("$1", "host ${hostname} at ${ip}", ALERT)).isEqualTo("host web-01 at 10.0.0.5");
        assertThat(ParameterTemplate.render("$2", "${file.path}", ALERT)).isEqualTo("C:\\Temp\\evil.exe");
        assertThat(ParameterTemplate.render("$3", Map.of("value", "${process.name}"), ALERT)).isEqualTo("evil.exe");
        assertThat(ParameterTemplate.render("$4", "literal", ALERT)).isEqualTo("literal");
        assertThat(ParameterTemplate.render("$5", "${taniumEndpointId}/${remoteAddress}", ALERT)).isEqualTo("ep-42/203.0.113.9");
        CanonicalAlert withCommandLine = alert("web-01", new CanonicalAlert.ProcessInfo("evil.exe", 1L, null, "evil.exe -x"), null);
        assertThat(ParameterTemplate.render("$6", "${process.commandLine}", withCommandLine)).isEqualTo("evil.exe -x");
    }

    @Test
    void substitutedValueIsNotReinterpreted() throws Exception {
        CanonicalAlert a = alert("${ip}", null, null);
        // ${ip} in a hostname is data, not a template; '$' and braces are not allowed characters anyway
        assertThatThrownBy(() -> ParameterTemplate.render("$1", "${hostname}", a))
                .isInstanceOf(ParameterTemplate.Rejected.class);
        assertThat(ParameterTemplate.render("$1", Map.of("value", "${hostname}", "pattern", ".*"), a)).isEqualTo("${ip}");
    }

    @Test
    void integerType() throws Exception {
        assertThat(ParameterTemplate.render("$1", Map.of("value", "${process.pid}", "type", "integer"), ALERT)).isEqualTo("4242");
        ParameterTemplate.Rejected rejected = catchThrowableOfType(ParameterTemplate.Rejected.class,
                () -> ParameterTemplate.render("$1", Map.of("value", "${hostname}", "type", "integer"), ALERT));
        assertThat(rejected.parameter()).isEqualTo("$1");
        assertThat(rejected.field()).isEqualTo("hostname");
        assertThat(rejected).hasMessageContaining("not an integer").hasMessageContaining("hostname");
    }

    @Test
    void maxLength() throws Exception {
        assertThat(ParameterTemplate.render("$1", Map.of("value", "${hostname}", "maxLength", "6"), ALERT)).isEqualTo("web-01");
        assertThat(ParameterTemplate.render("$1", Map.of("value", "${hostname}", "maxLength", 6), ALERT)).isEqualTo("web-01");
        assertThatThrownBy(() -> ParameterTemplate.render("$1", Map.of("value", "${hostname}", "maxLength", "5"), ALERT))
                .isInstanceOf(ParameterTemplate.Rejected.class)
                .hasMessageContaining("longer than 5");
    }

    @Test
    void defaultMaxLengthIs256() throws Exception {
        assertThat(ParameterTemplate.render("$1", "${hostname}", alert("a".repeat(256), null, null))).hasSize(256);
        assertThatThrownBy(() -> ParameterTemplate.render("$1", "${hostname}", alert("a".repeat(257), null, null)))
                .isInstanceOf(ParameterTemplate.Rejected.class)
                .hasMessageContaining("longer than 256");
    }

    @Test
    void defaultAllowsOrdinaryValues() throws Exception {
        String ok = "Ünïcode host_1.example:8080/x\\y -z";
        assertThat(ParameterTemplate.render("$1", "${hostname}", alert(ok, null, null))).isEqualTo(ok);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a;rm -rf /", "a|b", "$(id)", "a$(id)b", "`id`", "a'b", "a\"b", "a\nb", "a\rb", "a&b", "a>b", "a\tb"})
    void defaultRejectsShellCharacters(String hostname) {
        ParameterTemplate.Rejected rejected = catchThrowableOfType(ParameterTemplate.Rejected.class,
                () -> ParameterTemplate.render("$1", "${hostname}", alert(hostname, null, null)));
        assertThat(rejected).isNotNull();
        assertThat(rejected.parameter()).isEqualTo("$1");
        assertThat(rejected.field()).isEqualTo("hostname");
        assertThat(rejected).hasMessageContaining("characters outside");
    }

    @Test
    void customPatternReplacesDefault() throws Exception {
        Map<String, Object> hexOnly = Map.of("value", "${process.hash}", "pattern", "[0-9a-f]+");
        assertThat(ParameterTemplate.render("$1", hexOnly, ALERT)).isEqualTo("abc123");
        assertThatThrownBy(() -> ParameterTemplate.render("$1", hexOnly,
                alert("h", new CanonicalAlert.ProcessInfo("p", 1L, "XYZ"), null)))
                .isInstanceOf(ParameterTemplate.Rejected.class)
                .hasMessageContaining("[0-9a-f]+");
        // a custom pattern may allow what the default refuses
        Map<String, Object> semicolons = Map.of("value", "${hostname}", "pattern", "[a-z;]+");
        assertThat(ParameterTemplate.render("$1", semicolons, alert("a;b", null, null))).isEqualTo("a;b");
    }

    @Test
    void missingFieldIsRejectedNamingParameterAndField() {
        CanonicalAlert noProcess = alert("web-01", null, null);
        ParameterTemplate.Rejected rejected = catchThrowableOfType(ParameterTemplate.Rejected.class,
                () -> ParameterTemplate.render("$2", "${process.pid}", noProcess));
        assertThat(rejected.parameter()).isEqualTo("$2");
        assertThat(rejected.field()).isEqualTo("process.pid");
        assertThat(rejected).hasMessageContaining("$2").hasMessageContaining("process.pid");

        CanonicalAlert noPid = alert("web-01", new CanonicalAlert.ProcessInfo("evil.exe", null, null), null);
        rejected = catchThrowableOfType(ParameterTemplate.Rejected.class,
                () -> ParameterTemplate.render("$1", Map.of("value", "${process.pid}", "type", "integer"), noPid));
        assertThat(rejected.field()).isEqualTo("process.pid");

        rejected = catchThrowableOfType(ParameterTemplate.Rejected.class,
                () -> ParameterTemplate.render("$1", "${file.hash}", noProcess));
        assertThat(rejected.field()).isEqualTo("file.hash");
    }

    @Test
    void fieldsOfListsReferences() {
        assertThat(ParameterTemplate.fieldsOf("${a} and ${ b.c }")).containsExactly("a", "b.c");
        assertThat(ParameterTemplate.fieldsOf("none")).isEmpty();
        assertThat(ParameterTemplate.FIELDS).contains("process.pid", "hostname", "file.path", "remoteAddress");
    }
}
