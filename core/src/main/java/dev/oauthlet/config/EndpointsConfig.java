package dev.oauthlet.config;

import java.util.List;
import java.util.Set;

/**
 * {@code endpoints:} — where the servlets answer.
 *
 * @param token         the token paths, each with its request formats
 * @param refresh       the REST-style refresh path (JSON {@code {"refresh_token": ...}}); {@code null} when off
 * @param revocation    the RFC 7009 revocation path (default {@code /oauth/revoke})
 * @param introspection the RFC 7662 introspection path (default {@code /oauth/introspect})
 * @param authorize     the authorization endpoint path (default {@code /oauth/authorize})
 * @param jwks          the JWKS path (default {@code /oauth/jwks})
 * @param metadata      the RFC 8414 metadata path (default {@code /.well-known/oauth-authorization-server})
 * @param endSession    where a browser signs out, ending its login session on every node (default {@code /oauth/logout});
 *                      served with the authorization endpoint
 * @param health        the health check for load balancers and orchestrators (default {@code /health})
 * @param registration  dynamic client registration (RFC 7591; default {@code /oauth/register}), each client's
 *                      registration URI under it (RFC 7592); served only when {@code registration:} is configured
 * @param userinfo      the OpenID Connect userinfo endpoint (default {@code /oauth/userinfo}); served with the authorization endpoint
 * @param metrics       where the Jetty example serves Prometheus text with {@code metrics.enabled} (default {@code /metrics})
 */
public record EndpointsConfig(List<TokenEndpointConfig> token, String refresh, String revocation, String introspection,
                              String authorize, String jwks, String metadata, String endSession, String health,
                              String registration, String userinfo, String metrics) {

    /** The default logout path. */
    public static final String END_SESSION = "/oauth/logout";
    /** The default health path. */
    public static final String HEALTH = "/health";
    /** The default registration path. */
    public static final String REGISTRATION = "/oauth/register";
    /** The default userinfo path. */
    public static final String USERINFO = "/oauth/userinfo";
    /** Where OpenID Connect Discovery 1.0 §4 puts the provider's configuration, under the issuer. */
    public static final String OPENID_CONFIGURATION = "/.well-known/openid-configuration";
    /** The default metrics path. */
    public static final String METRICS = "/metrics";

    public EndpointsConfig {
        token = List.copyOf(token);
        endSession = endSession == null ? END_SESSION : endSession;
        health = health == null ? HEALTH : health;
        registration = registration == null ? REGISTRATION : registration;
        metrics = metrics == null ? METRICS : metrics;
        if (registration.endsWith("/")) {
            throw new IllegalArgumentException("the registration path must not end with '/' (client URIs are PATH/CLIENT_ID)");
        }
        userinfo = userinfo == null ? USERINFO : userinfo;
    }

    /** The paths without {@code registration}, {@code userinfo} and {@code metrics}, which take their defaults. */
    public EndpointsConfig(List<TokenEndpointConfig> token, String refresh, String revocation, String introspection,
                           String authorize, String jwks, String metadata, String endSession, String health) {
        this(token, refresh, revocation, introspection, authorize, jwks, metadata, endSession, health, REGISTRATION, USERINFO, METRICS);
    }

    /** The paths without {@code health}, which takes its default. */
    public EndpointsConfig(List<TokenEndpointConfig> token, String refresh, String revocation, String introspection,
                           String authorize, String jwks, String metadata, String endSession) {
        this(token, refresh, revocation, introspection, authorize, jwks, metadata, endSession, HEALTH);
    }

    /** The paths without {@code endSession}, which takes its default. */
    public EndpointsConfig(List<TokenEndpointConfig> token, String refresh, String revocation, String introspection,
                           String authorize, String jwks, String metadata) {
        this(token, refresh, revocation, introspection, authorize, jwks, metadata, END_SESSION);
    }

    public static EndpointsConfig defaults() {
        return new EndpointsConfig(
                List.of(new TokenEndpointConfig("/oauth/token",
                        Set.of(TokenEndpointConfig.RequestFormat.FORM, TokenEndpointConfig.RequestFormat.JSON))),
                null, "/oauth/revoke", "/oauth/introspect", "/oauth/authorize", "/oauth/jwks",
                "/.well-known/oauth-authorization-server");
    }
}
