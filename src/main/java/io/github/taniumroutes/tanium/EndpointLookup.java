package io.github.taniumroutes.tanium;

import io.github.taniumroutes.alert.CanonicalAlert;

/**
 * How an alert's endpoint is looked up in the Tanium Data Service: by the alert's Tanium id, else
 * its host name, else its IP address. One rule for the Gateway query and the lookup cache alike.
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
}
