package dev.oauthlet.config;

import dev.oauthlet.client.RefreshRotation;
import dev.oauthlet.error.ErrorCode;
import java.time.Duration;
import java.util.Objects;

/**
 * {@code tokens:} — server-wide token settings; clients may override the lifetimes and rotation.
 *
 * @param accessTokenTtl        access-token lifetime (default 1h)
 * @param refreshTokenTtl       refresh-token lifetime (default 30d)
 * @param refreshRotation       {@code rotate} (default) or {@code keep}
 * @param refreshReuseGrace     how long concurrent refreshes of one token all receive the same successor (default 10s)
 * @param authorizationCodeTtl  authorization-code lifetime (default 60s)
 * @param expiredTokenError     the error reported for an expired access token: {@code invalid_token} (default) or {@code auth_expired}
 * @param expiredTokenMaxAge    how long after expiry an access token may still authenticate a refresh (default 30d)
 * @param clockSkew             tolerance on {@code exp} and {@code nbf} (default 30s)
 */
public record TokenPolicy(
        Duration accessTokenTtl,
        Duration refreshTokenTtl,
        RefreshRotation refreshRotation,
        Duration refreshReuseGrace,
        Duration authorizationCodeTtl,
        ErrorCode expiredTokenError,
        Duration expiredTokenMaxAge,
        Duration clockSkew) {

    public TokenPolicy {
        Objects.requireNonNull(accessTokenTtl, "accessTokenTtl");
        Objects.requireNonNull(refreshTokenTtl, "refreshTokenTtl");
        Objects.requireNonNull(refreshRotation, "refreshRotation");
        Objects.requireNonNull(refreshReuseGrace, "refreshReuseGrace");
        Objects.requireNonNull(authorizationCodeTtl, "authorizationCodeTtl");
        Objects.requireNonNull(expiredTokenError, "expiredTokenError");
        Objects.requireNonNull(expiredTokenMaxAge, "expiredTokenMaxAge");
        Objects.requireNonNull(clockSkew, "clockSkew");
    }

    public static TokenPolicy defaults() {
        return new TokenPolicy(Duration.ofHours(1), Duration.ofDays(30), RefreshRotation.ROTATE, Duration.ofSeconds(10),
                Duration.ofSeconds(60), ErrorCode.INVALID_TOKEN, Duration.ofDays(30), Duration.ofSeconds(30));
    }
}
