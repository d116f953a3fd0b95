package dev.oauthlet.token;

import dev.oauthlet.client.ClientRegistration;
import java.util.Map;

/**
 * Adds claims to access tokens. Implementations are found through {@link java.util.ServiceLoader}
 * ({@code META-INF/services/dev.oauthlet.token.TokenCustomizer}) or handed to the builder; each
 * runs for every access token, including refreshed ones.
 */
@FunctionalInterface
public interface TokenCustomizer {

    /**
     * @param context what the token is for
     * @param claims  the claims so far; put, replace or remove entries. The registered claims
     *                ({@code iss}, {@code sub}, {@code aud}, {@code exp}, {@code iat}, {@code nbf},
     *                {@code jti}, {@code client_id}, {@code scope}) are not in this map and cannot be changed here.
     */
    void customize(Context context, Map<String, Object> claims);

    /**
     * What a token is being issued for.
     *
     * @param client     the client
     * @param grantType  the grant type of the request
     * @param subject    the token's {@code sub}
     * @param userClaims claims of the user (from the authenticator, kept across refreshes)
     * @param parameters the request parameters (client credentials removed)
     */
    record Context(ClientRegistration client, String grantType, String subject, Map<String, String> userClaims,
                   Map<String, String> parameters) {
    }
}
