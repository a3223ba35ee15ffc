package io.github.taniumroutes.investigation;

import java.time.Duration;
import java.time.Instant;

import org.apache.camel.Variable;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.taniumroutes.alert.CanonicalAlert;
import io.github.taniumroutes.policy.Decision;
import io.github.taniumroutes.publish.ResultIds;
import io.github.taniumroutes.tanium.TaniumEndpoint;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/**
 * Investigation requests: written by a step route for an enriched alert (one endpoint found), read
 * by the investigation-requests route. The investigation id is derived from the alert id and the step,
 * so a request produced twice (an alert re-read after a failed batch) names the same investigation.
 */
@Singleton
@Named("investigationRequests")
public class InvestigationRequests {

    private final ObjectMapper mapper;
    private final Duration connectDeadline;
    private final Duration snapshotDeadline;

    @Inject
    public InvestigationRequests(ObjectMapper mapper,
            @ConfigProperty(name = "threat-response.connect-deadline") Duration connectDeadline,
            @ConfigProperty(name = "threat-response.snapshot-deadline") Duration snapshotDeadline) {
        this.mapper = mapper;
        this.connectDeadline = connectDeadline;
        this.snapshotDeadline = snapshotDeadline;
    }

    /** A snapshot of the alert's endpoint, as JSON for the investigations topic. */
    public String snapshotRequest(@Variable("alert") CanonicalAlert alert, @Variable("endpoint") TaniumEndpoint endpoint,
            @Variable("taniumServer") String server, @Variable("decision") Decision decision) {
        return request("snapshot", alert, endpoint, server, decision);
    }

    String request(String type, CanonicalAlert alert, TaniumEndpoint endpoint, String server, Decision decision) {
        if (endpoint == null || endpoint.id() == null) {
            throw new IllegalStateException("an investigation needs the one endpoint the lookup found");
        }
        if (endpoint.computerId() == null) {
            throw new IllegalStateException("the Gateway did not return the endpoint's computerID, which Threat Response needs as clientId");
        }
        InvestigationRequest request = new InvestigationRequest(Investigation.SCHEMA_VERSION, ResultIds.of(alert.id(), type),
                alert.id(), type, server, new Target(endpoint.computerId(), endpoint.name(), endpoint.ipAddress(), endpoint.platform(), endpoint.id()),
                decision == null ? null : decision.rule(), decision == null ? null : decision.policyVersion(),
                Instant.now().toString(), connectDeadline.toMillis(), snapshotDeadline.toMillis());
        try {
            return mapper.writeValueAsString(request);
        } catch (Exception e) {
            throw new IllegalStateException("cannot write the investigation request", e);
        }
    }

    public InvestigationRequest read(byte[] value) {
        try {
            InvestigationRequest request = mapper.readValue(value, InvestigationRequest.class);
            if (request.investigationId() == null || request.target() == null || request.target().clientId() == null
                    || request.server() == null) {
                throw new IllegalArgumentException("it names no investigation id, server or target client id");
            }
            return request;
        } catch (Exception e) {
            throw new IllegalArgumentException("unreadable investigation request: " + e.getMessage(), e);
        }
    }
}
