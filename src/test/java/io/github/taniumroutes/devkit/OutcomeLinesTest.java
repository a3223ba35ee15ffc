package io.github.taniumroutes.devkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

class OutcomeLinesTest {

    @Test
    void anEnrichmentResultNamesTheAlertOutcomeEndpointAndWhatThePolicyPlans() {
        String line = OutcomeLines.line("result", "1004", Map.of("alertId", "demo-0001"), """
                {"alertId":"demo-0001","step":"enrich","outcome":"enriched","endpoint":{"id":"1004","name":"db-prod-01"},
                 "sensors":{"a":{},"b":{}},
                 "decision":{"rule":"linux-reverse-shell","steps":[{"type":"enrich"},{"type":"snapshot"},{"type":"action","dryRun":true}]}}
                """);

        assertThat(line).doesNotContain("\n").startsWith("result      demo-0001 ")
                .contains(" enrich ", " enriched ", " db-prod-01 ", "2 sensors read; rule linux-reverse-shell plans snapshot, action (dry run)");
    }

    @Test
    void eachStepSaysWhatItFoundOrDid() {
        assertThat(OutcomeLines.found(json("{\"step\":\"snapshot\",\"snapshot\":{\"name\":\"x.db\"}}"))).isEqualTo("snapshot x.db");
        assertThat(OutcomeLines.found(json("{\"step\":\"action\",\"wouldSend\":[{},{}],\"reason\":\"global mode: dry-run\"}")))
                .isEqualTo("would send 2 requests; global mode: dry-run");
        assertThat(OutcomeLines.found(json("{\"step\":\"question\",\"totalRows\":3}"))).isEqualTo("rows: 3");
        assertThat(OutcomeLines.found(json("{\"step\":\"alert-state\",\"alertState\":\"resolved\"}"))).isEqualTo("state resolved");
        assertThat(OutcomeLines.found(json("{\"step\":\"enrich\",\"reason\":\"2 Tanium endpoints\\nmatch\"}"))).isEqualTo("2 Tanium endpoints match");
    }

    @Test
    void aDeadLetterShowsItsReasonEvenWhenTheRecordIsNotJson() {
        String line = OutcomeLines.line("dead letter", "malformed.json", Map.of("dlqReason", "malformed_json", "dlqDetail", "not valid JSON"),
                "{\"id\": \"demo-0003\"");

        assertThat(line).isEqualTo("dead letter malformed.json               malformed_json: not valid JSON");
    }

    @Test
    void aLongAlertIdIsShortened() {
        String line = OutcomeLines.line("result", "k", Map.of(), "{\"alertId\":\"elastic-security:5b0e7a4c3f9d2e18a6b4c0d7e9f1a2b3\"}");

        assertThat(line).contains("elastic-security:5b0e7a4c...").doesNotContain("3f9d2e18");
    }

    private static com.fasterxml.jackson.databind.JsonNode json(String text) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
