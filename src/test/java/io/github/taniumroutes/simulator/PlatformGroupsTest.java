package io.github.taniumroutes.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code POST /api/v2/groups}: Tanium's filter text parsed as Tanium parses it, matched against the inventory; what a
 * client's quoting of an alert value does to the group's members.
 */
class PlatformGroupsTest {

    @RegisterExtension
    final PlatformHttp tanium = new PlatformHttp();

    @Test
    void bareValuesRunToTheNextConnectiveAsInTheSeedsRequest() throws Exception {
        long byName = tanium.group("Computer Name equals WS-0142");
        long seedLike = tanium.group("Computer Name equals WS-0142 and IP Address equals 10.20.30.41 and Operating System equals Windows 10 Enterprise ");
        long byComputerId = tanium.group("Computer ID equals 9065204");

        assertThat(tanium.platform().groupMembers(byName)).containsExactly("WS-0142");
        assertThat(tanium.platform().groupMembers(seedLike)).containsExactly("WS-0142");
        assertThat(tanium.platform().groupMembers(byComputerId)).containsExactly("db-prod-01.corp.example");
        assertThat(tanium.platform().groupsCreated()).isEqualTo(3);
    }

    @Test
    void aGroupReadsBackWithItsTextAndTheAdHocType() throws Exception {
        long id = tanium.group("Computer Name equals WS-0142 and IP Address equals 10.20.30.41");

        PlatformHttp.Json group = tanium.get("/api/v2/groups/" + id);

        assertThat(group.status()).isEqualTo(200);
        assertThat(group.data().path("id").asLong()).isEqualTo(id);
        assertThat(group.data().path("name").asText()).isEmpty();
        assertThat(group.data().path("text").asText()).isEqualTo("Computer Name equals WS-0142 and IP Address equals 10.20.30.41");
        assertThat(group.data().path("type").asInt()).isEqualTo(3);
        assertThat(group.data().path("and_flag").asBoolean()).isTrue();
        assertThat(group.data().path("filters")).hasSize(2);
        assertThat(group.data().path("filters").get(0).path("operator").asText()).isEqualTo("Equal");
        assertThat(tanium.get("/api/v2/groups/999").status()).isEqualTo(404);
    }

    @Test
    void quotedValuesWriteALiteralQuoteAsTwo() throws Exception {
        long kiosk = tanium.group("Computer Name equals \"QA-LAB\\KIOSK \"\"7\"\"\"");
        long spaced = tanium.group("Operating System equals \"Windows 10 Enterprise\"");

        assertThat(tanium.platform().groupMembers(kiosk)).containsExactly("QA-LAB\\KIOSK \"7\"");
        assertThat(tanium.platform().groupMembers(spaced)).containsExactly("WS-0142");
    }

    @Test
    void andBindsTighterThanOrAndCaseIsIgnored() throws Exception {
        long and = tanium.group("computer name STARTS WITH laptop and IP Address ends with .11");
        long or = tanium.group("Computer Name equals mac-0007 or Computer ID equals 9065204");
        long mixed = tanium.group("Computer Name equals MAC-0007 or Computer Name contains laptop and IP Address ends with .10");
        long parenthesised = tanium.group("(Computer Name equals MAC-0007 or Computer Name contains laptop) and IP Address ends with .10");
        long negated = tanium.group("Operating System does not contain Windows");

        assertThat(tanium.platform().groupMembers(and)).containsExactly("laptop-dup");
        assertThat(tanium.platform().groupMembers(or)).containsExactly("db-prod-01.corp.example", "MAC-0007");
        assertThat(tanium.platform().groupMembers(mixed)).containsExactly("MAC-0007", "LAPTOP-DUP");
        assertThat(tanium.platform().groupMembers(parenthesised)).containsExactly("LAPTOP-DUP");
        assertThat(tanium.platform().groupMembers(negated)).containsExactly("db-prod-01.corp.example", "MAC-0007");
        JsonNode orGroup = tanium.get("/api/v2/groups/" + mixed).data();
        assertThat(orGroup.path("and_flag").asBoolean()).isFalse();
        assertThat(orGroup.path("sub_groups")).hasSize(1);
    }

    @Test
    void anAlertValueQuotedCorrectlyMatchesNothingButQuotedNaivelyWidensTheGroupToEveryone() throws Exception {
        String hostile = "WS-0142\" or Computer Name contains \"";

        long escaped = tanium.group("Computer Name equals \"" + hostile.replace("\"", "\"\"") + "\"");
        long naive = tanium.group("Computer Name equals \"" + hostile + "\"");
        PlatformHttp.Json bare = tanium.post("/api/v2/groups", PlatformHttp.MAPPER.createObjectNode().put("text", "Computer Name equals " + hostile));

        assertThat(tanium.platform().groupMembers(escaped)).isEmpty();
        assertThat(tanium.platform().group(escaped).text()).isEqualTo("Computer Name equals \"WS-0142\"\" or Computer Name contains \"\"\"");
        assertThat(tanium.platform().groupMembers(naive)).hasSize(tanium.simulator.platform().inventory().endpoints().size());
        assertThat(bare.status()).as("a quote inside a bare value").isEqualTo(400);
        assertThat(bare.text()).contains("quote");
    }

    @Test
    void textThatDoesNotParseIsA400WithTheReason() throws Exception {
        for (String text : new String[] {"", "Hostname equals WS-0142", "Computer Name equals", "Computer Name is WS-0142",
                "Computer Name equals \"WS-0142", "Computer Name equals WS-0142 and", "(Computer Name equals WS-0142"}) {
            PlatformHttp.Json reply = tanium.post("/api/v2/groups", PlatformHttp.MAPPER.createObjectNode().put("text", text));
            assertThat(reply.status()).as(text).isEqualTo(400);
            assertThat(reply.text()).as(text).isNotBlank();
        }
        assertThat(tanium.post("/api/v2/groups", "{\"name\":\"no text\"}").status()).isEqualTo(400);
        assertThat(tanium.platform().groupsCreated()).isZero();
    }

    @Test
    void configuredFilterGroupsAreGroupsToo() throws Exception {
        PlatformHttp.Json servers = tanium.get("/api/v2/groups/132113");
        PlatformHttp.Json byName = tanium.get("/api/v2/groups/by-name/" + PlatformHttp.encode("Windows Servers"));

        assertThat(servers.data().path("name").asText()).isEqualTo("Windows Servers");
        assertThat(servers.data().path("type").asInt()).isZero();
        assertThat(byName.data().path("id").asLong()).isEqualTo(132113);
        assertThat(tanium.platform().groupMembers(132113)).containsExactly("QA-LAB\\KIOSK \"7\"");
    }
}
