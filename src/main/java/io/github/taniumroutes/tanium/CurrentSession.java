package io.github.taniumroutes.tanium;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/**
 * The onRedelivery processor of routeConfiguration tanium-calls: a request sent again carries the
 * server's current session, which a rejected request's renewal may have just replaced (Camel re-sends
 * the message as it was before the failed attempt).
 */
@Singleton
@Named("currentSession")
public class CurrentSession implements Processor {

    private final TaniumSessions sessions;

    @Inject
    public CurrentSession(TaniumSessions sessions) {
        this.sessions = sessions;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        sessions.sessionForRedelivery(exchange);
    }
}
