package dev.oauthlet.config;

import dev.oauthlet.client.RefreshRotation;
import dev.oauthlet.error.ErrorCode;
import java.time.Duration;
import java.util.List;
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
 * @param tokenType             the {@code token_type} of token responses: {@code Bearer} (default) or another spelling of it,
 *                              such as the {@code bearer} some documented APIs print
 * @param scopeSeparator        what separates scopes in the {@code scope} member of token responses: {@code " "} (default,
 *                              RFC 6749), {@code ","} or {@code ", "}; with a comma, requested scopes may be comma-separated too
 * @param refreshTokenMaxLifetime how long a refresh-token family lives at most, from its first token, however often it is
 *                              refreshed (default 90d; at least the refresh-token lifetime)
 * @param proofs                how DPoP proofs and client assertions are checked
 */
public record TokensConfig(
        Duration accessTokenTtl,
        Duration refreshTokenTtl,
        RefreshRotation refreshRotation,
        Duration refreshReuseGrace,
        Duration authorizationCodeTtl,
        ErrorCode expiredTokenError,
        Duration expiredTokenMaxAge,
        Duration clockSkew,
        String tokenType,
        String scopeSeparator,
        Duration refreshTokenMaxLifetime,
        Proofs proofs) {

    /** The spelling of {@code token_type} RFC 6750 uses. */
    public static final String BEARER = "Bearer";
    /** The scope separators a response may use. */
    public static final List<String> SCOPE_SEPARATORS = List.of(" ", ",", ", ");

    /** The default absolute lifetime of a refresh-token family. */
    public static final Duration REFRESH_TOKEN_MAX_LIFETIME = Duration.ofDays(90);

    public TokensConfig {
        Objects.requireNonNull(accessTokenTtl, "accessTokenTtl");
        refreshTokenMaxLifetime = refreshTokenMaxLifetime == null
                ? max(REFRESH_TOKEN_MAX_LIFETIME, refreshTokenTtl) : refreshTokenMaxLifetime;
        Objects.requireNonNull(refreshTokenTtl, "refreshTokenTtl");
        Objects.requireNonNull(refreshRotation, "refreshRotation");
        Objects.requireNonNull(refreshReuseGrace, "refreshReuseGrace");
        Objects.requireNonNull(authorizationCodeTtl, "authorizationCodeTtl");
        Objects.requireNonNull(expiredTokenError, "expiredTokenError");
        Objects.requireNonNull(expiredTokenMaxAge, "expiredTokenMaxAge");
        Objects.requireNonNull(clockSkew, "clockSkew");
        tokenType = tokenType == null ? BEARER : tokenType;
        // RFC 6749 §7.1: the type is case-insensitive, so only its spelling may differ, never the type.
        if (!tokenType.equalsIgnoreCase(BEARER)) {
            throw new IllegalArgumentException("token type '" + tokenType + "' is not a spelling of Bearer");
        }
        proofs = proofs == null ? Proofs.DEFAULTS : proofs;
        scopeSeparator = scopeSeparator == null ? " " : scopeSeparator;
        if (!SCOPE_SEPARATORS.contains(scopeSeparator)) {
            throw new IllegalArgumentException("scope separator '" + scopeSeparator + "' is not one of ' ', ',', ', '");
        }
    }

    /** The settings without {@link Proofs}, which take their defaults. */
    public TokensConfig(Duration accessTokenTtl, Duration refreshTokenTtl, RefreshRotation refreshRotation,
                       Duration refreshReuseGrace, Duration authorizationCodeTtl, ErrorCode expiredTokenError,
                       Duration expiredTokenMaxAge, Duration clockSkew, String tokenType, String scopeSeparator,
                       Duration refreshTokenMaxLifetime) {
        this(accessTokenTtl, refreshTokenTtl, refreshRotation, refreshReuseGrace, authorizationCodeTtl, expiredTokenError,
                expiredTokenMaxAge, clockSkew, tokenType, scopeSeparator, refreshTokenMaxLifetime, Proofs.DEFAULTS);
    }

    /** The settings without the family's absolute lifetime, which takes its default (90d, or the refresh-token lifetime if longer). */
    public TokensConfig(Duration accessTokenTtl, Duration refreshTokenTtl, RefreshRotation refreshRotation,
                       Duration refreshReuseGrace, Duration authorizationCodeTtl, ErrorCode expiredTokenError,
                       Duration expiredTokenMaxAge, Duration clockSkew, String tokenType, String scopeSeparator) {
        this(accessTokenTtl, refreshTokenTtl, refreshRotation, refreshReuseGrace, authorizationCodeTtl, expiredTokenError,
                expiredTokenMaxAge, clockSkew, tokenType, scopeSeparator, null, Proofs.DEFAULTS);
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /**
     * How proofs of possession are checked.
     *
     * @param dpopNonce                     ask every DPoP proof for a server nonce ({@code use_dpop_nonce}, RFC 9449 §8; default off)
     * @param dpopProofMaxAge               how old a DPoP proof's {@code iat} may be (default 60s; plus the clock skew)
     * @param clientAssertionLegacyAudience also accept the token endpoint URL, or an array, as a client assertion's {@code aud}
     *                                      (default off: the issuer identifier as one string, per draft-ietf-oauth-rfc7523bis)
     */
    public record Proofs(boolean dpopNonce, Duration dpopProofMaxAge, boolean clientAssertionLegacyAudience) {

        public static final Proofs DEFAULTS = new Proofs(false, Duration.ofSeconds(60), false);

        public Proofs {
            Objects.requireNonNull(dpopProofMaxAge, "dpopProofMaxAge");
            if (dpopProofMaxAge.isNegative() || dpopProofMaxAge.isZero()) {
                throw new IllegalArgumentException("the DPoP proof max age must be positive");
            }
        }
    }

    /** The settings without the response spellings, which take their defaults. */
    public TokensConfig(Duration accessTokenTtl, Duration refreshTokenTtl, RefreshRotation refreshRotation,
                       Duration refreshReuseGrace, Duration authorizationCodeTtl, ErrorCode expiredTokenError,
                       Duration expiredTokenMaxAge, Duration clockSkew) {
        this(accessTokenTtl, refreshTokenTtl, refreshRotation, refreshReuseGrace, authorizationCodeTtl, expiredTokenError,
                expiredTokenMaxAge, clockSkew, BEARER, " ", null);
    }

    public static TokensConfig defaults() {
        return new TokensConfig(Duration.ofHours(1), Duration.ofDays(30), RefreshRotation.ROTATE, Duration.ofSeconds(10),
                Duration.ofSeconds(60), ErrorCode.INVALID_TOKEN, Duration.ofDays(30), Duration.ofSeconds(30));
    }

    /** {@code true} when requested scopes may be separated by commas as well as spaces. */
    public boolean commaSeparatedScopes() {
        return scopeSeparator.contains(",");
    }
}
