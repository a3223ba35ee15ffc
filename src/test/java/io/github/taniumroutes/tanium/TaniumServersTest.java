package io.github.taniumroutes.tanium;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class TaniumServersTest {

    private record Server(String url, Optional<String> token) implements TaniumSettings.Server {
        public Optional<String> username() {
            return Optional.empty();
        }

        public Optional<String> password() {
            return Optional.empty();
        }

        public Optional<String> domain() {
            return Optional.empty();
        }

        public Optional<String> tokenFile() {
            return Optional.empty();
        }

        public Optional<String> passwordFile() {
            return Optional.empty();
        }

        public Optional<TaniumSettings.Tls> tls() {
            return Optional.empty();
        }

        public int maxInFlight() {
            return 32;
        }

        public int maxRequestsPerSecond() {
            return 0;
        }

    }

    private static TaniumServers servers(Map<String, TaniumSettings.Server> byName) {
        TaniumSettings settings = () -> byName;
        return new TaniumServers(settings);
    }

    private static TaniumServers standard() {
        Map<String, TaniumSettings.Server> byName = new LinkedHashMap<>();
        byName.put("default", new Server("https://tanium.example.com", Optional.of("token-default")));
        byName.put("lab", new Server("  https://lab.example.com:8443/  ", Optional.of("token-lab")));
        byName.put("notoken", new Server("https://n.example.com", Optional.empty()));
        byName.put("blank", new Server("https://b.example.com", Optional.of("   ")));
        return servers(byName);
    }

    @Test
    void endpointUriIsTheBaseUrlWithoutAPath() {
        assertThat(standard().endpointUri("default"))
                .isEqualTo("https://tanium.example.com");
    }

    @Test
    void aConfiguredTrustStoreIsAttachedToHttpsUrlsOnly() {
        Map<String, TaniumSettings.Server> byName = new LinkedHashMap<>();
        byName.put("tls", new Server("https://tanium.example.com", Optional.of("t")));
        byName.put("plain", new Server("http://127.0.0.1:8443", Optional.of("t")));
        TaniumSettings settings = () -> byName;
        TaniumServers servers = new TaniumServers(settings, Optional.of("/etc/tanium/truststore.p12"), null);

        assertThat(servers.endpointUri("tls"))
                .isEqualTo("https://tanium.example.com?sslContextParameters=#taniumTls");
        assertThat(servers.endpointUri("plain")).isEqualTo("http://127.0.0.1:8443");
    }

    @Test
    void baseUrlIsTrimmedAndLosesItsTrailingSlash() {
        assertThat(standard().endpointUri("lab"))
                .isEqualTo("https://lab.example.com:8443");
    }

    @Test
    void unknownServerIsAnErrorListingTheConfiguredOnesWithoutTokens() {
        assertThatThrownBy(() -> standard().endpointUri("prod"))
                .isInstanceOf(TaniumException.class)
                .hasMessage("unknown Tanium server 'prod'; configured: [default, lab, notoken, blank]")
                .hasMessageNotContaining("token-default");
    }
}
