package io.github.taniumroutes.tanium;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Readiness is DOWN while a Tanium server does not answer (its work waits); the data names it and since when. */
@Readiness
@ApplicationScoped
public class TaniumOutagesHealth implements HealthCheck {

    private final TaniumOutages outages;

    @Inject
    public TaniumOutagesHealth(TaniumOutages outages) {
        this.outages = outages;
    }

    @Override
    public HealthCheckResponse call() {
        var open = outages.open();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("tanium-outages").status(open.isEmpty());
        open.forEach((server, since) -> response.withData(server, "not answering since " + since));
        return response.build();
    }
}
