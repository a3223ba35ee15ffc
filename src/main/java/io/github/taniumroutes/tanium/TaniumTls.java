package io.github.taniumroutes.tanium;

import java.util.Optional;

import org.apache.camel.support.jsse.KeyManagersParameters;
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
 * http URL into https). Without one, the JVM's default trust store applies. A server with TLS of its
 * own (tanium.servers.<name>.tls.*) gets bean {@code taniumTls-<name>} instead.
 */
public class TaniumTls {

    public static final String BEAN = "taniumTls";

    @Produces
    @Singleton
    @Named(BEAN)
    SSLContextParameters taniumTrustStore(@ConfigProperty(name = "tanium.tls.truststore.path") Optional<String> path,
            @ConfigProperty(name = "tanium.tls.truststore.password") Optional<String> password,
            @ConfigProperty(name = "tanium.tls.truststore.type") String type) {
        return parameters(path, password, type, Optional.empty(), Optional.empty(), "PKCS12");
    }

    /** The TLS of one server that has its own (tanium.servers.<name>.tls.*). */
    static SSLContextParameters of(TaniumSettings.Tls tls) {
        return parameters(tls.truststorePath(), tls.truststorePassword(), tls.truststoreType(), tls.keystorePath(), tls.keystorePassword(),
                tls.keystoreType());
    }

    static SSLContextParameters parameters(Optional<String> trustPath, Optional<String> trustPassword, String trustType,
            Optional<String> keyPath, Optional<String> keyPassword, String keyType) {
        SSLContextParameters parameters = new SSLContextParameters();
        trustPath.filter(p -> !p.isBlank()).ifPresent(p -> {
            TrustManagersParameters trust = new TrustManagersParameters();
            trust.setKeyStore(store(p, trustPassword, trustType));
            parameters.setTrustManagers(trust);
        });
        keyPath.filter(p -> !p.isBlank()).ifPresent(p -> {
            KeyManagersParameters keys = new KeyManagersParameters();
            keys.setKeyStore(store(p, keyPassword, keyType));
            keyPassword.ifPresent(keys::setKeyPassword);
            parameters.setKeyManagers(keys);
        });
        return parameters;
    }

    private static KeyStoreParameters store(String path, Optional<String> password, String type) {
        KeyStoreParameters store = new KeyStoreParameters();
        store.setResource("file:" + path);
        store.setType(type);
        password.ifPresent(store::setPassword);
        return store;
    }
}
