package io.github.taniumroutes.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** parse_question's candidates and their ranking, then a question from ask to rows. */
class PlatformQuestionsTest {

    private static final String DNS_ON_WS = "Get Trace DNS Queries from all machines with Computer Name equals WS-0142";
    @RegisterExtension
    final PlatformHttp tanium = new PlatformHttp();

    @Test
    void theExactInterpretationComesFirstWithACanonicalQuestionText() throws Exception {
        JsonNode candidates = parse(DNS_ON_WS);

        assertThat(candidates).hasSize(2);
        JsonNode exact = candidates.get(0);
        assertThat(exact.path("question_text").asText())
                .isEqualTo("Get Trace DNS Queries from all machines with Computer Name equals \"WS-0142\"");
        assertThat(exact.path("selects").get(0).path("sensor").path("name").asText()).isEqualTo("Trace DNS Queries");
        assertThat(exact.path("selects").get(0).path("sensor").path("hash").asLong()).isPositive();
        JsonNode filter = exact.path("group").path("filters").get(0);
        assertThat(filter.path("sensor").path("name").asText()).isEqualTo("Computer Name");
        assertThat(filter.path("operator").asText()).isEqualTo("Equal");
        assertThat(filter.path("value").asText()).isEqualTo("WS-0142");
        assertThat(exact.path("sensor_references").get(0).path("start_char").asText()).isEqualTo("4");
        assertThat(candidates.get(1).path("group").path("filters").get(0).path("operator").asText()).isEqualTo("RegexMatch");
        assertThat(tanium.platform().parseQuestions()).isEqualTo(1);
    }

    @Test
    void misrankedALooserInterpretationComesFirst() throws Exception {
        tanium.control("{\"misrankParse\":true}");

        JsonNode candidates = parse(DNS_ON_WS);

        assertThat(candidates.get(0).path("question_text").asText()).contains("contains \"WS-0142\"");
        assertThat(candidates.get(0).path("group").path("filters").get(0).path("value").asText()).isEqualTo(".*WS-0142.*");
        assertThat(candidates.get(1).path("question_text").asText()).contains("equals \"WS-0142\"");
    }

    @Test
    void anUnknownSensorHasNoCandidate() throws Exception {
        assertThat(parse("Get Trace Teleportations from all machines")).isEmpty();
        assertThat(parse("Get Trace DNS Queries from all machines with Hostname equals WS-0142")).isEmpty();
    }

    @Test
    void bracketParametersComeBackAsParameterValues() throws Exception {
        JsonNode candidate = parse("Get Trace Executed Processes[1 hour,\"\",0,0,1,0,rundll32] from all machines").get(0);

        assertThat(candidate.path("parameter_values")).extracting(JsonNode::asText).containsExactly("1 hour", "", "0", "0", "1", "0", "rundll32");
        assertThat(candidate.has("group")).as("no filter, no group").isFalse();
        assertThat(candidate.path("question_text").asText()).startsWith("Get Trace Executed Processes[1 hour,");
    }

    @Test
    void aQuestionIsA404UntilTheFirstAnswerThenRowsOfItsTargetOnly() throws Exception {
        tanium.platform().questionDelay(Duration.ofMillis(600)).estimatedTotalUnknown(Duration.ofMillis(150));
        ObjectNode parsed = (ObjectNode) parse(DNS_ON_WS).get(0);
        parsed.put("expire_seconds", 600);

        PlatformHttp.Json asked = tanium.post("/api/v2/questions", parsed);
        long id = asked.data().path("id").asLong();

        assertThat(asked.status()).isEqualTo(200);
        PlatformHttp.Json early = tanium.get("/api/v2/result_data/question/" + id);
        assertThat(early.status()).isEqualTo(404);
        assertThat(early.text()).isEqualTo(PlatformHandler.NOT_READY);
        JsonNode info = tanium.get("/api/v2/result_info/question/" + id).data().path("result_infos").get(0);
        assertThat(info.path("estimated_total").asInt()).isZero();
        assertThat(info.path("mr_tested").asInt()).isZero();
        assertThat(info.has("rows")).isFalse();

        tanium.advance(100);
        JsonNode first = tanium.get("/api/v2/result_data/question/" + id).data().path("result_sets").get(0);
        assertThat(first.path("mr_tested").asInt()).as("one of six has answered").isEqualTo(1);
        assertThat(first.path("estimated_total").asInt()).isZero();
        assertThat(first.path("columns")).extracting(c -> c.path("name").asText())
                .containsExactly("Timestamp", "Process ID", "Process Path", "User", "Query", "Response", "Count");
        assertThat(first.path("rows")).hasSize(2);
        assertThat(first.path("rows")).allSatisfy(row -> assertThat(row.path("cid").asLong()).isEqualTo(9065203L));
        assertThat(first.path("rows").get(0).path("data").get(4).get(0).path("text").asText()).isEqualTo("c2.badexample.net");

        tanium.advance(500);
        JsonNode all = tanium.get("/api/v2/result_info/question/" + id).data().path("result_infos").get(0);
        assertThat(all.path("estimated_total").asInt()).as("the question went to every machine").isEqualTo(6);
        assertThat(all.path("mr_tested").asInt()).isEqualTo(6);
        assertThat(all.path("passed").asInt()).isEqualTo(1);
        assertThat(tanium.platform().questions()).singleElement().satisfies(q -> assertThat(q.targetNames()).containsExactly("WS-0142"));
        JsonNode metadata = tanium.get("/api/v2/questions/" + id).data();
        assertThat(metadata.path("query_text").asText()).contains("Trace DNS Queries");
        assertThat(metadata.path("is_expired").asBoolean()).isFalse();
    }

    @Test
    void sensorParametersFilterAndLimitTheRows() throws Exception {
        ObjectNode body = PlatformHttp.MAPPER.createObjectNode();
        ObjectNode sensor = body.putArray("selects").addObject().putObject("sensor").put("name", "Trace Executed Processes");
        sensor.putArray("parameters").addObject().put("key", "||CommandLine||").put("value", "whoami");
        body.set("group", parse("Get Trace Executed Processes from all machines with Computer Name equals WS-0142").get(0).path("group"));
        ObjectNode limited = body.deepCopy();
        ((ObjectNode) limited.path("selects").get(0).path("sensor").path("parameters").get(0)).put("key", "||MaxResultsPerHost||").put("value", "1");

        long filtered = tanium.post("/api/v2/questions", body).data().path("id").asLong();
        long capped = tanium.post("/api/v2/questions", limited).data().path("id").asLong();

        JsonNode whoami = tanium.get("/api/v2/result_data/question/" + filtered).data().path("result_sets").get(0).path("rows");
        assertThat(whoami).singleElement().satisfies(row -> assertThat(row.path("data").get(6).get(0).path("text").asText()).isEqualTo("cmd.exe /c whoami /all"));
        assertThat(tanium.get("/api/v2/result_data/question/" + capped).data().path("result_sets").get(0).path("rows")).hasSize(1);
    }

    @Test
    void anEndpointWithoutTraceRowsAnswersNoResults() throws Exception {
        long id = tanium.post("/api/v2/questions", "{\"query_text\":\"Get Trace DNS Queries from all machines with Computer Name equals MAC-0007\"}")
                .data().path("id").asLong();

        JsonNode set = tanium.get("/api/v2/result_data/question/" + id).data().path("result_sets").get(0);

        assertThat(set.path("no_results_count").asInt()).isEqualTo(1);
        assertThat(set.path("rows")).singleElement().satisfies(row -> {
            assertThat(row.path("cid").asLong()).isEqualTo(9065205L);
            assertThat(row.path("data").get(0).get(0).path("text").asText()).isEqualTo("[no results]");
        });
    }

    @Test
    void queryTextRunsTheFirstInterpretationSoAMisrankWidensIt() throws Exception {
        String text = "Get Computer Name from all machines with IP Address equals 10.20.60.1";
        long exact = tanium.post("/api/v2/questions", PlatformHttp.MAPPER.createObjectNode().put("query_text", text)).data().path("id").asLong();
        tanium.platform().misrankParse(true);
        long loose = tanium.post("/api/v2/questions", PlatformHttp.MAPPER.createObjectNode().put("query_text", text)).data().path("id").asLong();
        ObjectNode chosen = (ObjectNode) matching(parse(text), "Get Computer Name from all machines with IP Address equals \"10.20.60.1\"");
        long parsed = tanium.post("/api/v2/questions", chosen).data().path("id").asLong();

        List<PlatformControl.AskedQuestion> questions = tanium.platform().questions();
        assertThat(questions.get(0).id()).isEqualTo(exact);
        assertThat(questions.get(0).targets()).isEmpty();
        assertThat(questions.get(1).id()).isEqualTo(loose);
        assertThat(questions.get(1).targetNames()).containsExactly("LAPTOP-DUP", "laptop-dup");
        assertThat(questions.get(2).id()).isEqualTo(parsed);
        assertThat(questions.get(2).targets()).as("the candidate whose text matches what was asked").isEmpty();
        assertThat(tanium.post("/api/v2/questions", "{\"query_text\":\"Get Nothing from all machines\"}").status()).isEqualTo(400);
        assertThat(tanium.get("/api/v2/result_data/question/424242").status()).isEqualTo(404);
    }

    private JsonNode parse(String text) throws Exception {
        PlatformHttp.Json reply = tanium.post("/api/v2/parse_question", PlatformHttp.MAPPER.createObjectNode().put("text", text));
        assertThat(reply.status()).isEqualTo(200);
        return reply.data();
    }

    private static JsonNode matching(JsonNode candidates, String questionText) {
        List<JsonNode> found = new ArrayList<>();
        candidates.forEach(c -> {
            if (c.path("question_text").asText().equals(questionText)) {
                found.add(c);
            }
        });
        assertThat(found).hasSize(1);
        return found.get(0);
    }
}
