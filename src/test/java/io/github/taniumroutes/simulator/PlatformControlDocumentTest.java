package io.github.taniumroutes.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

/** {@code GET|PUT /__simulator/platform}, and the platform API under the simulator's recording and fault injection. */
class PlatformControlDocumentTest {

    @RegisterExtension
    final PlatformHttp tanium = new PlatformHttp();

    @Test
    void settingsAreChangedAndShownAndTheControlPathIsNotRecorded() throws Exception {
        PlatformHttp.Json set = tanium.control("{\"approval\":\"required\",\"actionDurationMs\":2000,\"failingEndpoints\":[\"WS-0142\"],"
                + "\"estimatedTotalUnknownMs\":500,\"overReport\":3,\"questionDelayMs\":1500,\"misrankParse\":true,\"actionListLimit\":7}");

        assertThat(set.status()).isEqualTo(200);
        JsonNode shown = set.body();
        assertThat(shown.path("approval").asText()).isEqualTo("required");
        assertThat(shown.path("actionDurationMs").asLong()).isEqualTo(2000);
        assertThat(shown.path("failingEndpoints")).extracting(JsonNode::asText).containsExactly("ws-0142");
        assertThat(shown.path("estimatedTotalUnknownMs").asLong()).isEqualTo(500);
        assertThat(shown.path("overReport").asInt()).isEqualTo(3);
        assertThat(shown.path("questionDelayMs").asLong()).isEqualTo(1500);
        assertThat(shown.path("misrankParse").asBoolean()).isTrue();
        assertThat(shown.path("actionListLimit").asInt()).isEqualTo(7);
        assertThat(tanium.simulator.requests()).as("control requests are not recorded").isEmpty();

        assertThat(tanium.control("{\"reset\":true}").body().path("approval").asText()).isEqualTo("none");
    }

    @Test
    void countersShowWhatReachedThePlatform() throws Exception {
        tanium.get("/api/v2/action_groups/by-name/Default");
        tanium.get("/api/v2/packages/by-name/Kill%20Process");
        tanium.group("Computer Name equals WS-0142");

        JsonNode counters = tanium.control("{}").body().path("counters");

        assertThat(counters.path("groupsCreated").asInt()).isEqualTo(1);
        assertThat(counters.path("actionGroupLookups").asInt()).isEqualTo(1);
        assertThat(counters.path("packageLookupsByName").path("Kill Process").asInt()).isEqualTo(1);
        assertThat(tanium.simulator.requests("/api/v2/groups")).singleElement()
                .satisfies(r -> assertThat(r.body()).contains("WS-0142"));
    }

    @Test
    void aBadDocumentChangesNothing() throws Exception {
        for (String document : new String[] {"[]", "{\"approval\":\"maybe\"}", "{\"actionDurationMs\":-1}", "{\"approve\":424242}",
                "{\"approval\":\"required\",\"surprise\":1}"}) {
            PlatformHttp.Json reply = tanium.control(document);
            assertThat(reply.status()).as(document).isEqualTo(400);
            assertThat(reply.text()).as(document).startsWith("bad platform document");
        }
        assertThat(tanium.control("{}").body().path("approval").asText()).isEqualTo("none");
    }

    @Test
    void faultsApplyToThePlatformApiToo() throws Exception {
        tanium.simulator.faults().failNextMatching("^/api/v2/actions", 1, 503);

        assertThat(tanium.get("/api/v2/actions").status()).isEqualTo(503);
        assertThat(tanium.get("/api/v2/actions").status()).isEqualTo(200);
        assertThat(tanium.get("/api/v2/session/current").data().path("id").asInt()).as("the session area keeps its handler")
                .isEqualTo(TaniumSimulator.USER_ID);
    }
}
