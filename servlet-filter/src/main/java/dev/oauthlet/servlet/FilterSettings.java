package dev.oauthlet.servlet;

import dev.oauthlet.config.Durations;
import dev.oauthlet.config.Issuers;
import dev.oauthlet.error.ErrorCode;
import dev.oauthlet.key.SigningAlgorithm;
import dev.oauthlet.protocol.Scopes;
import dev.oauthlet.token.VerifiedTokenCache;
import java.net.URI;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The {@link BearerTokenFilter}'s init-params, parsed and checked once at start. Remote mode (a
 * resource server on another machine) is on when {@code issuer} or {@code jwks-uri} is given; it
 * needs neither a store nor an authorization-server configuration.
 *
 * @param audience          {@code audience}: the {@code aud} this filter guards (required unless {@code resource} is given;
 *                          then {@code null} when absent)
 * @param resource          {@code resource}: the RFC 8707 / RFC 9728 resource identifier, an absolute https URI (http only
 *                          on a loopback host) without fragment; tokens for it are accepted too, and its metadata is served
 * @param realm             {@code realm}: the challenge's realm (default {@code oauthlet})
 * @param scopes            {@code scopes}: scopes every request needs (space-delimited)
 * @param pathScopes        {@code path-scopes}: scopes by method and path, see {@link ScopeRules}
 * @param formBodyToken     {@code token-in-form}: accept the RFC 6750 §2.2 form-body token (default false)
 * @param queryToken        {@code token-in-query}: accept the RFC 6750 §2.3 query token (default false)
 * @param expiredTokenError {@code expired-token-error}: {@code invalid_token} or {@code auth_expired};
 *                          {@code null}: the server's {@code tokens.expired-token-error}, or invalid_token in remote mode
 * @param revocationCheck   {@code revocation-check}: consult the server's deny-list (co-located only; default true there,
 *                          false in remote mode, which has none)
 * @param revocationFailOpen {@code revocation-fail-open}: when the deny-list cannot be read, let verified tokens
 *                          through instead of answering 503 (default false)
 * @param cacheSize         {@code cache-size}: verified tokens kept (default 10000; 0 turns the cache off)
 * @param cacheIdle         {@code cache-idle}: how long a cached token stays unused before it is dropped (default 2m)
 * @param issuer            {@code issuer}: remote mode's required {@code iss}, compared exactly as given; its metadata names
 *                          the JWKS unless jwks-uri is given. https, or http only on a loopback host
 * @param jwksUri           {@code jwks-uri}: remote mode's JWKS URL; https, or http only on a loopback host
 * @param algorithms        {@code algorithms}: remote mode's accepted algorithms (default RS256 ES256 EdDSA; never HS256)
 * @param clockSkew         {@code clock-skew}: remote mode's tolerance on exp and nbf (default 30s)
 * @param refetchInterval   {@code jwks-refetch-interval}: least time between refetches for unknown kids (default 30s)
 * @param jwksCacheTtl      {@code jwks-cache-ttl}: longest a fetched JWKS is used (default 5m; a shorter max-age wins)
 * @param dpop              {@code dpop}, {@code dpop-nonce}, {@code dpop-proof-max-age} and {@code public-url}: DPoP (RFC 9449)
 */
record FilterSettings(String audience, String resource, String realm, Set<String> scopes, ScopeRules pathScopes, boolean formBodyToken,
                      boolean queryToken, ErrorCode expiredTokenError, boolean revocationCheck, boolean revocationFailOpen, int cacheSize,
                      Duration cacheIdle, String issuer, URI jwksUri, Set<SigningAlgorithm> algorithms, Duration clockSkew,
                      Duration refetchInterval, Duration jwksCacheTtl, Dpop dpop) {

    static final List<String> NAMES = List.of("audience", "resource", "realm", "scopes", "path-scopes", "token-in-form", "token-in-query",
            "expired-token-error", "revocation-check", "revocation-fail-open", "cache-size", "cache-idle", "issuer", "jwks-uri", "algorithms", "clock-skew",
            "jwks-refetch-interval", "jwks-cache-ttl", "dpop", "dpop-nonce", "dpop-proof-max-age", "public-url");
    static final int DEFAULT_CACHE_SIZE = 10_000;

    boolean remote() {
        return issuer != null;
    }

    /**
     * DPoP at this filter.
     *
     * @param mode        {@code off} accepts Bearer only (a bound token is refused), {@code allowed} (default) both, and
     *                    {@code required} refuses Bearer tokens
     * @param nonce       ask each proof for this filter's nonce (default false)
     * @param proofMaxAge how old a proof's {@code iat} may be (default 60s)
     * @param publicUrl   the origin clients call this application at ({@code https://api.example.com}), which {@code htu}
     *                    is compared against with the request's path, instead of the URL a proxy may have rewritten;
     *                    {@code null}: the request URL as received (and, co-located, the issuer's origin)
     */
    record Dpop(dev.oauthlet.client.DpopMode mode, boolean nonce, Duration proofMaxAge, URI publicUrl) {
    }

    /**
     * Reads the settings.
     *
     * @param param the init-param of that name, or {@code null}
     * @throws IllegalArgumentException naming the init-param and the fix
     */
    static FilterSettings parse(UnaryOperator<String> param) {
        String audience = param.apply("audience");
        String resource = param.apply("resource");
        if (resource != null) {
            resource = resource.strip();
            if (!isResourceIdentifier(resource)) {
                throw new IllegalArgumentException("init-param 'resource': an absolute https:// URL without fragment (http:// only for "
                        + "localhost or 127.0.0.1), e.g. https://api.example.com/orders, got '" + resource + "'");
            }
        }
        if ((audience == null || audience.isBlank()) && resource == null) {
            throw new IllegalArgumentException("init-param 'audience' is missing (the aud this filter guards, e.g. back-office; "
                    + "or give 'resource', its URI)");
        }
        String realm = param.apply("realm") == null ? "oauthlet" : param.apply("realm");
        if (!realm.chars().allMatch(c -> c >= 0x20 && c < 0x7f && c != '"' && c != '\\')) {
            throw new IllegalArgumentException("init-param 'realm': printable ASCII without quotes or backslashes, got '" + realm + "'");
        }
        Set<String> scopes;
        ScopeRules rules;
        try {
            scopes = Scopes.parse(param.apply("scopes"));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("init-param 'scopes': " + e.getMessage());
        }
        try {
            rules = ScopeRules.parse(param.apply("path-scopes"));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("init-param 'path-scopes': " + e.getMessage());
        }
        ErrorCode expired = null;
        String e = param.apply("expired-token-error");
        if (e != null) {
            expired = ErrorCode.fromCode(e.strip());
            if (expired != ErrorCode.INVALID_TOKEN && expired != ErrorCode.AUTH_EXPIRED) {
                throw new IllegalArgumentException("init-param 'expired-token-error': unknown value '" + e + "' (known: invalid_token, auth_expired)");
            }
        }
        int cacheSize = DEFAULT_CACHE_SIZE;
        String c = param.apply("cache-size");
        if (c != null) {
            try {
                cacheSize = Integer.parseInt(c.strip());
            } catch (NumberFormatException ex) {
                cacheSize = -1;
            }
            if (cacheSize < 0) {
                throw new IllegalArgumentException("init-param 'cache-size': a whole number, 0 or more, got '" + c + "'");
            }
        }
        Duration cacheIdle = duration(param, "cache-idle", VerifiedTokenCache.DEFAULT_IDLE);
        if (cacheIdle.getSeconds() < 1) {
            throw new IllegalArgumentException("init-param 'cache-idle': at least 1s, got '" + param.apply("cache-idle") + "'");
        }
        String issuer = param.apply("issuer");
        String jwks = param.apply("jwks-uri");
        if (jwks != null && issuer == null) {
            throw new IllegalArgumentException("init-param 'issuer' is missing: remote mode (jwks-uri) checks the tokens' iss against it");
        }
        if (issuer != null) {
            // Kept exactly as written: tokens' iss must equal it, and some issuers do end with '/'.
            issuer = issuer.strip();
            try {
                Issuers.checkRemote(issuer);
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException("init-param 'issuer': " + ex.getMessage());
            }
        }
        URI jwksUri = null;
        if (jwks != null) {
            try {
                jwksUri = URI.create(jwks.strip());
            } catch (IllegalArgumentException ex) {
                jwksUri = null;
            }
            if (jwksUri == null || jwksUri.getHost() == null || !Issuers.isSecureOrLoopback(jwksUri)) {
                // Keys fetched over plain http could be swapped on the way, and then any token would verify.
                throw new IllegalArgumentException("init-param 'jwks-uri': an https:// URL (http:// only for localhost or 127.0.0.1), got '"
                        + jwks + "'");
            }
        }
        // On by default where the server is at hand: the deny-list is checked in memory, so it costs no read per request.
        boolean revocation = param.apply("revocation-check") == null ? issuer == null : bool(param, "revocation-check");
        if (issuer != null && revocation) {
            throw new IllegalArgumentException("init-param 'revocation-check' needs the authorization server in this application; "
                    + "a remote-mode filter (issuer/jwks-uri) has no deny-list to consult");
        }
        boolean failOpen = bool(param, "revocation-fail-open");
        if (failOpen && !revocation) {
            throw new IllegalArgumentException("init-param 'revocation-fail-open' needs 'revocation-check' set to true");
        }
        Set<SigningAlgorithm> algorithms = EnumSet.of(SigningAlgorithm.RS256, SigningAlgorithm.ES256, SigningAlgorithm.EdDSA);
        String a = param.apply("algorithms");
        if (a != null) {
            algorithms = EnumSet.noneOf(SigningAlgorithm.class);
            for (String name : a.strip().split("[\\s,]+")) {
                SigningAlgorithm alg = SigningAlgorithm.fromJws(name);
                if (alg == null || alg.symmetric()) {
                    throw new IllegalArgumentException("init-param 'algorithms': '" + name + "' is not one of RS256, ES256, EdDSA"
                            + (alg != null ? " (HS256 secrets are never published, so a remote filter cannot verify them)" : ""));
                }
                algorithms.add(alg);
            }
        }
        return new FilterSettings(audience == null || audience.isBlank() ? null : audience.strip(), resource, realm, scopes, rules, bool(param, "token-in-form"), bool(param, "token-in-query"),
                expired, revocation, failOpen, cacheSize, cacheIdle, issuer, jwksUri, algorithms,
                duration(param, "clock-skew", Duration.ofSeconds(30)), duration(param, "jwks-refetch-interval", Duration.ofSeconds(30)),
                duration(param, "jwks-cache-ttl", Duration.ofMinutes(5)), dpop(param));
    }

    private static Dpop dpop(UnaryOperator<String> param) {
        String m = param.apply("dpop");
        dev.oauthlet.client.DpopMode mode = dev.oauthlet.client.DpopMode.ALLOWED;
        if (m != null) {
            try {
                mode = dev.oauthlet.client.DpopMode.valueOf(m.strip().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("init-param 'dpop': off, allowed or required, got '" + m + "'");
            }
        }
        URI publicUrl = null;
        String u = param.apply("public-url");
        if (u != null) {
            try {
                publicUrl = URI.create(u.strip());
            } catch (IllegalArgumentException e) {
                publicUrl = null;
            }
            if (publicUrl == null || publicUrl.getHost() == null || !publicUrl.isAbsolute()
                    || !("https".equals(publicUrl.getScheme()) || "http".equals(publicUrl.getScheme()))) {
                throw new IllegalArgumentException("init-param 'public-url': the origin clients call, e.g. https://api.example.com, got '" + u + "'");
            }
        }
        boolean nonce = bool(param, "dpop-nonce");
        if (nonce && mode == dev.oauthlet.client.DpopMode.OFF) {
            throw new IllegalArgumentException("init-param 'dpop-nonce' needs dpop allowed or required");
        }
        return new Dpop(mode, nonce, duration(param, "dpop-proof-max-age", Duration.ofSeconds(60)), publicUrl);
    }

    /** RFC 9728 §1.2: an https URL without fragment; plain http is let through on loopback, for development and tests. */
    private static boolean isResourceIdentifier(String value) {
        if (!dev.oauthlet.protocol.ResourceIndicators.isIndicator(value)) {
            return false;
        }
        URI u = URI.create(value);
        return u.getHost() != null && u.getRawQuery() == null && Issuers.isSecureOrLoopback(u);
    }

    /** The audiences a token may carry to pass: {@code audience}, {@code resource}, or both. */
    Set<String> acceptedAudiences() {
        Set<String> accepted = new java.util.LinkedHashSet<>();
        if (audience != null) {
            accepted.add(audience);
        }
        if (resource != null) {
            accepted.add(resource);
        }
        return accepted;
    }

    /** The bearer methods accepted, as RFC 9728's {@code bearer_methods_supported} names them. */
    List<String> bearerMethods() {
        List<String> methods = new java.util.ArrayList<>(List.of("header"));
        if (formBodyToken) {
            methods.add("body");
        }
        if (queryToken) {
            methods.add("query");
        }
        return methods;
    }

    private static boolean bool(UnaryOperator<String> param, String name) {
        String v = param.apply(name);
        if (v == null) {
            return false;
        }
        return switch (v.strip()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("init-param '" + name + "': true or false, got '" + v + "'");
        };
    }

    private static Duration duration(UnaryOperator<String> param, String name, Duration defaultValue) {
        String v = param.apply(name);
        if (v == null) {
            return defaultValue;
        }
        try {
            return Durations.parse(v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("init-param '" + name + "': " + e.getMessage());
        }
    }
}
