package io.github.taniumroutes.tanium;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class TaniumServersTest {

    private static TaniumServers servers(Map<String, TaniumSettings.Server> byName) {
        TaniumSettings settings = () -> byName;
        return new TaniumServers(settings);
    }

    private static TaniumServers standard() {
        Map<String, TaniumSettings.Server> byName = new LinkedHashMap<>();
        byName.put("default", ServerSettings.of("https://tanium.example.com", "token-default"));
        byName.put("lab", ServerSettings.of("  https://lab.example.com:8443/  ", "token-lab"));
        byName.put("notoken", ServerSettings.of("https://n.example.com", null));
        byName.put("blank", ServerSettings.of("https://b.example.com", "   "));
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
        byName.put("tls", ServerSettings.of("https://tanium.example.com", "t"));
        byName.put("plain", ServerSettings.of("http://127.0.0.1:8443", "t"));
        TaniumSettings settings = () -> byName;
        TaniumServers servers = new TaniumServers(settings, Optional.of("/etc/tanium/truststore.p12"), null);

        assertThat(servers.endpointUri("tls"))
                .isEqualTo("https://tanium.example.com?sslContextParameters=#taniumTls");
        assertThat(servers.endpointUri("plain")).isEqualTo("http://127.0.0.1:8443");
        assertThat(servers.endpointUri("tls", true, true))
                .isEqualTo("https://tanium.example.com?sslContextParameters=#taniumTls&disableStreamCache=true&deleteWithBody=true");
        assertThat(servers.endpointUri("plain", true, null)).isEqualTo("http://127.0.0.1:8443?disableStreamCache=true");
        assertThat(servers.endpointUri("plain", false, false)).isEqualTo("http://127.0.0.1:8443");
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
