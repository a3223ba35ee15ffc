package io.github.taniumroutes.tanium;

import java.util.Optional;

import org.apache.camel.Variable;

import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Resolves a named Tanium server to its URL for the routes (its session: {@link TaniumSessions}).
 */
@Singleton
@Named("taniumServers")
public class TaniumServers {

    private final TaniumSettings settings;
    private final boolean customTrustStore;

    private final org.apache.camel.CamelContext camel;
    private final java.util.Set<String> boundTls = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @Inject
    public TaniumServers(TaniumSettings settings,
            @ConfigProperty(name = "tanium.tls.truststore.path") Optional<String> trustStore, org.apache.camel.CamelContext camel) {
        this.settings = settings;
        this.customTrustStore = trustStore.filter(p -> !p.isBlank()).isPresent();
        this.camel = camel;
    }

    public TaniumServers(TaniumSettings settings) {
        this(settings, Optional.empty(), null);
    }

    /**
     * The server's base URI for camel-http (the request path goes in header CamelHttpPath); https URLs
     * carry the configured trust store, if any. One endpoint per server, however many paths are called.
     */
    public String endpointUri(@Variable("taniumServer") String server) {
        String url = baseUrl(server);
        if (!url.startsWith("https:")) {
            return url;
        }
        Optional<TaniumSettings.Tls> own = server(server).tls();
        if (own.isPresent() && camel != null) {
            String bean = TaniumTls.BEAN + "-" + server;
            synchronized (boundTls) {
                if (!boundTls.contains(server)) {
                    camel.getRegistry().bind(bean, org.apache.camel.support.jsse.SSLContextParameters.class, TaniumTls.of(own.get()));
                    boundTls.add(server);
                }
            }
            return url + "?sslContextParameters=#" + bean;
        }
        return customTrustStore ? url + "?sslContextParameters=#" + TaniumTls.BEAN : url;
    }

    /**
     * The server's URI for one kind of call: {@code stream} leaves the reply an open stream for the caller to
     * read (a download, read with a cap: camel-http would otherwise copy all of it first), and
     * {@code deleteWithBody} sends a DELETE's body (Threat Response's {@code DELETE /filedownload {"ids"}}).
     */
    public String endpointUri(String server, Boolean stream, Boolean deleteWithBody) {
        String uri = endpointUri(server);
        StringBuilder options = new StringBuilder();
        if (Boolean.TRUE.equals(stream)) {
            options.append("disableStreamCache=true");
        }
        if (Boolean.TRUE.equals(deleteWithBody)) {
            options.append(options.length() == 0 ? "" : "&").append("deleteWithBody=true");
        }
        if (options.length() == 0) {
            return uri;
        }
        return uri + (uri.contains("?") ? "&" : "?") + options;
    }

    private String baseUrl(String server) {
        String url = server(server).url().strip();
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private TaniumSettings.Server server(String name) {
        TaniumSettings.Server server = settings.servers().get(name);
        if (server == null) {
            throw new TaniumException("unknown Tanium server '" + name + "'; configured: " + settings.servers().keySet());
        }
        return server;
    }
}
