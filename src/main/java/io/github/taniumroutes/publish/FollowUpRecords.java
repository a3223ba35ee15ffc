package io.github.taniumroutes.publish;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/**
 * Records that must reach Kafka together with an alert's result, so the alert is committed only once
 * all of them are acknowledged: its audit record ({@value #AUDIT}, for {@code audit.topic}, kept longer
 * than results) and its investigation request ({@value #INVESTIGATION}, for {@code investigations.topic}).
 * A result carrying them as headers is followed, in the batch's outgoing list, by one record per
 * header, with the result's key (the endpoint id).
 */
@Singleton
@Named("followUpRecords")
public class FollowUpRecords {

    public static final String AUDIT = "auditRecord";
    public static final String INVESTIGATION = "investigationRequest";

    private final Map<String, String> topicByHeader = new LinkedHashMap<>();

    @Inject
    public FollowUpRecords(@ConfigProperty(name = "audit.topic") String auditTopic,
            @ConfigProperty(name = "investigations.topic") String investigationsTopic) {
        topicByHeader.put(AUDIT, auditTopic);
        topicByHeader.put(INVESTIGATION, investigationsTopic);
    }

    public List<Message> withFollowUps(List<Message> outcomes) {
        List<Message> outgoing = new ArrayList<>(outcomes.size());
        for (Message outcome : outcomes) {
            Map<String, Object> followUps = new LinkedHashMap<>();
            topicByHeader.keySet().forEach(header -> {
                Object body = outcome.removeHeader(header);
                if (body != null) {
                    followUps.put(header, body);
                }
            });
            outgoing.add(outcome);
            followUps.forEach((header, body) -> {
                Message record = outcome.copy();
                record.setBody(body);
                record.setHeader(KafkaConstants.OVERRIDE_TOPIC, topicByHeader.get(header));
                record.removeHeader("outcome");
                outgoing.add(record);
            });
        }
        return outgoing;
    }
}
