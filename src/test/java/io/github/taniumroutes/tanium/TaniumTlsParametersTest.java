package io.github.taniumroutes.tanium;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;

import org.apache.camel.support.jsse.SSLContextParameters;
import org.junit.jupiter.api.Test;

/** A server's own TLS: its trust store, and the client certificate it may ask for. */
class TaniumTlsParametersTest {

    private record Tls(Optional<String> truststorePath, Optional<String> truststorePassword, String truststoreType,
            Optional<String> keystorePath, Optional<String> keystorePassword, String keystoreType) implements TaniumSettings.Tls {
    }

    @Test
    void aServersTrustStoreAndClientCertificateAreBothUsed() {
        SSLContextParameters parameters = TaniumTls.of(new Tls(Optional.of("/secrets/ca.p12"), Optional.of("ca-pw"), "PKCS12",
                Optional.of("/secrets/client.jks"), Optional.of("key-pw"), "JKS"));

        assertThat(parameters.getTrustManagers().getKeyStore().getResource()).isEqualTo("file:/secrets/ca.p12");
        assertThat(parameters.getKeyManagers().getKeyStore().getResource()).isEqualTo("file:/secrets/client.jks");
        assertThat(parameters.getKeyManagers().getKeyStore().getType()).isEqualTo("JKS");
        assertThat(parameters.getKeyManagers().getKeyPassword()).isEqualTo("key-pw");
    }

    @Test
    void withoutAClientCertificateNoneIsPresented() {
        SSLContextParameters parameters = TaniumTls.of(new Tls(Optional.of("/secrets/ca.p12"), Optional.empty(), "PKCS12",
                Optional.empty(), Optional.empty(), "PKCS12"));

        assertThat(parameters.getKeyManagers()).isNull();
        assertThat(parameters.getTrustManagers()).isNotNull();
    }
}
