package io.github.taniumroutes.tanium;

import java.time.Duration;
import java.util.Optional;

/** One Tanium server's settings for unit tests, as configuration would give them: the defaults, then only what a test changes. */
public record ServerSettings(String url, Optional<String> token, Optional<String> username, Optional<String> password,
        Optional<String> domain, Optional<String> tokenFile, Optional<String> passwordFile, int maxInFlight, int maxRequestsPerSecond,
        Optional<String> actionGroup, Optional<Integer> actionExpireSeconds, Optional<Integer> actionDistributeSeconds,
        Optional<TaniumSettings.Tls> tls, String directConnectApi, Duration directConnectInactivityLimit) implements TaniumSettings.Server {

    /** A server with a URL and a token (or none: null), and every other setting at its default. */
    public static ServerSettings of(String url, String token) {
        return new ServerSettings(url, Optional.ofNullable(token), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), 32, 0, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), "current",
                Duration.ofMinutes(2));
    }

    public ServerSettings withCredentials(String user, String secret, String userDomain) {
        return new ServerSettings(url, token, Optional.ofNullable(user), Optional.ofNullable(secret), Optional.ofNullable(userDomain),
                tokenFile, passwordFile, maxInFlight, maxRequestsPerSecond, actionGroup, actionExpireSeconds, actionDistributeSeconds,
                tls, directConnectApi, directConnectInactivityLimit);
    }

    public ServerSettings withFiles(String tokenPath, String passwordPath) {
        return new ServerSettings(url, token, username, password, domain, Optional.ofNullable(tokenPath), Optional.ofNullable(passwordPath),
                maxInFlight, maxRequestsPerSecond, actionGroup, actionExpireSeconds, actionDistributeSeconds,
                tls, directConnectApi, directConnectInactivityLimit);
    }

    public ServerSettings withLimits(int inFlight, int perSecond) {
        return new ServerSettings(url, token, username, password, domain, tokenFile, passwordFile, inFlight, perSecond, actionGroup,
                actionExpireSeconds, actionDistributeSeconds,
                tls, directConnectApi, directConnectInactivityLimit);
    }

    public ServerSettings withActions(String group, Integer expireSeconds, Integer distributeSeconds) {
        return new ServerSettings(url, token, username, password, domain, tokenFile, passwordFile, maxInFlight, maxRequestsPerSecond,
                Optional.ofNullable(group), Optional.ofNullable(expireSeconds), Optional.ofNullable(distributeSeconds),
                tls, directConnectApi, directConnectInactivityLimit);
    }

    public ServerSettings withDirectConnect(String api, Duration inactivityLimit) {
        return new ServerSettings(url, token, username, password, domain, tokenFile, passwordFile, maxInFlight, maxRequestsPerSecond,
                actionGroup, actionExpireSeconds, actionDistributeSeconds, tls, api, inactivityLimit);
    }
}
