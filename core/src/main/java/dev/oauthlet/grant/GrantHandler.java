package dev.oauthlet.grant;

import dev.oauthlet.client.ClientRegistration;
import dev.oauthlet.protocol.TokenRequest;
import dev.oauthlet.protocol.TokenResponse;
import java.util.Optional;

/**
 * One grant type. The server dispatches on {@link #grantType()}; an application adds its own
 * grant by implementing this and listing it in
 * {@code META-INF/services/dev.oauthlet.grant.GrantHandler}, or through the builder.
 */
public interface GrantHandler {

    /** The {@code grant_type} this handler answers, e.g. {@code password}. */
    String grantType();

    /**
     * Issues tokens for an authenticated client that is allowed this grant.
     *
     * @throws dev.oauthlet.error.OAuthException for every refusal
     */
    TokenResponse handle(GrantContext context, ClientRegistration client, TokenRequest request);

    /**
     * For a request that carries no client authentication: the client this grant can identify by
     * other means (the refresh grant: the refresh token's own client, if that client opted in).
     * Empty, the default, answers {@code invalid_client}.
     */
    default Optional<ClientRegistration> identifyUnauthenticatedClient(GrantContext context, TokenRequest request) {
        return Optional.empty();
    }

    /**
     * {@code true} if a client may authenticate to this grant with one of its own access tokens,
     * possibly expired, in {@code Authorization: Bearer} (clients that opted in with
     * {@code expired-token-authentication}). Only the refresh grant says yes: anywhere else an old
     * access token would mint fresh ones without the client's secret. Default {@code false}.
     */
    default boolean acceptsAccessTokenAuthentication() {
        return false;
    }
}
