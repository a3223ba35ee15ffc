package io.github.taniumroutes.investigation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

/** What the journal keeps of an investigation, and what it does not. */
class InvestigationStateTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void theJournaledStateCarriesStepIdsDeadlinesAndCountersButNotTheWaitInProgress() throws Exception {
        Investigation investigation = Investigations.on("a1", "1003", 1000);
        investigation.awaitConnection(2000);
        investigation.adoptConnection("remote:undefined:9:");
        investigation.waitAgain(new PollSchedule(100, 2, 1000));
        investigation.connectionPolled();
        investigation.taniumCalled(3);

        Investigation read = MAPPER.readValue(MAPPER.writeValueAsBytes(investigation), Investigation.class);

        assertThat(read.getId()).isEqualTo("inv-a1");
        assertThat(read.getStep()).isEqualTo(Investigation.AWAIT_CONNECTION);
        assertThat(read.getConnectionId()).isEqualTo("remote:undefined:9:");
        assertThat(read.getStepDeadline()).isEqualTo(2000 + 600_000);
        assertThat(read.getPartition()).isEqualTo(1);
        assertThat(read.getConnectionPolls()).isEqualTo(1);
        assertThat(read.getTaniumCalls()).isEqualTo(3);
        assertThat(read.getTarget().clientId()).isEqualTo("1003");
        assertThat(read.getNextDelayMs()).as("a resumed investigation polls soon").isZero();
        assertThat(read.isActive()).isTrue();
    }

    @Test
    void unknownFieldsFromANewerVersionAreIgnored() throws Exception {
        byte[] json = MAPPER.writeValueAsBytes(Investigations.on("a1", "1003"));
        String withExtra = new String(json).replaceFirst("\\{", "{\"addedLater\":true,");
        assertThat(MAPPER.readValue(withExtra, Investigation.class).getId()).isEqualTo("inv-a1");
    }

    @Test
    void aReleasedInvestigationIsDone() {
        Investigation investigation = Investigations.on("a1", "1003");
        investigation.finish("expired", "why", 10);
        assertThat(investigation.isActive()).isTrue();
        investigation.released(11);
        assertThat(investigation.isActive()).isFalse();
        assertThat(investigation.getFinishedAt()).isEqualTo(11);
    }
}
