package io.github.taniumroutes.tanium;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.camel.http.base.HttpOperationFailedException;
import org.junit.jupiter.api.Test;

/** A circuit per server: opened by a failure that says the server does not answer, closed by its next answer. */
class TaniumOutagesTest {

    private final TaniumOutages outages = new TaniumOutages();
    private final List<Boolean> told = new ArrayList<>();

    TaniumOutagesTest() {
        outages.listen(told::add);
    }

    @Test
    void anUnreachableServerOpensItsCircuitOnceAndItsNextAnswerClosesIt() {
        assertThatThrownBy(() -> outages.failed("default", new java.net.ConnectException("refused")))
                .as("the failure goes on").isInstanceOf(java.net.ConnectException.class);
        assertThatThrownBy(() -> outages.failed("default", http(503))).isInstanceOf(HttpOperationFailedException.class);

        assertThat(outages.isOpen("default")).isTrue();
        assertThat(outages.isOpen("lab")).isFalse();
        assertThat(outages.openServers()).containsExactly("default");
        assertThat(told).as("the first opening only").containsExactly(true);

        outages.answered("default");
        assertThat(outages.isOpen("default")).isFalse();
        assertThat(told).containsExactly(true, false);
    }

    @Test
    void anErrorReplyIsAnAnswerAndAFailureOfOurOwnSaysNothing() {
        assertThatThrownBy(() -> outages.failed("default", new java.io.IOException("reset"))).isInstanceOf(java.io.IOException.class);
        assertThatThrownBy(() -> outages.failed("default", new IllegalStateException("no taniumCalls variable")))
                .isInstanceOf(IllegalStateException.class);
        assertThat(outages.isOpen("default")).as("our own failure does not close it").isTrue();

        assertThatThrownBy(() -> outages.failed("default", http(404))).isInstanceOf(HttpOperationFailedException.class);
        assertThat(outages.isOpen("default")).as("a 404 is an answer").isFalse();
    }

    @Test
    void whileTheCircuitIsOpenOnlyCallsMarkedToGoEvenSoAskThatServer() {
        outages.admit("default", null);
        assertThatThrownBy(() -> outages.failed("default", new java.net.ConnectException("refused"))).isInstanceOf(java.net.ConnectException.class);

        assertThatThrownBy(() -> outages.admit("default", null))
                .isInstanceOf(TaniumUnreachableException.class)
                .satisfies(refused -> assertThat(new TaniumErrors().isOutage(refused)).as("the work waits").isTrue())
                .hasMessageContaining("'default' does not answer");
        assertThatThrownBy(() -> outages.admit("default", false)).isInstanceOf(TaniumUnreachableException.class);
        outages.admit("default", true);
        outages.admit("lab", null);

        outages.answered("default");
        outages.admit("default", null);
    }

    private static HttpOperationFailedException http(int status) {
        return new HttpOperationFailedException("https://t/x", status, "status", null, Map.of(), "");
    }
}
