package io.github.taniumroutes.tanium;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An endpoint as the Gateway describes it: enough to target it and to key its results. {@code id}
 * is the Gateway's endpoint id (for Gateway calls and result keys); {@code computerId} is the Tanium
 * client's computer id, a different number, which Threat Response calls {@code clientId}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaniumEndpoint(String id, String name, String ipAddress, String platform, String computerId) {

    /** An endpoint whose computer id is not known. */
    public TaniumEndpoint(String id, String name, String ipAddress, String platform) {
        this(id, name, ipAddress, platform, null);
    }
}
