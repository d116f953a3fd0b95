package dev.oauthlet.grant;

import dev.oauthlet.client.ClientRegistration;
import dev.oauthlet.protocol.TokenRequest;
import dev.oauthlet.protocol.TokenResponse;
import java.util.Optional;
import java.util.function.Function;

/**
 * One grant type. The server dispatches on {@link #grantType()}. A grant receives the stores and
 * services it uses through its constructor and shares only {@link TokenIssuance} with the others.
 * An application adds its own grant through the builder, or lists a {@link GrantFactory} (a grant
 * that needs the store) or a grant with a public no-argument constructor in
 * {@code META-INF/services}.
 */
public interface GrantHandler {

    /** The {@code grant_type} this handler answers, e.g. {@code password}. */
    String grantType();

    /**
     * Issues tokens for an authenticated client that is allowed this grant.
     *
     * @param issuance how tokens are issued for this request (bound to its DPoP key, if it proved one)
     * @throws dev.oauthlet.error.OAuthException for every refusal
     */
    TokenResponse handle(TokenIssuance issuance, ClientRegistration client, TokenRequest request);

    /**
     * A request that carries no client authentication: a grant that can identify the client by
     * other means (the refresh grant: the refresh token's own client, if that client opted in)
     * hands it to {@code admit} — which checks the client may use this grant and answers the
     * issuance for it — and answers the request. Empty, the default, answers {@code invalid_client}.
     */
    default Optional<TokenResponse> handleUnauthenticated(TokenRequest request, Function<ClientRegistration, TokenIssuance> admit) {
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
