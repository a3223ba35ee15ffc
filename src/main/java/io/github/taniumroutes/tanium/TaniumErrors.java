package io.github.taniumroutes.tanium;

import java.net.SocketTimeoutException;
import java.net.http.HttpTimeoutException;

import org.apache.camel.http.base.HttpOperationFailedException;

import jakarta.inject.Named;
import jakarta.inject.Singleton;

/**
 * Says in one line what went wrong talking to Tanium, for the result's {@code reason}. Built from the
 * exception type and status only: never from request headers, so the session token cannot leak.
 */
@Singleton
@Named("taniumErrors")
public class TaniumErrors {

    /**
     * The outcome of a call that failed for good: {@code tanium_unauthorized} when Tanium rejected
     * the session (401/403) and it could not be renewed, else {@code tanium_error}.
     */
    public String outcome(Throwable failure) {
        return failure instanceof HttpOperationFailedException http && (http.getStatusCode() == 401 || http.getStatusCode() == 403)
                ? "tanium_unauthorized"
                : "tanium_error";
    }

    public String describe(Throwable failure) {
        if (failure == null) {
            return "unknown error";
        }
        if (failure instanceof HttpOperationFailedException http) {
            return "HTTP " + http.getStatusCode() + " from Tanium" + (http.getStatusCode() == 401 || http.getStatusCode() == 403
                    ? " (session rejected: the token expired or was revoked, or this address is not trusted for it; with credentials"
                            + " configured it is renewed once)"
                    : "");
        }
        if (failure instanceof TaniumException) {
            return failure.getMessage();
        }
        if (failure instanceof SocketTimeoutException || failure instanceof HttpTimeoutException
                || failure.getClass().getSimpleName().contains("Timeout")) {
            return "timed out waiting for Tanium";
        }
        if (failure instanceof java.io.IOException) {
            return "cannot reach Tanium: " + failure.getClass().getSimpleName();
        }
        return "unexpected error: " + failure.getClass().getSimpleName();
    }
}
