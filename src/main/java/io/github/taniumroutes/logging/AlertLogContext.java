package io.github.taniumroutes.logging;

import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.engine.DefaultUnitOfWorkFactory;
import org.apache.camel.impl.engine.MDCUnitOfWork;
import org.apache.camel.spi.InflightRepository;
import org.apache.camel.spi.UnitOfWork;
import org.slf4j.MDC;

import io.github.taniumroutes.alert.CanonicalAlert;
import io.github.taniumroutes.investigation.Investigation;
import io.quarkus.arc.Unremovable;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/**
 * Every line logged while an exchange works for an alert or an investigation names it: MDC keys
 * {@value #ALERT_ID}, {@value #INVESTIGATION_ID}, {@value #STEP} and {@value #PHASE}, next to
 * Camel's own {@code camel.routeId} (the route being run) when {@code camel.main.use-mdc-logging}
 * is on. The values are read from the exchange's variables ({@code alert}, {@code investigation},
 * {@code step}) before every processor, not carried on the thread: an exchange hops threads
 * (parallel split, seda, async delays, worker pools) and Camel's {@code mdcLoggingKeysPattern}
 * only restores a key on a thread that does not hold one, so a pooled thread would keep the id of
 * the alert it served before. Camel picks this factory up from the registry (the one
 * {@code UnitOfWorkFactory} bean); with MDC logging off it makes Camel's plain units of work.
 */
// Unremovable: nothing injects it; Camel looks it up by type.
@Unremovable
@Singleton
@Named("alertLogContext")
public class AlertLogContext extends DefaultUnitOfWorkFactory {

    public static final String ALERT_ID = "alertId";
    public static final String INVESTIGATION_ID = "investigationId";
    public static final String STEP = "step";
    public static final String PHASE = "phase";

    private InflightRepository inflightRepository;
    private String keysPattern;
    private boolean mdcLogging;
    private boolean allowUseOriginalMessage;
    private boolean useBreadcrumb;

    @Override
    public void afterPropertiesConfigured(CamelContext camelContext) {
        super.afterPropertiesConfigured(camelContext);
        inflightRepository = camelContext.getInflightRepository();
        keysPattern = camelContext.getMDCLoggingKeysPattern();
        mdcLogging = Boolean.TRUE.equals(camelContext.isUseMDCLogging());
        allowUseOriginalMessage = Boolean.TRUE.equals(camelContext.isAllowUseOriginalMessage());
        useBreadcrumb = Boolean.TRUE.equals(camelContext.isUseBreadcrumb());
    }

    @Override
    public UnitOfWork createUnitOfWork(Exchange exchange) {
        return mdcLogging ? new AlertUnitOfWork(exchange, inflightRepository, keysPattern, allowUseOriginalMessage, useBreadcrumb)
                : super.createUnitOfWork(exchange);
    }

    /** The keys an exchange's variables give, in the order they are known: the alert (intake) or the investigation. */
    static Map<String, String> keysOf(Exchange exchange) {
        Map<String, String> keys = new java.util.LinkedHashMap<>();
        if (exchange.getVariable("investigation") instanceof Investigation investigation) {
            put(keys, ALERT_ID, investigation.getRequest() == null ? null : investigation.getRequest().alertId());
            put(keys, INVESTIGATION_ID, investigation.getId());
            put(keys, STEP, investigation.isActive() ? investigation.getStepType() : null);
            put(keys, PHASE, investigation.getPhase());
        } else {
            if (exchange.getVariable("alert") instanceof CanonicalAlert alert) {
                put(keys, ALERT_ID, alert.id());
            }
            if (exchange.getVariable("step") instanceof String step) {
                put(keys, STEP, step);
            }
        }
        return keys;
    }

    private static void put(Map<String, String> keys, String key, String value) {
        if (value != null) {
            keys.put(key, value);
        }
    }

    static final class AlertUnitOfWork extends MDCUnitOfWork {

        private final InflightRepository inflight;
        private final String pattern;
        private final boolean originalMessage;
        private final boolean breadcrumb;

        AlertUnitOfWork(Exchange exchange, InflightRepository inflight, String pattern, boolean originalMessage, boolean breadcrumb) {
            super(exchange, inflight, pattern, originalMessage, breadcrumb);
            this.inflight = inflight;
            this.pattern = pattern;
            this.originalMessage = originalMessage;
            this.breadcrumb = breadcrumb;
        }

        @Override
        public UnitOfWork newInstance(Exchange exchange) {
            return new AlertUnitOfWork(exchange, inflight, pattern, originalMessage, breadcrumb);
        }

        /** Camel calls this before every processor: the keys follow the exchange as its variables change. */
        @Override
        protected void prepareMDC(Exchange exchange) {
            super.prepareMDC(exchange);
            Map<String, String> keys = keysOf(exchange);
            for (String key : new String[] {ALERT_ID, INVESTIGATION_ID, STEP, PHASE}) {
                String value = keys.get(key);
                if (value != null) {
                    MDC.put(key, value);
                } else {
                    MDC.remove(key);
                }
            }
        }

        /** After every processor and when the exchange is done: nothing stays on a thread that goes on to other work. */
        @Override
        public void clear() {
            super.clear();
            MDC.remove(ALERT_ID);
            MDC.remove(INVESTIGATION_ID);
            MDC.remove(STEP);
            MDC.remove(PHASE);
        }
    }
}
