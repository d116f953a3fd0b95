package dev.oauthlet.grant;

import dev.oauthlet.client.ClientRegistration;
import dev.oauthlet.error.OAuthException;
import dev.oauthlet.protocol.TokenRequest;
import dev.oauthlet.protocol.TokenResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** RFC 6749 §4.4: the client acts for itself; {@code sub} is the client id. */
public final class ClientCredentialsGrant implements GrantHandler {

    public static final String TYPE = "client_credentials";

    @Override
    public String grantType() {
        return TYPE;
    }

    @Override
    public TokenResponse handle(GrantContext context, ClientRegistration client, TokenRequest request) {
        if (client.publicClient()) {
            throw OAuthException.unauthorizedClient("a public client cannot use client_credentials");
        }
        Set<String> scopes = context.scopes(request.parameter("scope"), client.scopes(), client.defaultScopes());
        List<String> audiences = GrantContext.audiences(client, request.resources());
        // RFC 6749 §4.4.3 says no refresh token here; some deployed APIs hand one out, so a client may opt in.
        String family = client.tokens().refreshTokenForClientCredentials() ? GrantContext.newFamilyId() : null;
        var access = context.accessToken(client, TYPE, client.id(), scopes, audiences, Map.of(), request.parameters(),
                dev.oauthlet.crypto.Hashes.randomToken(16), family);
        String refresh = family != null ? context.newRefreshToken(client, client.id(), scopes, audiences, Map.of(), family) : null;
        return context.response(access, refresh);
    }
}
