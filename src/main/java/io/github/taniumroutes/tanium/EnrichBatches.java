package io.github.taniumroutes.tanium;

import java.util.List;

import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Variable;
import org.apache.camel.component.kafka.KafkaConstants;
import org.jboss.logging.Logger;

import io.github.taniumroutes.alert.AlertParser;
import io.github.taniumroutes.alert.CanonicalAlert;
import io.github.taniumroutes.kafka.AnsweredRecords;
import io.github.taniumroutes.kafka.RecordSource;
import io.github.taniumroutes.policy.PlaybookPolicy;
import io.github.taniumroutes.policy.PolicyDecisions;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/**
 * A batch's alerts as enrichment needs them before the split (variable enrichBatch, see
 * {@link EnrichBatch}): each record read once — parsed, and its Tanium server and sensors taken from
 * the policy without deciding — so that the batch's Tanium calls can be planned together and each
 * alert is parsed only once. A record that was answered before (its batch is read again) or that
 * cannot be parsed is left out: process-alert replays or dead-letters it as ever.
 */
@Singleton
@Named("enrichBatches")
public class EnrichBatches {

    private static final Logger LOG = Logger.getLogger(EnrichBatches.class);

    private final AlertParser parser;
    private final PlaybookPolicy policy;
    private final AnsweredRecords answered;

    @Inject
    public EnrichBatches(AlertParser parser, PlaybookPolicy policy, AnsweredRecords answered) {
        this.parser = parser;
        this.policy = policy;
        this.answered = answered;
    }

    public EnrichBatch newBatch() {
        return new EnrichBatch();
    }

    /** Every record of the batch (variable batch, the consumer's), in order. Never fails: what it cannot read is left to process-alert. */
    public void read(@Variable("batch") List<Exchange> records, @Variable("enrichBatch") EnrichBatch batch) {
        for (int index = 0; index < records.size(); index++) {
            readRecord(records.get(index).getMessage(), index, batch);
        }
    }

    /** One record: its message is only read, never changed (it holds the batch's commit handle). */
    private void readRecord(Message record, int index, EnrichBatch batch) {
        try {
            String topic = record.getHeader(KafkaConstants.TOPIC, String.class);
            Integer partition = record.getHeader(KafkaConstants.PARTITION, Integer.class);
            Long offset = record.getHeader(KafkaConstants.OFFSET, Long.class);
            if (topic == null || partition == null || offset == null) {
                return;
            }
            RecordSource source = new RecordSource(topic, partition, offset);
            if (answered.answered(source)) {
                return;
            }
            CanonicalAlert alert = parser.parse(record.getBody(byte[].class));
            PolicyDecisions.Enrichment enrichment = policy.enrichment(alert);
            batch.add(new EnrichBatch.Alert(source, index, alert, enrichment.server(), enrichment.sensors()));
        } catch (Exception unreadable) {
            LOG.debugf("a record is left to its own processing: %s", unreadable.getMessage());
        }
    }

    /** The alert as its batch read it, else parsed now (a record the batch could not read fails here, as it always did). */
    public CanonicalAlert alert(@Variable("source") RecordSource source, @Variable("enrichBatch") EnrichBatch batch, @Body byte[] value)
            throws Exception {
        EnrichBatch.Alert read = batch == null ? null : batch.alert(source);
        return read != null ? read.alert() : parser.parse(value);
    }

    /** The Tanium calls the batch's requests made for this alert: its own lookup and its own read, if it was the first to need them. */
    public int callsMadeFor(@Variable("source") RecordSource source, @Variable("enrichBatch") EnrichBatch batch) {
        return batch == null ? 0 : batch.callsMadeFor(source);
    }
}
