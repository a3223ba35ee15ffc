package io.github.taniumroutes.question;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.taniumroutes.alert.CanonicalAlert;
import io.github.taniumroutes.investigation.Investigation;
import io.github.taniumroutes.investigation.InvestigationProgress;
import io.github.taniumroutes.investigation.InvestigationRequest;
import io.github.taniumroutes.investigation.Investigations;
import io.github.taniumroutes.investigation.MutableClock;
import io.github.taniumroutes.investigation.PlanStep;
import io.github.taniumroutes.investigation.Target;
import io.github.taniumroutes.policy.ParameterTemplate;

/** A question about the endpoint: its text, the parser's reading, the parameters as values, then counters and rows. */
class QuestionStepsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final MutableClock clock = new MutableClock(0);
    private final InvestigationProgress progress = Investigations.progress(clock, new QuestionFlow());
    private final QuestionSteps steps = new QuestionSteps(MAPPER, progress, 2, 90, Duration.ofMinutes(10));

    private Investigation question(String hostname, Map<String, Object> parameters) {
        Investigation investigation = Investigation.accepted(InvestigationRequest.of("inv", "a-1", "default",
                new Target("9065203", hostname, "10.0.0.1", "Windows", "1003"), "rule", "v1", "t",
                List.of(new PlanStep("question", parameters, false))), 0, 0);
        progress.begin(investigation);
        return investigation;
    }

    private Investigation trace() {
        return question("WS-0142", Map.of("sensor", "Trace DNS Queries", "parameters", Map.of("MaxResultsPerHost", "50")));
    }

    @Test
    void theQuestionNamesTheEndpointQuotedAsInTargetingText() {
        assertThat(steps.questionText(trace()))
                .isEqualTo("Get Trace DNS Queries from all machines with Computer Name equals \"WS-0142\" and Computer ID equals \"9065203\"");
        Investigation unsafe = question("WS\r\nx", Map.of("sensor", "Trace DNS Queries"));
        assertThat(steps.questionText(unsafe)).isNull();
        assertThat(unsafe.getOutcome()).isEqualTo("rejected");
    }

    @Test
    void theReadingAskedIsTheOneWhoseTextIsTheQuestionNotTheFirstAndTheParametersGoAsValues() throws Exception {
        Investigation investigation = trace();
        String asked = steps.questionText(investigation);
        String reply = "{\"data\":[{\"question_text\":\"Get Trace DNS Queries from all machines with (Computer Name contains \\\"WS-0142\\\" "
                + "and Computer ID contains \\\"9065203\\\")\",\"selects\":[{\"sensor\":{\"name\":\"Trace DNS Queries\",\"hash\":11}}]},"
                + "{\"question_text\":\"Get Trace DNS Queries from all machines with (Computer Name equals \\\"WS-0142\\\" "
                + "and Computer ID equals \\\"9065203\\\")\",\"selects\":[{\"sensor\":{\"name\":\"Trace DNS Queries\",\"hash\":11}}],"
                + "\"group\":{\"and_flag\":true}}]}";

        JsonNode body = MAPPER.readTree(steps.questionBody(investigation, asked, reply));

        assertThat(body.path("question_text").asText()).contains("equals");
        JsonNode sensor = body.path("selects").get(0).path("sensor");
        assertThat(sensor.path("parameters")).isEqualTo(MAPPER.readTree("[{\"key\":\"||MaxResultsPerHost||\",\"value\":\"50\"}]"));
        assertThat(sensor.path("source_hash").asLong()).isEqualTo(11);
        assertThat(sensor.has("hash")).isFalse();
        assertThat(body.path("group").path("and_flag").asBoolean()).as("the candidate's own filter is asked").isTrue();
    }

    @Test
    void noReadingAsAskedRejectsTheStepAndSaysHowTaniumReadIt() {
        Investigation investigation = trace();
        String asked = steps.questionText(investigation);
        assertThat(steps.questionBody(investigation, asked, "{\"data\":[{\"question_text\":\"Get Trace DNS Queries from all machines\"}]}")).isNull();
        assertThat(investigation.getOutcome()).isEqualTo("rejected");
        assertThat(investigation.getCurrent().getDetails()).containsEntry("parsedAs", List.of("Get Trace DNS Queries from all machines"));

        Investigation unknown = trace();
        assertThat(steps.questionBody(unknown, asked, "{\"data\":[]}")).isNull();
        assertThat(unknown.getReason()).contains("did not understand").contains("Trace DNS Queries");
    }

    @Test
    void theCountersWaitUntilTheEndpointAnsweredThenTheRowsAreReadUpToTheCap() {
        Investigation investigation = trace();
        steps.asked(investigation, "{\"data\":{\"id\":4242}}");
        assertThat(investigation.getState()).containsEntry("questionId", "4242");
        assertThat(investigation.getPhase()).isEqualTo("await-results");

        assertThat(steps.infoSeen(investigation, "{\"data\":{\"result_infos\":[{\"estimated_total\":0,\"mr_tested\":0,\"mr_passed\":0}]}}"))
                .isFalse();
        assertThat(investigation.getNextDelayMs()).isPositive();
        assertThat(steps.infoSeen(investigation, "{\"data\":{\"result_infos\":[{\"estimated_total\":40,\"mr_tested\":3,\"mr_passed\":1}]}}"))
                .as("the endpoint answered, whatever the rest of the fleet").isTrue();
        steps.notReady(investigation);
        assertThat(investigation.getOutcome()).isNull();

        steps.rowsSeen(investigation, "{\"data\":{\"result_sets\":[{\"estimated_total\":40,\"mr_tested\":40,\"columns\":[{\"name\":\"Query\"},"
                + "{\"name\":\"Response\"}],\"rows\":[{\"cid\":9065203,\"data\":[[{\"text\":\"evil.example\"}],[{\"text\":\"1.2.3.4\"},"
                + "{\"text\":\"5.6.7.8\"}]]},{\"cid\":9065203,\"data\":[[{\"text\":\"b\"}],[{\"text\":\"c\"}]]},"
                + "{\"cid\":9065203,\"data\":[[{\"text\":\"x\"}],[{\"text\":\"y\"}]]}]}]}}");

        assertThat(investigation.getOutcome()).isEqualTo("completed");
        Map<String, Object> details = investigation.getCurrent().getDetails();
        assertThat(details).containsEntry("totalRows", 3).containsEntry("columns", List.of("Query", "Response"));
        List<?> rows = (List<?>) details.get("rows");
        assertThat(rows).hasSize(2);
        assertThat((JsonNode) MAPPER.valueToTree(rows.get(0))).isEqualTo(MAPPER.createObjectNode().put("computerId", "9065203")
                .set("values", MAPPER.createObjectNode().put("Query", "evil.example")
                        .set("Response", MAPPER.createArrayNode().add("1.2.3.4").add("5.6.7.8"))));
    }

    @Test
    void anUnansweredQuestionExpiresAtItsDeadline() {
        Investigation investigation = trace();
        steps.asked(investigation, "{\"data\":{\"id\":1}}");
        clock.millis += Duration.ofMinutes(11).toMillis();
        steps.infoSeen(investigation, "{\"data\":{\"result_infos\":[{\"estimated_total\":10,\"mr_tested\":5,\"mr_passed\":0}]}}");
        assertThat(investigation.getOutcome()).isEqualTo("expired");
        assertThat(investigation.getReason()).contains("50 % of endpoints answered");
    }

    @Test
    void theWindowAroundTheAlertsTimeFillsTheTraceRange() throws Exception {
        CanonicalAlert alert = new CanonicalAlert("a-1", "canonical", "canonical", "2026-12-07T10:00:00Z", "high", null, null, "WS-0142",
                null, null, new CanonicalAlert.ProcessInfo("rar.exe", 7L, null), null, null, null);
        Map<String, Object> rendered = new QuestionFlow().render(Map.of("sensor", "Trace Executed Processes", "window", "PT30M",
                "parameters", Map.of("AbsoluteTimeRange", Map.of("value", "${window.start}|${window.end}", "pattern", "\\d+\\|\\d+"),
                        "ProcessPath", "${process.name}")), alert);
        long start = java.time.Instant.parse("2026-12-07T09:30:00Z").toEpochMilli();
        long end = java.time.Instant.parse("2026-12-07T10:30:00Z").toEpochMilli();
        assertThat(rendered.get("parameters")).isEqualTo(Map.of("AbsoluteTimeRange", start + "|" + end, "ProcessPath", "rar.exe"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new QuestionFlow().render(Map.of("sensor", "Trace DNS Queries",
                "parameters", Map.of("Query", "${process.name}\" or")), alert)).isInstanceOf(ParameterTemplate.Rejected.class);
    }

    @Test
    void questionTextsCompareAsTaniumWritesThemBack() {
        assertThat(QuestionSteps.normalised("Get X from all machines with ( Computer Name equals \"A\" )"))
                .isEqualTo(QuestionSteps.normalised("get x from all machines with Computer Name equals \"a\""));
        assertThat(QuestionSteps.normalised("Get X from all machines with Computer Name contains \"A\""))
                .isNotEqualTo(QuestionSteps.normalised("Get X from all machines with Computer Name equals \"A\""));
    }
}
