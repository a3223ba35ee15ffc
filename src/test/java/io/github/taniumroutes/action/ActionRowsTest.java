package io.github.taniumroutes.action;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.taniumroutes.tanium.ResultSet;

/** Each endpoint's status of an action, from the texts of its Action Statuses column. */
class ActionRowsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static ResultSet rows(String... statuses) {
        StringBuilder json = new StringBuilder("{\"data\":{\"result_sets\":[{\"columns\":[{\"name\":\"Computer Name\"},"
                + "{\"name\":\"Action Statuses\"},{\"name\":\"Count\"}],\"rows\":[");
        for (int i = 0; i < statuses.length; i++) {
            json.append(i == 0 ? "" : ",").append("{\"cid\":").append(100 + i).append(",\"data\":[[{\"text\":\"host-").append(i)
                    .append("\"}],[{\"text\":\"").append(statuses[i]).append("\"}],[{\"text\":\"1\"}]]}");
        }
        return ResultSet.parse(MAPPER, json.append("]}]}}").toString());
    }

    @Test
    void completedAndVerifiedSucceedFailedExpiredAndStoppedFailTheRestGoOn() {
        assertThat(ActionRows.of(rows("1362231:Completed.", "1362231:Verified.", "1362231:Failed.", "1362231:Expired.",
                "1362231:Stopped.", "1362231:Running.", "1362231:Waiting.", "1362231:Downloading."), "1362231"))
                .extracting(s -> s.status() + "/" + s.terminal() + "/" + s.succeeded())
                .containsExactly("Completed/true/true", "Verified/true/true", "Failed/true/false", "Expired/true/false", "Stopped/true/false",
                        "Running/false/false", "Waiting/false/false", "Downloading/false/false");
    }

    @Test
    void eachRowNamesItsEndpointByNameAndComputerId() {
        ActionRows.EndpointStatus status = ActionRows.of(rows("1362231:Completed."), "1362231").get(0);
        assertThat(status.computerName()).isEqualTo("host-0");
        assertThat(status.computerId()).isEqualTo("100");
    }

    @Test
    void statusesWithoutTheIdOrTheFullStopAreReadAndAnotherActionsAreLeftOut() {
        assertThat(ActionRows.of(rows("Completed", " 1362231 : Failed. ", "999:Completed.", "", "1362231:"), "1362231"))
                .extracting(ActionRows.EndpointStatus::status).containsExactly("Completed", "Failed");
    }
}
