package io.github.taniumroutes.alert;

import com.fasterxml.jackson.databind.JsonNode;

/** One source format the intake understands: how to recognise it and how to map it to the canonical alert. */
public interface AlertFormat {

    /** Stable name, reported in the canonical alert's {@code format} field. */
    String name();

    /** True when the document unambiguously has this format's distinguishing keys. */
    boolean recognises(JsonNode document);

    /** Maps the document; throws for wrong types. Host identity is checked by the caller. */
    CanonicalAlert normalise(JsonNode document) throws InvalidAlertException;
}
