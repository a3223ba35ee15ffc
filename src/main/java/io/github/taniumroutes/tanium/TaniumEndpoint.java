package io.github.taniumroutes.tanium;

import com.fasterxml.jackson.annotation.JsonInclude;

/** An endpoint as the Gateway describes it: enough to target it and to key its results. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaniumEndpoint(String id, String name, String ipAddress, String platform) {
}
