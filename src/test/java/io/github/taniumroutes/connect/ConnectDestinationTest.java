package io.github.taniumroutes.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.taniumroutes.alert.JsonReadLimits;

/** Who may post to the Connect destination, and what a post becomes: records, or a refusal of the whole post. */
class ConnectDestinationTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String HEADER = "X-Tanium-Connect-Secret";

    private static ConnectDestination destination(Optional<String> secret, Optional<String> file) {
        return new ConnectDestination(MAPPER, JsonReadLimits.DEFAULTS, HEADER, secret, file, "alerts", 4_000, 3, 500);
    }

    private final ConnectDestination destination = destination(Optional.of("s3cret-value"), Optional.empty());

    private static Exchange post(String body, String secret) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage().setBody(body.getBytes(StandardCharsets.UTF_8));
        if (secret != null) {
            exchange.getMessage().setHeader(HEADER, secret);
        }
        return exchange;
    }

    @Test
    void onlyThePostCarryingTheSecretIsLetIn() throws Exception {
        destination.authenticate(post("[]", "s3cret-value"));
        for (String wrong : new String[] {null, "", "s3cret-valuf", "s3cret-value-and-more", "S3CRET-VALUE"}) {
            assertThatThrownBy(() -> destination.authenticate(post("[]", wrong))).as(String.valueOf(wrong)).isInstanceOf(ConnectRefusal.class)
                    .hasMessage("missing or wrong " + HEADER + " header").extracting("status").isEqualTo(401);
        }
        assertThat(destination(Optional.empty(), Optional.empty()).hasSecret()).isFalse();
        assertThatThrownBy(() -> destination(Optional.empty(), Optional.empty()).authenticate(post("[]", "anything")))
                .isInstanceOf(ConnectRefusal.class);
    }

    @Test
    void aSecretFromAFileIsReadAgainWhenItChanges(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("secret");
        Files.writeString(file, "first-secret\n");
        ConnectDestination fromFile = destination(Optional.empty(), Optional.of(file.toString()));
        fromFile.authenticate(post("[]", "first-secret"));
        Files.writeString(file, "second-secret-longer");
        fromFile.authenticate(post("[]", "second-secret-longer"));
        assertThatThrownBy(() -> fromFile.authenticate(post("[]", "first-secret"))).isInstanceOf(ConnectRefusal.class);
    }

    @Test
    void anArrayAndJsonLinesBecomeOneRecordPerEventKeyedByComputer() throws Exception {
        List<Message> array = destination.records(post("[{\"Computer Name\":\"WS-0142\",\"a\":1},{\"computerName\":\"db-1\",\"id\":7}]", null));
        List<Message> lines = destination.records(post("{\"Computer Name\":\"WS-0142\"}\n\n{\"x\":1}{\"Computer Name\":\"MAC\"}\n", null));

        assertThat(array).extracting(m -> new String(m.getHeader(KafkaConstants.KEY, byte[].class), StandardCharsets.UTF_8))
                .containsExactly("WS-0142", "db-1");
        assertThat(array).extracting(m -> m.getHeader(KafkaConstants.OVERRIDE_TOPIC)).containsOnly("alerts");
        assertThat(MAPPER.readTree(array.get(0).getBody(byte[].class))).isEqualTo(MAPPER.readTree("{\"Computer Name\":\"WS-0142\",\"a\":1}"));
        assertThat(lines).hasSize(3);
        assertThat(lines.get(1).getHeader(KafkaConstants.KEY)).as("no computer named: no key").isNull();
        assertThat(destination.records(post("", null))).isEmpty();
        assertThat(destination.records(post("[]", null))).isEmpty();
    }

    @Test
    void whatCannotBeReadIsRefusedWholeWithTheReason() {
        assertThatThrownBy(() -> destination.records(post("[{\"a\":1}, {\"b\":", null))).isInstanceOf(ConnectRefusal.class)
                .hasMessageContaining("not valid JSON").extracting("status").isEqualTo(400);
        assertThatThrownBy(() -> destination.records(post("[{\"a\":1}, \"text\"]", null)))
                .hasMessage("event 2 is not a JSON object but string");
        assertThatThrownBy(() -> destination.records(post("{\"a\":1}\n[1]", null))).hasMessage("event 2 is not a JSON object but array");
        assertThatThrownBy(() -> destination.records(post("[" + "[".repeat(100) + "]".repeat(100) + "]", null)))
                .hasMessageContaining("not accepted as JSON");
    }

    @Test
    void tooLargeAPostAnEventOrTooManyEventsIsRefusedWith413() {
        assertThatThrownBy(() -> destination.records(post("[{\"pad\":\"" + "x".repeat(4_000) + "\"}]", null)))
                .hasMessageContaining("connect.max-bytes").extracting("status").isEqualTo(413);
        assertThatThrownBy(() -> destination.records(post("[{\"pad\":\"" + "x".repeat(600) + "\"}]", null)))
                .hasMessageContaining("event 1 is").hasMessageContaining("alerts.max-bytes");
        assertThatThrownBy(() -> destination.records(post("[{},{},{},{}]", null))).hasMessageContaining("more than 3 events");
    }

    @Test
    void answersAreJson() throws Exception {
        assertThat(MAPPER.readTree(destination.accepted(2)).path("accepted").asInt()).isEqualTo(2);
        assertThat(MAPPER.readTree(destination.refused("a \"quoted\" reason")).path("error").asText()).isEqualTo("a \"quoted\" reason");
    }
}
