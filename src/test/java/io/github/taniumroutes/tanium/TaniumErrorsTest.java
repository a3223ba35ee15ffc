package io.github.taniumroutes.tanium;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.util.Map;

import org.apache.camel.http.base.HttpOperationFailedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TaniumErrorsTest {

    private static final String SECRET = "token-s3cr3t-abcdef";

    private final TaniumErrors errors = new TaniumErrors();

    private static HttpOperationFailedException http(int status) {
        return new HttpOperationFailedException(
                "https://tanium.example.com/plugin/products/gateway/graphql?session=" + SECRET, status,
                "Status " + SECRET, "https://elsewhere.example/?t=" + SECRET,
                Map.of("session", SECRET, "Set-Cookie", "session=" + SECRET, "Authorization", "Bearer " + SECRET),
                "{\"error\": \"bad session " + SECRET + "\"}");
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 404, 429, 500, 502, 503})
    void httpFailureIsDescribedByStatusOnly(int status) {
        String description = errors.describe(http(status));

        assertThat(description).isEqualTo("HTTP " + status + " from Tanium");
        assertThat(description).doesNotContain(SECRET).doesNotContain("session").doesNotContain("Bearer");
    }

    @ParameterizedTest
    @ValueSource(ints = {401, 403})
    void rejectedTokenIsExplainedWithoutTheToken(int status) {
        String description = errors.describe(http(status));

        assertThat(description).isEqualTo("HTTP " + status + " from Tanium (session rejected: the token expired or was revoked, or this "
                + "address is not trusted for it; with credentials configured it is renewed once)");
        assertThat(description).doesNotContain(SECRET);
        assertThat(errors.outcome(http(status))).isEqualTo("tanium_unauthorized");
    }

    @Test
    void anUnreachableOrUnwellTaniumIsAnOutageAWrongRequestOrCertificateIsNot() {
        assertThat(errors.isOutage(http(503))).isTrue();
        assertThat(errors.isOutage(http(429))).isTrue();
        assertThat(errors.isOutage(new java.net.ConnectException("refused"))).isTrue();
        assertThat(errors.isOutage(new java.net.SocketTimeoutException("read timed out"))).isTrue();
        assertThat(errors.isOutage(new org.apache.camel.RuntimeCamelException(http(502)))).as("however wrapped").isTrue();
        assertThat(errors.isOutage(http(400))).isFalse();
        assertThat(errors.isOutage(http(401))).isFalse();
        assertThat(errors.isOutage(new javax.net.ssl.SSLHandshakeException("PKIX path validation failed"))).isFalse();
        assertThat(errors.isOutage(new IllegalStateException("unreadable reply"))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 404, 429, 500, 503})
    void everyOtherFailureIsATaniumError(int status) {
        assertThat(errors.outcome(http(status))).isEqualTo("tanium_error");
        assertThat(errors.outcome(new java.io.IOException("refused"))).isEqualTo("tanium_error");
    }

    @Test
    void taniumExceptionKeepsItsMessage() {
        assertThat(errors.describe(new TaniumException("GraphQL error: Sensor not found: X")))
                .isEqualTo("GraphQL error: Sensor not found: X");
    }

    @Test
    void timeoutsAreNamedAsSuch() {
        assertThat(errors.describe(new SocketTimeoutException("Read timed out " + SECRET))).isEqualTo("timed out waiting for Tanium");
        assertThat(errors.describe(new HttpTimeoutException("request timed out"))).isEqualTo("timed out waiting for Tanium");
        assertThat(errors.describe(new ConnectTimeoutException())).isEqualTo("timed out waiting for Tanium");
    }

    @Test
    void ioFailureNamesOnlyTheExceptionType() {
        assertThat(errors.describe(new ConnectException("Connection refused to " + SECRET)))
                .isEqualTo("cannot reach Tanium: ConnectException");
        assertThat(errors.describe(new UnknownHostException("tanium.example.com")))
                .isEqualTo("cannot reach Tanium: UnknownHostException");
        assertThat(errors.describe(new IOException(SECRET))).isEqualTo("cannot reach Tanium: IOException");
    }

    @Test
    void anythingElseIsUnexpectedAndNamedOnlyByType() {
        assertThat(errors.describe(new IllegalStateException("header session=" + SECRET)))
                .isEqualTo("unexpected error: IllegalStateException");
    }

    @Test
    void noFailureIsUnknown() {
        assertThat(errors.describe(null)).isEqualTo("unknown error");
    }

    /** Like Apache HttpClient's ConnectTimeoutException: recognised by name. */
    private static final class ConnectTimeoutException extends IOException {
        ConnectTimeoutException() {
            super("Connect to " + SECRET + " timed out");
        }
    }
}
