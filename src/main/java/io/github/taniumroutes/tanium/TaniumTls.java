package io.github.taniumroutes.tanium;

import java.util.Optional;

import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * TLS for calls to Tanium: certificate and host name verification are always on. A configured
 * truststore (tanium.tls.truststore.*) is offered as bean {@code taniumTls}, which
 * {@link TaniumServers} attaches to https Tanium URLs only (on the component it would turn every
 * http URL into https). Without one, the JVM's default trust store applies.
 */
public class TaniumTls {

    public static final String BEAN = "taniumTls";

    @Produces
    @Singleton
    @Named(BEAN)
    SSLContextParameters taniumTrustStore(@ConfigProperty(name = "tanium.tls.truststore.path") Optional<String> path,
            @ConfigProperty(name = "tanium.tls.truststore.password") Optional<String> password,
            @ConfigProperty(name = "tanium.tls.truststore.type") String type) {
        SSLContextParameters parameters = new SSLContextParameters();
        path.filter(p -> !p.isBlank()).ifPresent(p -> {
            KeyStoreParameters store = new KeyStoreParameters();
            store.setResource("file:" + p);
            store.setType(type);
            password.ifPresent(store::setPassword);
            TrustManagersParameters trust = new TrustManagersParameters();
            trust.setKeyStore(store);
            parameters.setTrustManagers(trust);
        });
        return parameters;
    }
}
