package io.github.taniumroutes.investigation;

/** The endpoint an investigation works on, as Threat Response's connect call names it. */
public record Target(String clientId, String hostname, String ip, String platform) {
}
