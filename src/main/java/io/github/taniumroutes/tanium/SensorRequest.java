package io.github.taniumroutes.tanium;

import java.util.Set;

/**
 * One sensor of the enrichment read and the parameters it takes. Which sensors take which
 * parameter comes from Tanium's sensor definitions as the SOAR guide documents them.
 */
public record SensorRequest(String name, boolean takesHashType, boolean takesHostOrIp) {

    private static final Set<String> HASH_TYPE_SENSORS =
            Set.of("Running Processes with Hash", "Service Status with Hash", "Network Details");
    private static final Set<String> HOST_OR_IP_SENSORS = Set.of("Network Details");

    public static SensorRequest named(String name) {
        String trimmed = name.strip();
        return new SensorRequest(trimmed, HASH_TYPE_SENSORS.contains(trimmed), HOST_OR_IP_SENSORS.contains(trimmed));
    }
}
