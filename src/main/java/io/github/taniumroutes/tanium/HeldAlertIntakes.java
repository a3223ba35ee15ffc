package io.github.taniumroutes.tanium;

import java.util.regex.Pattern;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.spi.CamelEvent;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * One held-alert intake per configured Tanium server: the route {@code held-alert-intake-<server>},
 * made from the alert-intake template, reads {@code <alerts.held.topic-prefix><server>} in consumer
 * group {@code <alerts.held.consumer-group>-<server>}, and waits while that server does not answer
 * (IntakePause). The servers are known from configuration only, so the routes are made here rather
 * than listed in YAML.
 */
@Singleton
public class HeldAlertIntakes {

    /** The characters Kafka allows in a topic name, at a length within its limit (249). */
    private static final Pattern KAFKA_NAME = Pattern.compile("[a-zA-Z0-9._-]{1,200}");

    private final CamelContext camel;
    private final TaniumSettings settings;
    private final IntakePause intakePause;
    private final String topicPrefix;
    private final String consumerGroup;

    @Inject
    public HeldAlertIntakes(CamelContext camel, TaniumSettings settings, IntakePause intakePause,
            @ConfigProperty(name = "alerts.held.topic-prefix") String topicPrefix,
            @ConfigProperty(name = "alerts.held.consumer-group") String consumerGroup) {
        this.camel = camel;
        this.settings = settings;
        this.intakePause = intakePause;
        this.topicPrefix = topicPrefix;
        this.consumerGroup = consumerGroup;
    }

    void start(@Observes CamelEvent.CamelContextStartedEvent started) throws Exception {
        for (String server : settings.servers().keySet()) {
            String topic = topicFor(server);
            String routeId = routeIdFor(server);
            intakePause.waitsFor(routeId, server);
            TemplatedRouteBuilder.builder(camel, "alert-intake")
                    .routeId(routeId)
                    .parameter("topic", topic)
                    .parameter("groupId", consumerGroup + "-" + server)
                    .parameter("intake", "held")
                    .add();
        }
    }

    /** The topic the alerts held for {@code server} are parked on. */
    public String topicFor(String server) {
        String topic = topicPrefix + server;
        if (!KAFKA_NAME.matcher(topic).matches()) {
            throw new IllegalArgumentException("Tanium server name '" + server + "' cannot name a Kafka topic (" + topic
                    + "): use letters, digits, '.', '_' and '-' in tanium.servers.<name>, or change alerts.held.topic-prefix");
        }
        return topic;
    }

    public static String routeIdFor(String server) {
        return "held-alert-intake-" + server;
    }
}
