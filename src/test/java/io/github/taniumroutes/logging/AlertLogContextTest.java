package io.github.taniumroutes.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.UnitOfWorkFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import io.github.taniumroutes.alert.CanonicalAlert;
import io.github.taniumroutes.investigation.Investigation;
import io.github.taniumroutes.investigation.Investigations;

/** The alert context of each exchange in the MDC, on whatever thread the exchange runs, and on no other. */
class AlertLogContextTest {

    private final ExecutorService pool = Executors.newSingleThreadExecutor();
    private final List<Map<String, String>> seen = new CopyOnWriteArrayList<>();
    private CamelContext camel;

    @AfterEach
    void stop() {
        if (camel != null) {
            camel.stop();
        }
        pool.shutdownNow();
    }

    private void start(boolean mdcLogging) throws Exception {
        camel = new DefaultCamelContext();
        camel.setUseMDCLogging(mdcLogging);
        camel.getCamelContextExtension().addContextPlugin(UnitOfWorkFactory.class, new AlertLogContext());
        camel.getRegistry().bind("pool", pool);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:alert").routeId("alert-route")
                        .process(e -> e.setVariable("alert", alert(e.getMessage().getBody(String.class))))
                        .setVariable("step", constant("enrich"))
                        .threads().executorService("pool")
                        .to("direct:inner");
                from("direct:inner").routeId("inner-route")
                        .process(e -> seen.add(snapshot()));
                from("direct:investigation").routeId("investigation-route")
                        .process(e -> e.setVariable("investigation", e.getMessage().getBody()))
                        .threads().executorService("pool")
                        .process(e -> seen.add(snapshot()));
            }
        });
        camel.start();
    }

    @Test
    void anAlertsExchangeNamesTheAlertItsStepAndTheRouteRunningOnTheThreadItHopsTo() throws Exception {
        start(true);
        camel.createProducerTemplate().sendBody("direct:alert", "alert-1");
        camel.createProducerTemplate().sendBody("direct:alert", "alert-2");

        assertThat(seen).hasSize(2);
        assertThat(seen.get(0)).containsEntry("alertId", "alert-1").containsEntry("step", "enrich")
                .containsEntry("camel.routeId", "inner-route").doesNotContainKey("investigationId");
        assertThat(seen.get(1)).containsEntry("alertId", "alert-2");
        assertThat(poolThreadMdc()).as("the pooled thread keeps nothing of the alerts it served").doesNotContainKeys("alertId", "step");
    }

    @Test
    void anInvestigationsExchangeNamesItsAlertItselfAndItsStep() throws Exception {
        start(true);
        Investigation investigation = Investigations.on("alert-9", "1003");
        camel.createProducerTemplate().sendBody("direct:investigation", investigation);

        assertThat(seen).singleElement().satisfies(mdc -> assertThat(mdc)
                .containsEntry("alertId", "alert-9")
                .containsEntry("investigationId", investigation.getId())
                .containsEntry("step", "snapshot")
                .containsEntry("camel.routeId", "investigation-route"));
        assertThat(poolThreadMdc()).doesNotContainKeys("alertId", "investigationId", "step", "phase");
    }

    @Test
    void withMdcLoggingOffNothingIsAdded() throws Exception {
        start(false);
        camel.createProducerTemplate().sendBody("direct:alert", "alert-1");

        assertThat(seen).singleElement().satisfies(mdc -> assertThat(mdc).doesNotContainKeys("alertId", "camel.routeId"));
    }

    private Map<String, String> poolThreadMdc() throws Exception {
        return pool.submit(AlertLogContextTest::snapshot).get(5, TimeUnit.SECONDS);
    }

    private static Map<String, String> snapshot() {
        Map<String, String> mdc = MDC.getCopyOfContextMap();
        return mdc == null ? Map.of() : Map.copyOf(mdc);
    }

    private static CanonicalAlert alert(String id) {
        return new CanonicalAlert(id, "canonical", "canonical", null, "high", null, null, "WS-0142", null, null, null, null, null,
                null);
    }
}
