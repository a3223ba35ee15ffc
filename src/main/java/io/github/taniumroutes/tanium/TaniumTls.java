package io.github.taniumroutes.tanium;

import java.util.Optional;

import org.apache.camel.spi.CamelContextCustomizer;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * TLS for calls to Tanium: certificate and host name verification are always on. A configured
 * truststore (tanium.tls.truststore.*) becomes Camel's global SSL context, which camel-http applies
 * to https URLs only (an explicit sslContextParameters would turn every http URL into https).
 * Without one, the JVM's default trust store applies.
 */
public class TaniumTls {

    @Produces
    @Singleton
    CamelContextCustomizer taniumTrustStore(@ConfigProperty(name = "tanium.tls.truststore.path") Optional<String> path,
            @ConfigProperty(name = "tanium.tls.truststore.password") Optional<String> password,
            @ConfigProperty(name = "tanium.tls.truststore.type") String type) {
        return context -> path.filter(p -> !p.isBlank()).ifPresent(p -> {
            KeyStoreParameters store = new KeyStoreParameters();
            store.setResource("file:" + p);
            store.setType(type);
            password.ifPresent(store::setPassword);
            TrustManagersParameters trust = new TrustManagersParameters();
            trust.setKeyStore(store);
            SSLContextParameters parameters = new SSLContextParameters();
            parameters.setTrustManagers(trust);
            context.setSSLContextParameters(parameters);
        });
    }
}
