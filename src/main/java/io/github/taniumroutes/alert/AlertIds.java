package io.github.taniumroutes.alert;

/** Alert ids are prefixed with their source so ids from different SIEMs never collide in results or journals. */
final class AlertIds {

    private AlertIds() {
    }

    static String prefixed(String source, String id) {
        return id == null ? null : source + ":" + id;
    }
}
