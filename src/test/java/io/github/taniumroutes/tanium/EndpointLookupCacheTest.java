package io.github.taniumroutes.tanium;

import static io.github.taniumroutes.tanium.TestAlerts.alert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class EndpointLookupCacheTest {

    private static final TaniumEndpoint WS1 = new TaniumEndpoint("1", "WS-1", "10.0.0.1", "Windows");
    private static final TaniumEndpoint WS2 = new TaniumEndpoint("2", "WS-2", "10.0.0.2", "Linux");

    private final EndpointLookupCache cache = new EndpointLookupCache(Duration.ofMinutes(1), 1000, Duration.ofSeconds(5));

    @Test
    void unknownAlertIsAMiss() throws Exception {
        assertThat(lookup(cache, "default", alert("a", "WS-1", null, null))).isNull();
    }

    @Test
    void storedEndpointsAreFoundAgain() throws Exception {
        cache.store("default", alert("a", "WS-1", null, null), List.of(WS1));

        assertThat(lookup(cache, "default", alert("b", "WS-1", null, null))).containsExactly(WS1);
    }

    @Test
    void anEmptyResultIsCachedAsEmptyNotAsMiss() throws Exception {
        cache.store("default", alert("a", "NO-SUCH-HOST", null, null), List.of());

        assertThat(lookup(cache, "default", alert("a", "NO-SUCH-HOST", null, null))).isNotNull().isEmpty();
    }

    @Test
    void entriesAreKeptPerServer() throws Exception {
        cache.store("default", alert("a", "WS-1", null, null), List.of(WS1));

        assertThat(lookup(cache, "lab", alert("a", "WS-1", null, null))).isNull();
    }

    @Test
    void theTaniumIdDecidesTheKeyWhenPresent() throws Exception {
        cache.store("default", alert("a", "WS-1", "10.0.0.1", "1"), List.of(WS1));

        assertThat(lookup(cache, "default", alert("b", "OTHER-NAME", "10.9.9.9", "1"))).containsExactly(WS1);
        assertThat(lookup(cache, "default", alert("c", "WS-1", "10.0.0.1", null))).isNull();
    }

    @Test
    void theHostnameDecidesTheKeyBeforeTheIp() throws Exception {
        cache.store("default", alert("a", "WS-1", "10.0.0.1", null), List.of(WS1));

        assertThat(lookup(cache, "default", alert("b", "WS-1", "10.0.0.99", null))).containsExactly(WS1);
        assertThat(lookup(cache, "default", alert("c", null, "10.0.0.1", null))).isNull();
    }

    @Test
    void ipIsTheLastResort() throws Exception {
        cache.store("default", alert("a", null, "10.0.0.2", null), List.of(WS2));

        assertThat(lookup(cache, "default", alert("b", null, "10.0.0.2", null))).containsExactly(WS2);
        assertThat(lookup(cache, "default", alert("c", "10.0.0.2", null, null))).isNull();
    }

    @Test
    void aNameEqualToAnIdDoesNotCollide() throws Exception {
        cache.store("default", alert("a", null, null, "WS-1"), List.of(WS1));

        assertThat(lookup(cache, "default", alert("b", "WS-1", null, null))).isNull();
    }

    @Test
    void theCacheKeepsItsOwnUnmodifiableCopy() throws Exception {
        List<TaniumEndpoint> endpoints = new ArrayList<>(List.of(WS1, WS2));
        cache.store("default", alert("a", "DUP", null, null), endpoints);
        endpoints.clear();

        List<TaniumEndpoint> cached = lookup(cache, "default", alert("a", "DUP", null, null));
        assertThat(cached).containsExactly(WS1, WS2);
        assertThatThrownBy(() -> cached.add(WS1)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void entriesExpire() throws Exception {
        EndpointLookupCache shortLived = new EndpointLookupCache(Duration.ofMillis(50), 1000, Duration.ofSeconds(5));
        shortLived.store("default", alert("a", "WS-1", null, null), List.of(WS1));
        assertThat(lookup(shortLived, "default", alert("a", "WS-1", null, null))).containsExactly(WS1);

        Thread.sleep(250);

        assertThat(lookup(shortLived, "default", alert("a", "WS-1", null, null))).isNull();
    }

    /** An alert outside any batch. */
    private static List<TaniumEndpoint> lookup(EndpointLookupCache cache, String server, io.github.taniumroutes.alert.CanonicalAlert alert)
            throws Exception {
        return cache.lookup(server, alert, null, null);
    }
}
