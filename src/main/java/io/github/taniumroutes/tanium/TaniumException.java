package io.github.taniumroutes.tanium;

/** Tanium answered, but not with what was asked for (GraphQL errors, unexpected shapes). */
public class TaniumException extends RuntimeException {

    public TaniumException(String message) {
        super(message, null, false, false);
    }
}
