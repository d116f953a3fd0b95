package dev.oauthlet.servlet;

import dev.oauthlet.Oauthlet;
import dev.oauthlet.config.TokenEndpointConfig.RequestFormat;
import dev.oauthlet.grant.RefreshTokenGrant;
import dev.oauthlet.protocol.DpopHeader;
import dev.oauthlet.protocol.TokenRequest;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A REST-style refresh path ({@code endpoints.refresh}): {@code POST} with JSON
 * {@code {"refresh_token": "..."}} and the client's authentication — typically its expired access
 * token in {@code Authorization: Bearer} — answered like a {@code refresh_token} grant.
 */
public final class RefreshEndpointServlet extends OAuthEndpointServlet {

    private static final long serialVersionUID = 1L;

    public RefreshEndpointServlet(Oauthlet server) {
        this(OauthletLocator.of(server));
    }

    RefreshEndpointServlet(OauthletLocator server) {
        super(server, Set.of(RequestFormat.JSON));
    }

    @Override
    String answer(Oauthlet oauthlet, Map<String, List<String>> parameters, String authorization, String remoteAddress) {
        return answer(oauthlet, parameters, authorization, remoteAddress, null);
    }

    @Override
    String answer(Oauthlet oauthlet, Map<String, List<String>> parameters, String authorization, String remoteAddress,
                  DpopHeader dpop) {
        return oauthlet.token(TokenEndpointServlet.parse(oauthlet, () -> TokenRequest.parse(parameters, authorization, RefreshTokenGrant.TYPE))
                .withRemoteAddress(remoteAddress).withDpop(dpop)).toJson();
    }
}
