package io.github.taniumroutes.connect;

/** Why a post to the Connect destination is refused, as the HTTP status Connect gets and a reason without any of the body or secret. */
public final class ConnectRefusal extends Exception {

    private final int status;

    public ConnectRefusal(int status, String reason) {
        super(reason, null, false, false);
        this.status = status;
    }

    public int getStatus() {
        return status;
    }
}
