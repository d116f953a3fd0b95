package dev.oauthlet.config;

import java.util.List;

/**
 * {@code endpoints:} — where the servlets answer.
 *
 * @param token      the token paths, each with its request formats
 * @param jwks       the JWKS path (default {@code /oauth/jwks})
 * @param metadata   the RFC 8414 metadata path (default {@code /.well-known/oauth-authorization-server})
 */
public record EndpointsConfig(List<TokenEndpointConfig> token, String jwks, String metadata) {

    public EndpointsConfig {
        token = List.copyOf(token);
    }

    public static EndpointsConfig defaults() {
        return new EndpointsConfig(
                List.of(new TokenEndpointConfig("/oauth/token",
                        java.util.Set.of(TokenEndpointConfig.RequestFormat.FORM, TokenEndpointConfig.RequestFormat.JSON))),
                "/oauth/jwks", "/.well-known/oauth-authorization-server");
    }
}
