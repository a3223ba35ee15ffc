package io.github.taniumroutes.investigation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

/** What the journal keeps of an investigation, what it does not, and what it still reads from release 0.1. */
class InvestigationStateTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final InvestigationJournal journal = new InvestigationJournal(MAPPER, null, "investigations", "investigation-state");
    private final MutableClock clock = new MutableClock(1_000);
    private final InvestigationProgress progress = Investigations.progress(clock);

    @Test
    void theJournaledStateCarriesThePlanPhaseDeadlineStateAndSessionsButNotFindingsOrTheWaitInProgress() throws Exception {
        Investigation investigation = Investigation.accepted(Investigations.request("a1", "1003", Investigations.step("snapshot"),
                Investigations.step("probe")), 1, 1_000);
        progress.begin(investigation);
        new EndpointSessions().requested(investigation, "threat-response", "remote:undefined:9:");
        progress.moveTo(investigation, "await-connection", "PT10M");
        progress.remember(investigation, "connectionId", "remote:undefined:9:");
        progress.report(investigation, "snapshot", MAPPER.readTree("{\"big\":true}"));
        progress.waitOrExpire(investigation, "waiting");
        progress.polled(investigation, "connection");
        progress.counted(investigation, 3);

        byte[] json = journal.json(investigation);
        Investigation read = journal.read(json);

        assertThat(MAPPER.readTree(json).path("schemaVersion").asInt()).isEqualTo(Investigation.SCHEMA_VERSION);
        assertThat(new String(json)).as("findings are published, not journaled").doesNotContain("big");
        assertThat(read.getId()).isEqualTo("inv-a1");
        assertThat(read.getStepType()).isEqualTo("snapshot");
        assertThat(read.getPhase()).isEqualTo("await-connection");
        assertThat(read.getState()).containsEntry("connectionId", "remote:undefined:9:");
        assertThat(read.session("threat-response")).isEqualTo("remote:undefined:9:");
        assertThat(read.getPhaseDeadline()).isEqualTo(1_000 + 600_000);
        assertThat(read.getPartition()).isEqualTo(1);
        assertThat(read.getCurrent().getPolls()).containsEntry("connection", 1);
        assertThat(read.getTaniumCalls()).isEqualTo(3);
        assertThat(read.getSteps()).extracting(StepState::getType).containsExactly("snapshot", "probe");
        assertThat(read.getTarget().clientId()).isEqualTo("1003");
        assertThat(read.getNextDelayMs()).as("a resumed investigation polls soon").isZero();
        assertThat(read.isActive()).isTrue();
    }

    @Test
    void unknownFieldsFromANewerVersionAreIgnored() throws Exception {
        byte[] json = journal.json(Investigations.begun("a1", "1003", progress, 0));
        String withExtra = new String(json).replaceFirst("\\{", "{\"addedLater\":true,");

        assertThat(journal.read(withExtra.getBytes()).getId()).isEqualTo("inv-a1");
    }

    @Test
    void aRecordOfRelease01WaitingForItsSnapshotResumesInThatPhaseWithItsIdsAndConnection() throws Exception {
        Investigation read = journal.read(fixture("v1-await-snapshot.json"));

        assertThat(read.getSchemaVersion()).isEqualTo(Investigation.SCHEMA_VERSION);
        assertThat(read.getId()).isEqualTo("9f0c1d2e-snapshot");
        assertThat(read.getRequest().alertId()).isEqualTo("alert-v1");
        assertThat(read.getSteps()).extracting(StepState::getType).containsExactly("snapshot");
        assertThat(read.getStepType()).isEqualTo("snapshot");
        assertThat(read.getPhase()).isEqualTo("await-snapshot");
        assertThat(read.isStepRunning()).isTrue();
        assertThat(read.getPhaseDeadline()).as("the deadline it had").isEqualTo(1_764_667_804_000L);
        assertThat(read.getState()).containsEntry("connectionId", "remote:db-03.corp.example:9065203:17")
                .containsEntry("snapshotTaskId", "4411").containsKey("snapshotRequestedAt").containsKey("connectedAt");
        assertThat(read.session("threat-response")).as("it still holds the live connection").isEqualTo("remote:db-03.corp.example:9065203:17");
        assertThat(read.getCurrent().getPolls()).containsEntry("connection", 2).containsEntry("task", 1);
        assertThat(read.getTaniumCalls()).isEqualTo(5);
        assertThat(read.getPartition()).isEqualTo(2);
        assertThat(read.getTarget().clientId()).isEqualTo("9065203");
        assertThat(read.getTarget().resultKey()).isEqualTo("1003");

        // and it goes on as any investigation of this release: written back as schema 2, read back the same
        Investigation again = journal.read(journal.json(read));
        assertThat(again.getPhase()).isEqualTo("await-snapshot");
        assertThat(again.getState()).isEqualTo(read.getState());
    }

    @Test
    void aRecordOfRelease01StillConnectingHoldsItsConnectionAndItsStepHasNotEnded() throws Exception {
        Investigation read = journal.read(fixture("v1-await-connection.json"));

        assertThat(read.getPhase()).isEqualTo("await-connection");
        assertThat(read.getOutcome()).isNull();
        assertThat(read.holdsSession("threat-response")).isTrue();
        assertThat(read.getState()).doesNotContainKey("snapshotRequestedAt");
    }

    @Test
    void aRequestOfRelease01IsAPlanOfItsOneStep() throws Exception {
        InvestigationRequest request = MAPPER.readValue(fixture("v1-request.json"), InvestigationRequest.class);

        assertThat(request.steps()).extracting(PlanStep::type).containsExactly("snapshot");
        assertThat(request.steps().get(0).continueOnFailure()).isFalse();
    }

    private static byte[] fixture(String name) throws Exception {
        try (InputStream in = InvestigationStateTest.class.getResourceAsStream("/journal/" + name)) {
            return in.readAllBytes();
        }
    }

}
