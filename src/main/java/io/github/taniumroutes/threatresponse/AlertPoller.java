package io.github.taniumroutes.threatresponse;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.support.DefaultMessage;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.taniumroutes.kafka.LatestRecords;
import io.github.taniumroutes.kafka.PartitionOwner;
import io.github.taniumroutes.tanium.TaniumJson;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/**
 * The Threat Response alert poller (routes/threat-response-alerts.yaml): which instance polls, from
 * where, and what a poll found. One instance of the fleet polls: the one assigned the single partition
 * of {@code threat-response.alerts.state-topic} (a compacted topic; its group is the election). That
 * topic also holds, per server, the id of the last alert taken (the mark), written only after the
 * alerts it covers are on the alerts topic: a restart or a new owner goes on from the mark, so no alert
 * is skipped, and one is taken twice only when an instance stopped between the two writes (the same
 * Threat Response alert is the same alert id downstream).
 *
 * <p>A poll pages through {@code GET …/alerts?sort=-createdAt&limit&offset} (newest first, in the
 * configured state) until it reaches the mark; new alerts raised while it pages shift the pages, so an
 * alert may be seen twice in one poll (taken once), never skipped. With no mark yet the poller starts
 * from the newest alert ({@code start=latest}: only alerts raised from now on) or takes every alert
 * there is ({@code earliest}).
 */
@Singleton
@Named("alertPoller")
public class AlertPoller implements PartitionOwner {

    private static final Logger LOG = Logger.getLogger(AlertPoller.class);

    /** One poll of one server: the pages read so far and the alerts they hold that are newer than the mark. */
    public static final class Poll {
        private final String server;
        private final Long mark;
        private final int pageSize;
        private int offset;
        private boolean more = true;
        private Long newest;
        private final Map<Long, JsonNode> taken = new LinkedHashMap<>();

        Poll(String server, Long mark, int pageSize) {
            this.server = server;
            this.mark = mark;
            this.pageSize = pageSize;
        }

        public String getServer() {
            return server;
        }

        public boolean isMore() {
            return more;
        }

        public int getTaken() {
            return taken.size();
        }

        /** The mark after this poll: the newest alert seen, or the old mark. */
        Long nextMark() {
            if (newest == null || mark == null) {
                return newest == null ? mark : newest;
            }
            return Long.valueOf(Math.max(mark, newest));
        }
    }

    private final ObjectMapper mapper;
    private final CamelContext camel;
    private final String stateTopic;
    private final String alertsTopic;
    private final List<String> servers;
    private final int pageSize;
    private final String state;
    private final boolean startAtLatest;
    private final Map<String, Long> marks = new ConcurrentHashMap<>();
    private volatile boolean owner;

    @Inject
    public AlertPoller(ObjectMapper mapper, CamelContext camel,
            @ConfigProperty(name = "threat-response.alerts.state-topic") String stateTopic,
            @ConfigProperty(name = "alerts.topic") String alertsTopic,
            @ConfigProperty(name = "threat-response.alerts.poll-servers") Optional<List<String>> servers,
            @ConfigProperty(name = "threat-response.alerts.page-size") int pageSize,
            @ConfigProperty(name = "threat-response.alerts.state") Optional<String> state,
            @ConfigProperty(name = "threat-response.alerts.start") String start) {
        this.mapper = mapper;
        this.camel = camel;
        this.stateTopic = stateTopic;
        this.alertsTopic = alertsTopic;
        this.servers = servers.orElse(List.of()).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
        this.pageSize = pageSize;
        this.state = state.map(String::strip).filter(s -> !s.isEmpty()).orElse(null);
        if (!"latest".equals(start) && !"earliest".equals(start)) {
            throw new IllegalArgumentException("threat-response.alerts.start must be latest or earliest, not '" + start + "'");
        }
        this.startAtLatest = "latest".equals(start);
    }

    @Override
    public String topic() {
        return stateTopic;
    }

    /** Partition 0 of the state topic is this instance's: it polls, from the marks the topic holds. */
    @Override
    public void assigned(Collection<Integer> partitions) {
        if (!partitions.contains(0)) {
            return;
        }
        marks.clear();
        LatestRecords.read(camel, stateTopic, List.of(0)).forEach((server, value) -> {
            JsonNode mark = TaniumJson.read(mapper, new String(value, StandardCharsets.UTF_8), "alert poller mark");
            if (mark.path("lastAlertId").canConvertToLong()) {
                marks.put(server, mark.path("lastAlertId").asLong());
            }
        });
        owner = true;
        LOG.infof("this instance polls the Threat Response alerts of %s (marks %s)", servers, marks);
    }

    @Override
    public void revoked(Collection<Integer> partitions) {
        if (partitions.contains(0) && owner) {
            owner = false;
            LOG.infof("this instance no longer polls Threat Response alerts");
        }
    }

    /** The servers this instance polls now: all configured ones while it owns the poller, else none. */
    public List<String> serversToPoll() {
        return owner ? servers : List.of();
    }

    public Poll start(String server) {
        return new Poll(server, marks.get(server), pageSize);
    }

    /** The query of the poll's next page. */
    public String query(Poll poll) {
        return "sort=-createdAt&limit=" + poll.pageSize + "&offset=" + poll.offset
                + (state == null ? "" : "&state=" + URLEncoder.encode(state, StandardCharsets.UTF_8));
    }

    /** One page of alerts, newest first (a bare list, or under {@code data}): what is newer than the mark is taken. */
    public void page(Poll poll, String reply) {
        JsonNode root = TaniumJson.read(mapper, reply, "alert list");
        JsonNode list = root.isArray() ? root : root.path("data");
        if (!list.isArray()) {
            throw new IllegalStateException("Tanium's reply to the alert list holds no list");
        }
        for (JsonNode alert : list) {
            if (!alert.path("id").canConvertToLong()) {
                continue;
            }
            long id = alert.path("id").asLong();
            poll.newest = poll.newest == null ? id : Math.max(poll.newest, id);
            if (poll.mark != null && id <= poll.mark) {
                poll.more = false;
            } else if (poll.mark != null || !startAtLatest) {
                poll.taken.putIfAbsent(id, alert);
            }
        }
        if (poll.mark == null && startAtLatest && poll.newest == null) {
            // No alert at all yet: every alert raised from now on is new.
            poll.newest = 0L;
        }
        if (list.size() < poll.pageSize || poll.mark == null && startAtLatest) {
            // The last page, or a first poll that only learns where the alerts stand now.
            poll.more = false;
        }
        poll.offset += poll.pageSize;
    }

    /** The alerts taken, oldest first, as records for the alerts topic keyed by their computer. */
    public List<Message> alertRecords(Poll poll, Exchange exchange) throws Exception {
        List<Message> records = new ArrayList<>();
        List<JsonNode> oldestFirst = poll.taken.entrySet().stream().sorted(Map.Entry.comparingByKey()).map(Map.Entry::getValue).toList();
        for (JsonNode alert : oldestFirst) {
            Message record = new DefaultMessage(exchange.getContext());
            record.setBody(mapper.writeValueAsBytes(alert));
            record.setHeader(KafkaConstants.OVERRIDE_TOPIC, alertsTopic);
            String computer = alert.path("computerName").asText("");
            if (!computer.isBlank()) {
                record.setHeader(KafkaConstants.KEY, computer.getBytes(StandardCharsets.UTF_8));
            }
            records.add(record);
        }
        return records;
    }

    /** The server's new mark, for the state topic: written once the alerts it covers are acknowledged. */
    public List<Message> markRecord(Poll poll, Exchange exchange) {
        Long next = poll.nextMark();
        if (next == null) {
            return List.of();
        }
        Message record = new DefaultMessage(exchange.getContext());
        record.setBody(mapper.createObjectNode().put("server", poll.server).put("lastAlertId", next)
                .put("at", Instant.now().toString()).toString().getBytes(StandardCharsets.UTF_8));
        record.setHeader(KafkaConstants.OVERRIDE_TOPIC, stateTopic);
        record.setHeader(KafkaConstants.PARTITION_KEY, 0);
        record.setHeader(KafkaConstants.KEY, poll.server.getBytes(StandardCharsets.UTF_8));
        return List.of(record);
    }

    /** The poll's alerts and mark are on Kafka: the next poll starts from the new mark. */
    public void advanced(Poll poll) {
        Long next = poll.nextMark();
        if (next != null) {
            marks.merge(poll.server, next, Math::max);
        }
    }

    /** For the logs: how the poller stands. */
    public String describe() {
        return (owner ? "polling" : "not polling") + " " + servers + ", marks " + new java.util.TreeMap<>(marks);
    }
}
