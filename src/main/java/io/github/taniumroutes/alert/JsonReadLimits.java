package io.github.taniumroutes.alert;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;

/**
 * How deep, long and wide an alert's JSON may be before the parser stops reading it. Each limit is
 * a setting, so a rejection can name the one that was hit (a hostile record must end as
 * {@code malformed_json} with the limit, never as an internal error).
 */
public record JsonReadLimits(int maxNestingDepth, int maxNumberLength, int maxStringLength, int maxNameLength) {

    public static final JsonReadLimits DEFAULTS = new JsonReadLimits(64, 100, 262_144, 1024);

    public StreamReadConstraints constraints() {
        return StreamReadConstraints.builder()
                .maxNestingDepth(maxNestingDepth)
                .maxNumberLength(maxNumberLength)
                .maxStringLength(maxStringLength)
                .maxNameLength(maxNameLength)
                .build();
    }

    /**
     * The limit a constraint exception reports, in this product's terms. Jackson names the
     * constraint by its getter in the message; that is the only place it says which one it was.
     */
    public String describe(StreamConstraintsException e) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("getMaxNestingDepth")) {
            return "nesting deeper than the limit (alerts.json.max-nesting-depth) of " + maxNestingDepth;
        }
        if (message.contains("getMaxNumberLength") || message.contains("Number value length")) {
            return "a number longer than the limit (alerts.json.max-number-length) of " + maxNumberLength + " characters";
        }
        if (message.contains("getMaxNameLength") || message.contains("Name length")) {
            return "a field name longer than the limit (alerts.json.max-name-length) of " + maxNameLength + " characters";
        }
        if (message.contains("getMaxStringLength") || message.contains("String value length")) {
            return "a string longer than the limit (alerts.json.max-string-length) of " + maxStringLength + " characters";
        }
        return "a parser limit: " + e.getOriginalMessage();
    }
}
