package io.github.taniumroutes.investigation;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * The endpoint an investigation works on: {@code clientId}, {@code hostname}, {@code ip} and
 * {@code platform} as Threat Response's connect call names it ({@code clientId} is the Tanium
 * client's computer id), and {@code endpointId}, the Gateway's id of the same endpoint, which keys
 * its results. Journal records written before {@code endpointId} existed read it as null.
 */
public record Target(String clientId, String hostname, String ip, String platform, String endpointId) {

    /** The result key: the Gateway endpoint id, as the endpoint's other results are keyed; the client id for older records. */
    @JsonIgnore
    public String resultKey() {
        return endpointId != null ? endpointId : clientId;
    }
}
