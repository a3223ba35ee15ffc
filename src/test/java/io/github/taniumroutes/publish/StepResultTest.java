package io.github.taniumroutes.publish;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.taniumroutes.investigation.Investigation;
import io.github.taniumroutes.investigation.InvestigationProgress;
import io.github.taniumroutes.investigation.Investigations;
import io.github.taniumroutes.investigation.MutableClock;
import org.junit.jupiter.api.Test;

/** A step's result: what every step has, the flow's state and findings, an id per step. */
class StepResultTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final ResultBuilder results = new ResultBuilder(MAPPER);
    private final MutableClock clock = new MutableClock(1_764_666_000_000L);
    private final InvestigationProgress progress = Investigations.progress(clock);

    @Test
    void eachStepHasItsOwnDeterministicResultWithItsStateAndFindingsAtTopLevel() throws Exception {
        Investigation investigation = Investigation.accepted(Investigations.request("a1", "9065203", Investigations.step("snapshot"),
                Investigations.step("probe")), 0, clock.millis);
        progress.begin(investigation);
        progress.remember(investigation, "connectionId", "remote:h:9065203:3");
        progress.report(investigation, "snapshot", MAPPER.readTree("{\"uuid\":\"u\"}"));
        progress.polled(investigation, "task");
        progress.counted(investigation, 4);
        clock.millis += 2_500;
        progress.complete(investigation);

        JsonNode first = MAPPER.readTree(results.stepResult(investigation));
        JsonNode again = MAPPER.readTree(results.stepResult(investigation));
        progress.advance(investigation);
        progress.fail(investigation, "probe_failed", "asked to");
        JsonNode second = MAPPER.readTree(results.stepResult(investigation));

        assertThat(first.path("schemaVersion").asInt()).isEqualTo(2);
        assertThat(first.path("step").asText()).isEqualTo("snapshot");
        assertThat(first.path("stepNumber").asInt()).isEqualTo(1);
        assertThat(first.path("planSteps").asInt()).isEqualTo(2);
        assertThat(first.path("outcome").asText()).isEqualTo("completed");
        assertThat(first.has("reason")).isFalse();
        assertThat(first.path("connectionId").asText()).isEqualTo("remote:h:9065203:3");
        assertThat(first.path("snapshot").path("uuid").asText()).isEqualTo("u");
        assertThat(first.path("polls").path("task").asInt()).isEqualTo(1);
        assertThat(first.path("taniumCalls").asInt()).isEqualTo(4);
        assertThat(first.path("timings").path("durationMs").asLong()).isEqualTo(2_500);
        assertThat(first.path("endpoint").path("id").asText()).isEqualTo("gw-9065203");
        assertThat(first.path("endpoint").path("computerId").asText()).isEqualTo("9065203");
        assertThat(again.path("resultId")).as("the same step, the same id").isEqualTo(first.path("resultId"));
        assertThat(second.path("resultId")).as("another step, another id").isNotEqualTo(first.path("resultId"));
        assertThat(second.path("step").asText()).isEqualTo("probe");
        assertThat(second.path("outcome").asText()).isEqualTo("probe_failed");
        assertThat(second.path("reason").asText()).isEqualTo("asked to");
        assertThat(second.has("connectionId")).as("a step's state is its own").isFalse();
    }
}
