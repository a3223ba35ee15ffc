package io.github.taniumroutes.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** The whole application at DEBUG, with the configured log categories: the HTTP client's header loggers stay quiet. */
@QuarkusTest
@TestProfile(DebugLogSafetyTest.Debug.class)
@QuarkusTestResource(value = KafkaAndSimulator.class, restrictToAnnotatedClass = false)
class DebugLogSafetyTest extends LogSafety {

    static final Path LOG = Path.of("target", "log-safety", "debug.log").toAbsolutePath();

    public static class Debug implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return verboseFileLog("DEBUG", LOG);
        }
    }

    @Override
    Path logFile() {
        return LOG;
    }

    @Override
    void assertTheLevelWasReallyOn(String log) {
        assertThat(log.contains(" DEBUG ")).isTrue();
        assertThat(log.contains("/plugin/products/gateway/graphql")).as("camel-http's own DEBUG lines about the Tanium calls").isTrue();
        assertThat(log.contains(">> session:")).as("the header logger was configured away").isFalse();
    }
}
