package io.github.taniumroutes.publish;

import java.util.ArrayList;
import java.util.List;

import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;

import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Remediation decisions are also kept on the audit topic, longer than results. A result that
 * carries an audit record (header {@value #HEADER}) is followed, in the batch's outgoing list, by
 * that record for {@code audit.topic}, with the same key.
 */
@Singleton
@Named("auditRecords")
public class AuditRecords {

    public static final String HEADER = "auditRecord";

    private final String auditTopic;

    @Inject
    public AuditRecords(@ConfigProperty(name = "audit.topic") String auditTopic) {
        this.auditTopic = auditTopic;
    }

    public List<Message> withAuditRecords(List<Message> outcomes) {
        List<Message> outgoing = new ArrayList<>(outcomes.size());
        for (Message outcome : outcomes) {
            Object audit = outcome.removeHeader(HEADER);
            outgoing.add(outcome);
            if (audit != null) {
                Message record = outcome.copy();
                record.setBody(audit);
                record.setHeader(KafkaConstants.OVERRIDE_TOPIC, auditTopic);
                record.removeHeader("outcome");
                outgoing.add(record);
            }
        }
        return outgoing;
    }
}
