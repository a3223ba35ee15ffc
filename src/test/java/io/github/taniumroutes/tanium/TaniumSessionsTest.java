package io.github.taniumroutes.tanium;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

/** Which session a request carries, and how a rejected one is renewed: once, for every caller. */
class TaniumSessionsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final AtomicInteger logins = new AtomicInteger();
    private final TaniumSessions sessions = new TaniumSessions(settings(), MAPPER, server -> {
        Thread.sleep(50); // a login takes a while: concurrent rejections must wait for it, not log in too
        return "session-" + server + "-" + logins.incrementAndGet();
    });

    private static TaniumSettings settings() {
        Map<String, TaniumSettings.Server> byName = new LinkedHashMap<>();
        byName.put("default", ServerSettings.of("https://t", "token-default").withCredentials("svc", "pw", null));
        byName.put("tokenonly", ServerSettings.of("https://t", "token-only"));
        byName.put("login", ServerSettings.of("https://t", null).withCredentials("svc", "pw", "CORP"));
        byName.put("nothing", ServerSettings.of("https://t", "  "));
        return () -> byName;
    }

    @Test
    void theTokenIsUsedFirstAndAServerWithOnlyCredentialsLogsInOnce() throws Exception {
        assertThat(sessions.token("default")).isEqualTo("token-default");
        assertThat(sessions.token("login")).isEqualTo("session-login-1");
        assertThat(sessions.token("login")).isEqualTo("session-login-1");
        assertThat(logins).hasValue(1);
    }

    @Test
    void aServerWithNeitherIsAnErrorNamingTheSettingsNotAValue() {
        assertThatThrownBy(() -> sessions.token("nothing")).isInstanceOf(TaniumException.class)
                .hasMessageContaining("no API token or credentials are configured for Tanium server 'nothing'")
                .hasMessageContaining("tanium.servers.nothing.token");
    }

    @Test
    void fiftyCallersRejectedAtOnceCauseOneLoginAndAllRetryWithItsSession() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(50);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Exchange>> calls = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            calls.add(pool.submit(() -> {
                Exchange exchange = rejected("default", "token-default", 1);
                start.await();
                assertThat(sessions.renewed(exchange)).isTrue();
                sessions.sessionForRedelivery(exchange);
                return exchange;
            }));
        }
        start.countDown();
        for (Future<Exchange> call : calls) {
            Exchange exchange = call.get(10, TimeUnit.SECONDS);
            assertThat(exchange.getIn().getHeader("session")).isEqualTo("session-default-1");
            assertThat(exchange.getIn().getHeader(Exchange.REDELIVERY_DELAY)).isEqualTo(0L);
        }
        pool.shutdown();

        assertThat(logins).as("one login for all of them").hasValue(1);
        assertThat(sessions.token("default")).as("later requests carry the new session").isEqualTo("session-default-1");
    }

    @Test
    void aRenewedSessionThatIsRejectedInTurnIsRenewedAgainButARequestOnlyOnce() throws Exception {
        assertThat(sessions.renewed(rejected("default", "token-default", 1))).isTrue();
        assertThat(sessions.renewed(rejected("default", "session-default-1", 1))).isTrue();
        assertThat(sessions.token("default")).isEqualTo("session-default-2");

        assertThat(sessions.renewed(rejected("default", "session-default-2", 2))).as("the renewed request was rejected too").isFalse();
    }

    @Test
    void withoutCredentialsTheRejectionStandsWithOneAlarmAMinuteUntilACallSucceeds() {
        io.github.taniumroutes.investigation.MutableClock clock = new io.github.taniumroutes.investigation.MutableClock(1_000_000);
        TaniumSessions timed = new TaniumSessions(settings(), MAPPER, server -> "never", clock);

        for (int i = 0; i < 20; i++) {
            assertThat(timed.renewed(rejected("tokenonly", "token-only", 1))).isFalse();
        }
        assertThat(timed.alarms("tokenonly")).as("20 rejections in a moment: one alarm").isEqualTo(1);
        assertThat(timed.rejectedServers()).containsOnlyKeys("tokenonly");
        clock.millis += 61_000;
        timed.renewed(rejected("tokenonly", "token-only", 1));
        assertThat(timed.alarms("tokenonly")).as("a minute later, the next").isEqualTo(2);

        timed.accepted("tokenonly");
        assertThat(timed.rejectedServers()).isEmpty();
        assertThat(logins).hasValue(0);
    }

    @Test
    void theLoginBodyCarriesTheCredentialsAndTheReplyItsSession() throws Exception {
        assertThat(MAPPER.readTree(sessions.loginBody("login")))
                .isEqualTo(MAPPER.readTree("{\"username\":\"svc\",\"password\":\"pw\",\"domain\":\"CORP\"}"));
        assertThat(sessions.sessionOf("{\"data\":{\"session\":\"s-1\"}}")).isEqualTo("s-1");
        assertThatThrownBy(() -> sessions.sessionOf("{\"data\":{}}")).hasMessage("the login reply names no session");
    }

    @Test
    void aTokenFileIsReadAndReadAgainWhenTheSecretIsRotatedWhichEndsARenewedSession(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path tokenFile = dir.resolve("token");
        java.nio.file.Path passwordFile = dir.resolve("password");
        java.nio.file.Files.writeString(tokenFile, "token-from-secret\n");
        java.nio.file.Files.writeString(passwordFile, "pw-from-secret");
        Map<String, TaniumSettings.Server> byName = Map.of("mounted",
                ServerSettings.of("https://t", null).withCredentials("svc", null, null).withFiles(tokenFile.toString(), passwordFile.toString()));
        TaniumSessions mounted = new TaniumSessions(() -> byName, MAPPER, server -> "session-" + logins.incrementAndGet());

        assertThat(mounted.token("mounted")).isEqualTo("token-from-secret");
        assertThat(MAPPER.readTree(mounted.loginBody("mounted")).path("password").asText()).isEqualTo("pw-from-secret");
        assertThat(mounted.renewed(rejected("mounted", "token-from-secret", 1))).isTrue();
        assertThat(mounted.token("mounted")).isEqualTo("session-1");

        java.nio.file.Files.writeString(tokenFile, "token-rotated");
        java.nio.file.Files.setLastModifiedTime(tokenFile, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5_000));
        assertThat(mounted.token("mounted")).as("the rotated token, not the old session").isEqualTo("token-rotated");
    }

    private static Exchange rejected(String server, String session, int redelivery) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setVariable("taniumServer", server);
        exchange.getIn().setHeader("session", session);
        exchange.getIn().setHeader(Exchange.REDELIVERY_COUNTER, redelivery);
        exchange.setException(new HttpOperationFailedException("https://t/x", 401, "Unauthorized", null, Map.of(), ""));
        return exchange;
    }
}
