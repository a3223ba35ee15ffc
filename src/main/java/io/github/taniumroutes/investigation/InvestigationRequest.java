package io.github.taniumroutes.investigation;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What the intake hands over for long work, on the investigations topic keyed by endpoint: which
 * alert, which step, which Tanium server and endpoint, and the deadlines that apply. The deadlines are
 * fixed here, so a resumed investigation keeps the ones it started with.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record InvestigationRequest(int schemaVersion, String investigationId, String alertId, String type, String server,
        Target target, String rule, String policyVersion, String requestedAt, long connectDeadlineMs,
        long snapshotDeadlineMs) {
}
