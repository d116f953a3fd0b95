package dev.oauthlet.grant;

import dev.oauthlet.client.ClientRegistration;
import dev.oauthlet.crypto.Hashes;
import dev.oauthlet.error.OAuthException;
import dev.oauthlet.protocol.TokenRequest;
import dev.oauthlet.protocol.TokenResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** RFC 6749 §4.4: the client acts for itself; {@code sub} is the client id. It needs no store of its own. */
public final class ClientCredentialsGrant implements GrantHandler {

    public static final String TYPE = "client_credentials";

    /**
     * The parameters of RFC 6749 §4.4.2, with RFC 8707's resources.
     *
     * @param scope      {@code scope}, or {@code null} for the client's default scopes
     * @param resources  the {@code resource} values
     * @param extensions every other parameter, for the token customizers
     */
    public record Request(String scope, List<String> resources, Map<String, String> extensions) {

        public static Request of(TokenRequest request) {
            return new Request(request.parameter("scope"), request.resources(), request.extensionParameters());
        }
    }

    @Override
    public String grantType() {
        return TYPE;
    }

    @Override
    public TokenResponse handle(TokenIssuance issuance, ClientRegistration client, TokenRequest tokenRequest) {
        if (client.publicClient()) {
            throw OAuthException.unauthorizedClient("a public client cannot use client_credentials");
        }
        Request request = Request.of(tokenRequest);
        Set<String> scopes = issuance.scopes(request.scope(), client.scopes(), client.defaultScopes());
        List<String> audiences = TokenIssuance.audiences(client, request.resources());
        // RFC 6749 §4.4.3 says no refresh token here; some deployed APIs hand one out, so a client may opt in.
        String family = client.tokens().refreshTokenForClientCredentials() ? TokenIssuance.newFamilyId() : null;
        var access = issuance.accessToken(client, TYPE, client.id(), scopes, audiences, Map.of(), request.extensions(),
                Hashes.randomToken(16), family);
        String refresh = family != null ? issuance.newRefreshToken(client, client.id(), scopes, audiences, Map.of(), family) : null;
        return issuance.response(access, refresh);
    }
}
