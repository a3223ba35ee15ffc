package io.github.taniumroutes.tanium;

import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithParentName;

/**
 * Tanium servers by name ({@code tanium.servers.<name>.*}); {@code default} is the one alerts use
 * unless a policy names another. Each server has its own URL, and an API token or credentials (or both:
 * the token first, the credentials to renew).
 */
@ConfigMapping(prefix = "tanium.servers")
public interface TaniumSettings {

    @WithParentName
    Map<String, Server> servers();

    interface Server {
        /** Base URL, e.g. https://tanium.example.com (no trailing path). */
        String url();

        /** API token sent in the {@code session} header. */
        Optional<String> token();

        /** With {@link #password()}: logs in ({@code POST /api/v2/session/login}) when there is no token, and renews a rejected session. */
        Optional<String> username();

        Optional<String> password();

        /** The login's domain, for a directory account. */
        Optional<String> domain();

        /** A file holding the API token (a mounted Kubernetes Secret): read instead of {@link #token()}, and again when it changes. */
        Optional<String> tokenFile();

        /** A file holding the password, read instead of {@link #password()}, and again when it changes. */
        Optional<String> passwordFile();

        /** Calls to this server at once from one instance (enrichment and every flow together); the fleet's is this × replicas. */
        @io.smallrye.config.WithDefault("32")
        int maxInFlight();

        /** Calls this server is sent per second from one instance; 0: no limit. The fleet's is this × replicas. */
        @io.smallrye.config.WithDefault("0")
        int maxRequestsPerSecond();

        /**
         * The action group this server's actions are issued in: an id, or a name resolved once
         * ({@code GET /api/v2/action_groups/by-name/{name}}); actions cannot be issued without one.
         */
        Optional<String> actionGroup();

        /** How long this server's actions stay open for endpoints that come online ({@code expire_seconds}); else the package's. */
        Optional<Integer> actionExpireSeconds();

        /** Over how long this server's actions are spread across their targets ({@code distribute_seconds}); else {@code action.distribute-seconds}. */
        Optional<Integer> actionDistributeSeconds();

        /**
         * Which generation of Direct Connect's Gateway API this server speaks: {@code current} (directConnectOpen, ...; Tanium's
         * API Gateway reference) or {@code legacy} (openDirectConnection, ...; seed 004). Selects the documents
         * {@code config/graphql/direct-connect-<generation>-*.graphql}.
         */
        @io.smallrye.config.WithDefault("current")
        String directConnectApi();

        /**
         * After how long without a request this server closes a Direct Connect session (two minutes in seed 004, five in Tanium's
         * current reference; the lower is the default): sessions held are pinged after a third of it.
         */
        @io.smallrye.config.WithDefault("PT2M")
        java.time.Duration directConnectInactivityLimit();

        /** TLS of its own for this server (its CA, a client certificate); without it, {@code tanium.tls.*} applies. */
        Optional<Tls> tls();
    }

    interface Tls {
        /** A PKCS12 (or {@link #truststoreType()}) store of the CA certificates this server's certificate is checked against. */
        Optional<String> truststorePath();

        Optional<String> truststorePassword();

        @io.smallrye.config.WithDefault("PKCS12")
        String truststoreType();

        /** A key store holding the client certificate and key to present, for a server that asks for one. */
        Optional<String> keystorePath();

        Optional<String> keystorePassword();

        @io.smallrye.config.WithDefault("PKCS12")
        String keystoreType();
    }
}
