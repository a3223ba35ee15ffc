package io.github.taniumroutes.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import io.github.taniumroutes.logging.SafeLogLines;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The whole application at TRACE, with Apache HttpClient's header and wire loggers switched on by
 * hand: they print the session header, and the log filter must redact it.
 */
@QuarkusTest
@TestProfile(TraceLogSafetyTest.Trace.class)
@QuarkusTestResource(value = KafkaAndSimulator.class, restrictToAnnotatedClass = false)
class TraceLogSafetyTest extends LogSafety {

    static final Path LOG = Path.of("target", "log-safety", "trace.log").toAbsolutePath();

    public static class Trace implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(verboseFileLog("TRACE", LOG));
            config.put("quarkus.log.category.\"org.apache.hc.client5.http.headers\".level", "TRACE");
            config.put("quarkus.log.category.\"org.apache.hc.client5.http.wire\".level", "TRACE");
            return config;
        }
    }

    @Override
    Path logFile() {
        return LOG;
    }

    @Override
    void assertTheLevelWasReallyOn(String log) {
        assertThat(log.contains(" TRACE ")).isTrue();
        assertThat(log.contains(">> session: " + SafeLogLines.REDACTED)).as("the header logger printed the session header, redacted").isTrue();
    }
}
