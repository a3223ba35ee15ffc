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
        HttpOperationFailedException http = httpFailure(failure);
        return http != null && (http.getStatusCode() == 401 || http.getStatusCode() == 403)
                ? "tanium_unauthorized"
                : "tanium_error";
    }

    /**
     * Whether the failure says Tanium is unreachable or unwell rather than that the request was
     * wrong: I/O errors and timeouts (not a certificate that does not verify), 5xx and 429 after the
     * retries. A step may wait out such a failure; the same request will not fail differently later.
     */
    public boolean isOutage(Throwable failure) {
        HttpOperationFailedException http = httpFailure(failure);
        if (http != null) {
            return http.getStatusCode() >= 500 || http.getStatusCode() == 429;
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof TaniumUnreachableException) {
                return true;
            }
            if (cause instanceof javax.net.ssl.SSLException) {
                return false;
            }
            if (cause instanceof java.io.IOException || cause instanceof SocketTimeoutException || cause instanceof HttpTimeoutException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether Tanium certainly did nothing with a request that failed: it was never sent (its server's
     * circuit is open, the connection was refused or never made, no connection was free), or Tanium
     * refused it (4xx, or 503: not served). After anything else — a timeout or a broken connection
     * once the request was sent, a 500, 502 or 504 — Tanium may have acted on it, so a request that
     * changes something (issues an action, takes a snapshot) is neither retried nor sent again.
     */
    public static boolean nothingDone(Throwable failure) {
        HttpOperationFailedException http = httpFailure(failure);
        if (http != null) {
            return http.getStatusCode() >= 400 && http.getStatusCode() < 500 || http.getStatusCode() == 503;
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof TaniumUnreachableException || cause instanceof java.net.ConnectException
                    || cause instanceof java.net.UnknownHostException || cause instanceof java.net.NoRouteToHostException) {
                return true;
            }
            String type = cause.getClass().getSimpleName();
            if (type.equals("ConnectTimeoutException") || type.equals("ConnectionRequestTimeoutException")
                    || type.equals("DeadlineTimeoutException") || type.equals("HttpHostConnectException")) {
                return true;
            }
        }
        return false;
    }

    /** Whether Tanium replied at all (an HTTP status), as opposed to a failure before or instead of a reply. */
    public boolean isReply(Throwable failure) {
        return httpFailure(failure) != null;
    }

    public String describe(Throwable failure) {
        if (failure == null) {
            return "unknown error";
        }
        HttpOperationFailedException http = httpFailure(failure);
        if (http != null) {
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

    /** The HTTP failure behind {@code failure}, however Camel wrapped it (a bean that rethrew it, an exchange failure). */
    private static HttpOperationFailedException httpFailure(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof HttpOperationFailedException http) {
                return http;
            }
        }
        return null;
    }
}
