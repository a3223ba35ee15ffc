package io.github.taniumroutes.tanium;

import java.util.Locale;

import io.github.taniumroutes.alert.CanonicalAlert;

/**
 * How an alert's endpoint is looked up in the Tanium Data Service: by the alert's Tanium id, else
 * its host name, else its IP address. One rule for the Gateway query, the lookup cache and the split
 * of a batched lookup's reply alike.
 */
record EndpointLookup(String path, String value) {

    static EndpointLookup of(CanonicalAlert alert) {
        if (alert.taniumEndpointId() != null) {
            return new EndpointLookup("id", alert.taniumEndpointId());
        }
        return alert.hostname() != null
                ? new EndpointLookup("name", alert.hostname())
                : new EndpointLookup("ipAddress", alert.ip());
    }

    /**
     * Whether the Gateway's {@code {path, op: EQ, value}} filter of this lookup matches the endpoint:
     * names compare without regard to case, as Tanium's name filters do; ids and addresses exactly.
     */
    boolean matches(TaniumEndpoint endpoint) {
        if (value == null) {
            return false;
        }
        return switch (path) {
            case "id" -> value.equals(endpoint.id());
            case "name" -> endpoint.name() != null && value.toLowerCase(Locale.ROOT).equals(endpoint.name().toLowerCase(Locale.ROOT));
            case "ipAddress" -> value.equals(endpoint.ipAddress());
            default -> false;
        };
    }
}
