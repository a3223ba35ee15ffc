package io.github.taniumroutes.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

/** Action groups, packages and sensors by their percent-encoded names, with the package parameter definitions Tanium serves. */
class PlatformLookupsTest {

    private static final String MODEL = "com.tanium.components.parameters::";
    @RegisterExtension
    final PlatformHttp tanium = new PlatformHttp();

    @Test
    void actionGroupsByEncodedNameAndEveryLookupIsCounted() throws Exception {
        PlatformHttp.Json all = tanium.get("/api/v2/action_groups/by-name/All%20Computers");
        PlatformHttp.Json defaults = tanium.get("/api/v2/action_groups/by-name/Default");
        PlatformHttp.Json unknown = tanium.get("/api/v2/action_groups/by-name/" + PlatformHttp.encode("No Such Group"));
        tanium.get("/api/v2/action_groups/by-name/All%20Computers");

        assertThat(all.status()).isEqualTo(200);
        assertThat(all.data().path("id").asLong()).isEqualTo(6818);
        assertThat(all.data().path("name").asText()).isEqualTo("All Computers");
        assertThat(defaults.data().path("name").asText()).isEqualTo("Default");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.text()).contains("NotFound");
        assertThat(tanium.platform().actionGroupLookups("All Computers")).isEqualTo(2);
        assertThat(tanium.platform().actionGroupLookups("No Such Group")).isEqualTo(1);
        assertThat(tanium.platform().actionGroupLookups()).isEqualTo(4);
    }

    @Test
    void theSeedsNumericPackageAsTaniumServesIt() throws Exception {
        PlatformHttp.Json reply = tanium.get("/api/v2/packages/by-name/" + PlatformHttp.encode("Set Windows Tanium Client Logging Level"));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.data().path("id").asLong()).isEqualTo(15);
        assertThat(reply.data().path("expire_seconds").asInt()).isEqualTo(900);
        assertThat(reply.data().path("command").asText()).contains("/d $1 /f");
        assertThat(reply.data().path("parameter_definition").isTextual()).as("a JSON document inside a JSON string").isTrue();
        JsonNode definition = PlatformHttp.MAPPER.readTree(reply.data().path("parameter_definition").asText());
        assertThat(definition.path("model").asText()).isEqualTo(MODEL + "ParametersArray");
        JsonNode level = definition.path("parameters").get(0);
        assertThat(level.path("model").asText()).isEqualTo(MODEL + "NumericParameter");
        assertThat(level.path("parameterType").asText()).isEqualTo(MODEL + "NumericParameter");
        assertThat(level.path("key").asText()).isEqualTo("$1");
        assertThat(level.path("minimum").asInt()).isZero();
        assertThat(level.path("maximum").asInt()).isEqualTo(99);
        assertThat(level.path("stepSize").asInt()).isEqualTo(1);
        assertThat(level.path("defaultValue").asText()).isEqualTo("1");
        assertThat(tanium.platform().packageLookups("Set Windows Tanium Client Logging Level")).isEqualTo(1);
    }

    @Test
    void theOtherKindsOfParameterDefinition() throws Exception {
        JsonNode kill = definition("Kill Process").path("parameters").get(0);
        JsonNode tags = definition("Custom Tagging - Add Tags").path("parameters").get(0);
        JsonNode power = definition("Set Windows Power Plan").path("parameters").get(0);
        JsonNode quarantine = definition("Apply Windows IPsec Quarantine").path("parameters");
        PlatformHttp.Json utilities = tanium.get("/api/v2/packages/by-name/" + PlatformHttp.encode("Distribute Tanium Standard Utilities"));

        assertThat(kill.path("model").asText()).isEqualTo(MODEL + "NumericParameter");
        assertThat(kill.path("key").asText()).isEqualTo("$1");
        assertThat(tags.path("model").asText()).isEqualTo(MODEL + "TextInputParameter");
        assertThat(tags.path("validationExpressions").get(0).path("expression").asText()).isEqualTo("\\S");
        assertThat(tags.path("validationExpressions").get(0).path("model").asText()).isEqualTo("com.tanium.models::ValidationExpression");
        assertThat(tags.has("maxChars")).isTrue();
        assertThat(power.path("model").asText()).isEqualTo(MODEL + "DropDownParameter");
        assertThat(power.path("values")).extracting(JsonNode::asText).containsExactly("Balanced", "High performance", "Power saver");
        assertThat(quarantine).extracting(p -> p.path("model").asText()).containsExactly(MODEL + "CheckBoxParameter",
                MODEL + "SeparatorParameter", MODEL + "TextAreaParameter");
        assertThat(quarantine.get(1).has("key")).as("a separator has no key").isFalse();
        assertThat(utilities.data().path("parameter_definition").asText()).isEmpty();
        assertThat(tanium.get("/api/v2/packages/by-name/" + PlatformHttp.encode("No Such Package")).status()).isEqualTo(404);
        assertThat(tanium.platform().packageLookups()).isEqualTo(6);
    }

    @Test
    void aPlusInAnEncodedNameIsAPlusNotASpace() throws Exception {
        assertThat(tanium.get("/api/v2/packages/by-name/Kill+Process").status()).isEqualTo(404);
        assertThat(tanium.get("/api/v2/packages/by-name/Kill%20Process").status()).isEqualTo(200);
        assertThat(tanium.platform().packageLookups("Kill+Process")).isEqualTo(1);
    }

    @Test
    void traceSensorsCarryTheirParameterDefinition() throws Exception {
        PlatformHttp.Json sensor = tanium.get("/api/v2/sensors/by-name/" + PlatformHttp.encode("Trace Executed Processes"));

        JsonNode parameters = PlatformHttp.MAPPER.readTree(sensor.data().path("parameter_definition").asText()).path("parameters");
        assertThat(parameters).extracting(p -> p.path("key").asText()).containsExactly("TimeRange", "AbsoluteTimeRange", "TreatInputAsRegEx",
                "OutputYesOrNoFlag", "MaxResultsPerHost", "MakeStackable", "ProcessPath", "ParentProcessPath", "CommandLine", "MD5", "Domain",
                "Username");
        assertThat(sensor.data().path("hash").asLong()).isPositive();
        assertThat(sensor.data().path("subcolumns").get(6).path("name").asText()).isEqualTo("Command Line");
        assertThat(sensor.data().toString()).doesNotContain("_column");
        assertThat(tanium.platform().sensorLookups("Trace Executed Processes")).isEqualTo(1);
    }

    private JsonNode definition(String name) throws Exception {
        PlatformHttp.Json reply = tanium.get("/api/v2/packages/by-name/" + PlatformHttp.encode(name));
        assertThat(reply.status()).as(name).isEqualTo(200);
        return PlatformHttp.MAPPER.readTree(reply.data().path("parameter_definition").asText());
    }
}
