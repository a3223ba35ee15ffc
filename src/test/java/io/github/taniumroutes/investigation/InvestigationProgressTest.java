package io.github.taniumroutes.investigation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** How the engine moves an investigation through its plan, whatever the flows. */
class InvestigationProgressTest {

    private final MutableClock clock = new MutableClock(1_000);
    private final InvestigationProgress progress = Investigations.progress(clock);

    private Investigation plan(PlanStep... steps) {
        Investigation investigation = Investigation.accepted(Investigations.request("a1", "9065203", steps), 0, clock.millis);
        progress.begin(investigation);
        return investigation;
    }

    @Test
    void aStepBeginsAtItsFlowsFirstPhaseWithTheDefaultDeadline() {
        Investigation investigation = plan(Investigations.step("snapshot"), Investigations.step("probe"));

        assertThat(investigation.getStepType()).isEqualTo("snapshot");
        assertThat(investigation.getStepNumber()).isEqualTo(1);
        assertThat(investigation.getPhase()).isEqualTo("connect");
        assertThat(investigation.isStepRunning()).isTrue();
        assertThat(investigation.getPhaseDeadline()).isEqualTo(1_000 + 30 * 60_000);
        assertThat(investigation.getCurrent().getStartedAt()).isEqualTo(1_000);
    }

    @Test
    void waitingBacksOffAndExpiresOnlyAfterThePhaseDeadline() {
        Investigation investigation = plan(Investigations.step("probe"));
        progress.moveTo(investigation, "hold", "PT1S");

        progress.waitOrExpire(investigation, "not yet");
        assertThat(investigation.getNextDelayMs()).isEqualTo(100);
        progress.waitOrExpire(investigation, "not yet");
        assertThat(investigation.getNextDelayMs()).isEqualTo(200);
        clock.millis = 2_000;
        progress.waitOrExpire(investigation, "not yet");
        assertThat(investigation.getOutcome()).as("at the deadline it still waits").isNull();

        clock.millis = 2_001;
        progress.waitOrExpire(investigation, "no answer within 1 s");
        assertThat(investigation.getOutcome()).isEqualTo("expired");
        assertThat(investigation.getReason()).isEqualTo("no answer within 1 s");
        assertThat(investigation.isStepEnded()).isTrue();
        assertThat(investigation.getNextDelayMs()).as("the end is handled at once").isZero();
    }

    @Test
    void aCompletedStepIsFollowedByTheNextAndTheLastEndsTheInvestigation() {
        Investigation investigation = plan(Investigations.step("snapshot"), Investigations.step("probe"));
        progress.complete(investigation);
        assertThat(investigation.isStepEnded()).isTrue();

        progress.advance(investigation);
        assertThat(investigation.getStepNumber()).isEqualTo(2);
        assertThat(investigation.getStepType()).isEqualTo("probe");
        assertThat(investigation.getPhase()).isEqualTo("start");
        assertThat(investigation.getSteps().get(0).isPublished()).isTrue();

        progress.complete(investigation);
        progress.advance(investigation);
        assertThat(investigation.isActive()).isFalse();
        assertThat(investigation.getFinishedAt()).isEqualTo(1_000);
    }

    @Test
    void aFailedStepStopsThePlanAndTheRestAreSkippedWithTheReason() {
        Investigation investigation = plan(Investigations.step("snapshot"), Investigations.step("probe"), Investigations.step("probe"));
        progress.fail(investigation, "connection_timeout", "Tanium reports the connection timed out");
        progress.advance(investigation);

        assertThat(investigation.getStepNumber()).isEqualTo(2);
        assertThat(investigation.getOutcome()).isEqualTo("skipped");
        assertThat(investigation.getReason()).isEqualTo("step 1 (snapshot) ended connection_timeout, and a plan stops at a failed step");
        assertThat(investigation.getCurrent().isStarted()).as("a skipped step never ran").isFalse();
        assertThat(progress.cleanUp(investigation)).as("nothing to give back").isNull();

        progress.advance(investigation);
        assertThat(investigation.getOutcome()).as("and so is every later one").isEqualTo("skipped");
        progress.advance(investigation);
        assertThat(investigation.isActive()).isFalse();
    }

    @Test
    void continueOnFailureLetsTheNextStepRun() {
        Investigation investigation = plan(Investigations.goingOnAfterFailure("snapshot"), Investigations.step("probe"));
        progress.failed(investigation, "HTTP 503 after 3 retries");
        assertThat(investigation.getOutcome()).isEqualTo("tanium_error");
        assertThat(progress.cleanUp(investigation)).as("a started step is cleaned up").isEqualTo("direct:snapshot-release");
        progress.advance(investigation);

        assertThat(investigation.getStepType()).isEqualTo("probe");
        assertThat(investigation.isStepRunning()).isTrue();
    }

    @Test
    void aPhaseThatCannotReachTaniumWaitsAndExpiresOnlyAtItsDeadline() {
        Investigation investigation = plan(Investigations.step("probe"));
        progress.moveTo(investigation, "hold", "PT1S");

        progress.unreachable(investigation, "cannot reach Tanium: ConnectException");
        assertThat(investigation.getOutcome()).as("not ended").isNull();
        assertThat(investigation.getNextDelayMs()).isEqualTo(100);
        assertThat(investigation.getPhase()).as("the phase runs again").isEqualTo("hold");

        clock.millis += 1_001;
        progress.unreachable(investigation, "cannot reach Tanium: ConnectException");
        assertThat(investigation.getOutcome()).isEqualTo("expired");
        assertThat(investigation.getReason()).isEqualTo("Tanium did not answer before the deadline: cannot reach Tanium: ConnectException");
    }

    @Test
    void aStepTypeThisVersionHasNoFlowForEndsNotImplemented() {
        Investigation investigation = plan(Investigations.step("file-evidence"), Investigations.goingOnAfterFailure("probe"));

        assertThat(investigation.getOutcome()).isEqualTo("not_implemented");
        assertThat(investigation.isStepEnded()).isTrue();
    }

    @Test
    void aFlowsStateIsSmallIdsAndFlagsAndItsFindingsStayOutOfTheJournal() {
        Investigation investigation = plan(Investigations.step("probe"));
        progress.remember(investigation, "taskId", 42);
        progress.report(investigation, "processes", java.util.List.of("a", "b"));

        assertThat(investigation.getState()).containsEntry("taskId", "42");
        assertThat(investigation.getCurrent().getDetails()).containsKey("processes");
        assertThatThrownBy(() -> progress.remember(investigation, "payload", "x".repeat(5_000)))
                .hasMessageContaining("belongs in the step's result");
        assertThat(investigation.getState()).doesNotContainKey("payload");
    }

    @Test
    void tanumCallsCountForTheStepAndTheInvestigation() {
        Investigation investigation = plan(Investigations.step("probe"), Investigations.step("probe"));
        progress.counted(investigation, 3);
        progress.complete(investigation);
        progress.advance(investigation);
        progress.counted(investigation, 2);

        assertThat(investigation.getTaniumCalls()).isEqualTo(5);
        assertThat(investigation.getSteps()).extracting(StepState::getTaniumCalls).containsExactly(3, 2);
    }
}
