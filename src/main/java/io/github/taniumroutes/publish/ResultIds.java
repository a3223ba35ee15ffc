package io.github.taniumroutes.publish;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Result ids are derived from the alert id and the step, so that a result produced twice by
 * at-least-once delivery carries the same id and consumers can drop the duplicate.
 */
public final class ResultIds {

    private ResultIds() {
    }

    public static String of(String alertId, String step) {
        return UUID.nameUUIDFromBytes((alertId + "\u0000" + step).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
