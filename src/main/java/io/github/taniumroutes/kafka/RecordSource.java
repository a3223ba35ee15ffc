package io.github.taniumroutes.kafka;

/** Where a consumed record came from: enough to find it again (a dead letter says it) and to know it when it is read again. */
public record RecordSource(String topic, int partition, long offset) {

    @Override
    public String toString() {
        return topic + "-" + partition + "@" + offset;
    }
}
