package io.github.taniumroutes.tanium;

/**
 * A call not made because its server's circuit is open (TaniumOutages): the server did not answer a
 * moment ago, and only the probe asks it until it does. Counts as an outage, so the work waits.
 */
public class TaniumUnreachableException extends TaniumException {

    public TaniumUnreachableException(String server) {
        super("Tanium server '" + server + "' does not answer; not asked again until the probe finds it answering");
    }
}
