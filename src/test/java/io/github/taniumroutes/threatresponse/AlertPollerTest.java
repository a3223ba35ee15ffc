package io.github.taniumroutes.threatresponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

/** What one poll of Threat Response's alerts takes, page by page, from the server's mark. */
class AlertPollerTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final Exchange exchange = new DefaultExchange(new DefaultCamelContext());

    private static AlertPoller poller(String start) {
        return new AlertPoller(MAPPER, null, "alerts.tr-poller", "alerts", Optional.of(List.of("default", " lab ")), 2,
                Optional.of("unresolved"), start);
    }

    private static String page(long... ids) {
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < ids.length; i++) {
            json.append(i == 0 ? "" : ",").append("{\"id\":").append(ids[i]).append(",\"computerName\":\"host-").append(ids[i]).append("\"}");
        }
        return json.append("]").toString();
    }

    private List<Long> taken(AlertPoller poller, AlertPoller.Poll poll) throws Exception {
        return poller.alertRecords(poll, exchange).stream().map(m -> {
            try {
                return MAPPER.readTree(m.getBody(byte[].class)).path("id").asLong();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    private long mark(AlertPoller poller, AlertPoller.Poll poll) throws Exception {
        List<Message> mark = poller.markRecord(poll, exchange);
        assertThat(mark).singleElement().satisfies(m -> {
            assertThat(m.getHeader(KafkaConstants.OVERRIDE_TOPIC)).isEqualTo("alerts.tr-poller");
            assertThat(new String(m.getHeader(KafkaConstants.KEY, byte[].class), StandardCharsets.UTF_8)).isEqualTo(poll.getServer());
        });
        return MAPPER.readTree(mark.get(0).getBody(byte[].class)).path("lastAlertId").asLong();
    }

    @Test
    void fromTheMarkItPagesNewestFirstUntilTheMarkAndTakesWhatIsNewerOldestFirst() throws Exception {
        AlertPoller poller = poller("latest");
        AlertPoller.Poll first = poller.start("default");
        poller.page(first, page(5, 4));
        assertThat(first.isMore()).as("a first poll only learns where the alerts stand").isFalse();
        assertThat(taken(poller, first)).isEmpty();
        assertThat(mark(poller, first)).isEqualTo(5);
        poller.advanced(first);

        AlertPoller.Poll next = poller.start("default");
        assertThat(poller.query(next)).isEqualTo("sort=-createdAt&limit=2&offset=0&state=unresolved");
        poller.page(next, page(9, 8));
        assertThat(next.isMore()).isTrue();
        assertThat(poller.query(next)).contains("offset=2");
        poller.page(next, page(7, 6));
        // An alert raised meanwhile shifts the pages: 6 is seen again, and 5 is the mark.
        poller.page(next, "{\"data\":" + page(6, 5) + "}");
        assertThat(next.isMore()).isFalse();
        assertThat(taken(poller, next)).containsExactly(6L, 7L, 8L, 9L);
        assertThat(mark(poller, next)).isEqualTo(9);
    }

    @Test
    void earliestTakesEverythingThereIsAndAnEmptyServerStartsFromNothing() throws Exception {
        AlertPoller earliest = poller("earliest");
        AlertPoller.Poll poll = earliest.start("default");
        earliest.page(poll, page(3, 2));
        earliest.page(poll, page(1));
        assertThat(taken(earliest, poll)).containsExactly(1L, 2L, 3L);

        AlertPoller latest = poller("latest");
        AlertPoller.Poll empty = latest.start("lab");
        latest.page(empty, "[]");
        assertThat(mark(latest, empty)).as("every alert raised from now on is new").isZero();
        latest.advanced(empty);
        AlertPoller.Poll later = latest.start("lab");
        latest.page(later, page(1));
        assertThat(taken(latest, later)).containsExactly(1L);
    }

    @Test
    void onlyTheOwnerPollsAndABadReplyOrSettingIsAClearError() {
        AlertPoller poller = poller("latest");
        assertThat(poller.serversToPoll()).isEmpty();
        poller.revoked(List.of(0));
        assertThat(poller.serversToPoll()).isEmpty();
        assertThatThrownBy(() -> poller.page(poller.start("default"), "{\"data\":{}}")).hasMessageContaining("holds no list");
        assertThatThrownBy(() -> poller("newest")).hasMessageContaining("latest or earliest");
    }
}
