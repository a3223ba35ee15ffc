package io.github.taniumroutes.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The package's own parameter definition decides what may be issued: each kind, defaults, required, unknown keys. */
class TaniumPackageTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Seed 003's package, parameter_definition as Tanium sends it: a JSON document in a JSON string. */
    private static final String LOG_LEVEL = "{\"data\":{\"id\":15,\"name\":\"Set Windows Tanium Client Logging Level\",\"expire_seconds\":900,"
            + "\"parameter_definition\":\"{\\\"parameters\\\":[{\\\"maximum\\\":99,\\\"key\\\":\\\"$1\\\",\\\"stepSize\\\":1,"
            + "\\\"label\\\":\\\"Log Level (0-99)\\\",\\\"defaultValue\\\":\\\"1\\\",\\\"minimum\\\":0,\\\"value\\\":\\\"1\\\","
            + "\\\"parameterType\\\":\\\"com.tanium.components.parameters::NumericParameter\\\","
            + "\\\"model\\\":\\\"com.tanium.components.parameters::NumericParameter\\\"}],"
            + "\\\"parameterType\\\":\\\"com.tanium.components.parameters::ParametersArray\\\","
            + "\\\"model\\\":\\\"com.tanium.components.parameters::ParametersArray\\\"}\"}}";

    private static TaniumPackage withParameters(String parametersJson) throws Exception {
        ObjectNode reply = MAPPER.createObjectNode();
        ObjectNode data = reply.putObject("data").put("id", 77).put("name", "Test Package");
        data.put("parameter_definition", "{\"parameters\":" + parametersJson + "}");
        return TaniumPackage.read(MAPPER, reply.toString());
    }

    private static Map<String, String> values(String... keyValues) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            values.put(keyValues[i], keyValues[i + 1]);
        }
        return values;
    }

    @Test
    void readsTheSeedsPackageWithItsNumericParameter() throws Exception {
        TaniumPackage pkg = TaniumPackage.read(MAPPER, LOG_LEVEL);
        assertThat(pkg.id()).isEqualTo("15");
        assertThat(pkg.expireSeconds()).isEqualTo(900);
        assertThat(pkg.parameters()).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(TaniumPackage.Kind.NUMERIC);
            assertThat(p.minimum()).isEqualByComparingTo("0");
            assertThat(p.maximum()).isEqualByComparingTo("99");
            assertThat(p.defaultValue()).isEqualTo("1");
        });
        assertThat(pkg.check(values("$1", "50"))).containsExactly(Map.of("key", "$1", "value", "50"));
    }

    @Test
    void numbersOutsideTheRangeOffTheStepOrNotNumbersAreRefused() throws Exception {
        TaniumPackage pkg = TaniumPackage.read(MAPPER, LOG_LEVEL);
        assertThatThrownBy(() -> pkg.check(values("$1", "100"))).isInstanceOf(TaniumPackage.Refused.class)
                .hasMessage("package 'Set Windows Tanium Client Logging Level' parameter $1 (Log Level (0-99)): 100 is above the package's maximum 99");
        assertThatThrownBy(() -> pkg.check(values("$1", "-1"))).hasMessageContaining("below the package's minimum 0");
        assertThatThrownBy(() -> pkg.check(values("$1", "1.5"))).hasMessageContaining("not a step of 1 from 0");
        assertThatThrownBy(() -> pkg.check(values("$1", "5; rm -rf /"))).hasMessageContaining("is not a number");
        assertThat(pkg.check(values("$1", "0"))).containsExactly(Map.of("key", "$1", "value", "0"));
        assertThat(pkg.check(values("$1", "99"))).containsExactly(Map.of("key", "$1", "value", "99"));
    }

    @Test
    void aMissingValueTakesThePackagesDefaultAndWithoutOneIsRequired() throws Exception {
        assertThat(TaniumPackage.read(MAPPER, LOG_LEVEL).check(Map.of())).containsExactly(Map.of("key", "$1", "value", "1"));
        TaniumPackage noDefault = withParameters("[{\"key\":\"$1\",\"label\":\"PID\",\"model\":\"com.tanium.components.parameters::NumericParameter\"}]");
        assertThatThrownBy(() -> noDefault.check(Map.of())).hasMessageContaining("parameter $1 (PID): the package requires it");
    }

    @Test
    void aDropDownTakesOnlyItsListedValues() throws Exception {
        TaniumPackage pkg = withParameters("[{\"key\":\"$1\",\"label\":\"Mode\",\"values\":[\"Apply\",\"Remove\"],"
                + "\"model\":\"com.tanium.components.parameters::DropDownParameter\",\"defaultValue\":\"Apply\"}]");
        assertThat(pkg.parameters().get(0).kind()).isEqualTo(TaniumPackage.Kind.CHOICE);
        assertThat(pkg.check(values("$1", "Remove"))).containsExactly(Map.of("key", "$1", "value", "Remove"));
        assertThatThrownBy(() -> pkg.check(values("$1", "remove"))).hasMessageContaining("'remove' is not one of [Apply, Remove]");
    }

    @Test
    void textIsCheckedAgainstItsLengthAndValidationExpressions() throws Exception {
        TaniumPackage pkg = withParameters("[{\"key\":\"$1\",\"label\":\"Tag\",\"maxChars\":12,"
                + "\"validationExpressions\":[{\"expression\":\"^[A-Za-z0-9_-]+$\",\"helpString\":\"letters\"}],"
                + "\"model\":\"com.tanium.components.parameters::TextInputParameter\"}]");
        assertThat(pkg.check(values("$1", "Quarantined"))).containsExactly(Map.of("key", "$1", "value", "Quarantined"));
        assertThatThrownBy(() -> pkg.check(values("$1", "Quarantined-2026"))).hasMessageContaining("longer than the package's 12 characters");
        assertThatThrownBy(() -> pkg.check(values("$1", "a b"))).hasMessageContaining("does not match the package's validation expression");
    }

    @Test
    void aValidationExpressionThatCannotBeCheckedRefusesRatherThanPasses() throws Exception {
        TaniumPackage pkg = withParameters("[{\"key\":\"$1\",\"validationExpressions\":[{\"expression\":\"(unclosed\"}],"
                + "\"model\":\"com.tanium.components.parameters::TextInputParameter\"}]");
        assertThatThrownBy(() -> pkg.check(values("$1", "x"))).hasMessageContaining("cannot be checked here");
    }

    @Test
    void anEmptyDefinitionTakesNoParametersAndRefusesAnyGiven() throws Exception {
        TaniumPackage none = TaniumPackage.read(MAPPER, "{\"data\":{\"id\":9,\"name\":\"Distribute Tools\",\"parameter_definition\":\"\"}}");
        assertThat(none.parameters()).isEmpty();
        assertThat(none.check(Map.of())).isEmpty();
        assertThatThrownBy(() -> none.check(values("$1", "x"))).hasMessage("package 'Distribute Tools' has no parameter $1 (it takes none)");
    }

    @Test
    void twoParametersComeOutInThePackagesOrder() throws Exception {
        TaniumPackage pkg = withParameters("[{\"key\":\"$1\",\"model\":\"com.tanium.components.parameters::TextInputParameter\"},"
                + "{\"key\":\"$2\",\"minimum\":1,\"maximum\":10,\"model\":\"com.tanium.components.parameters::NumericParameter\"}]");
        assertThat(pkg.check(values("$2", "3", "$1", "x"))).extracting(p -> p.get("key")).containsExactly("$1", "$2");
        assertThatThrownBy(() -> pkg.check(values("$1", "x", "$2", "3", "$3", "y"))).hasMessageContaining("has no parameter $3 (it takes $1, $2)");
    }

    @Test
    void anUnreadableDefinitionOrReplyIsAClearRefusal() {
        assertThatThrownBy(() -> TaniumPackage.read(MAPPER, "{\"data\":{\"id\":1,\"name\":\"P\",\"parameter_definition\":\"{not json\"}}"))
                .hasMessageContaining("parameter_definition of package 'P' is not JSON");
        assertThatThrownBy(() -> TaniumPackage.read(MAPPER, "{\"data\":{}}")).hasMessageContaining("names no package id");
    }
}
