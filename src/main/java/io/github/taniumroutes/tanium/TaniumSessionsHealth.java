package io.github.taniumroutes.tanium;

import java.time.Instant;
import java.util.Map;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Readiness ({@code /q/health/ready}) is DOWN while a Tanium server rejects our session and it
 * cannot be renewed: every call to it would end {@code tanium_unauthorized}. The data names the
 * servers and since when, never a token.
 */
@Readiness
@ApplicationScoped
public class TaniumSessionsHealth implements HealthCheck {

    private final TaniumSessions sessions;

    @Inject
    public TaniumSessionsHealth(TaniumSessions sessions) {
        this.sessions = sessions;
    }

    @Override
    public HealthCheckResponse call() {
        Map<String, Long> rejected = sessions.rejectedServers();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("tanium-sessions").status(rejected.isEmpty());
        rejected.forEach((server, since) -> response.withData(server, "session rejected since " + Instant.ofEpochMilli(since)));
        return response.build();
    }
}
