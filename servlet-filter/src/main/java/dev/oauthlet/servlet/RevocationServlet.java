package dev.oauthlet.servlet;

import dev.oauthlet.Oauthlet;
import dev.oauthlet.config.TokenEndpointConfig.RequestFormat;
import dev.oauthlet.protocol.TokenManagementRequest;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** RFC 7009 token revocation: {@code 200} with an empty body whether or not there was anything to revoke. */
public final class RevocationServlet extends OAuthEndpointServlet {

    private static final long serialVersionUID = 1L;

    public RevocationServlet(Oauthlet server) {
        this(OauthletLocator.of(server));
    }

    RevocationServlet(OauthletLocator server) {
        super(server, Set.of(RequestFormat.FORM, RequestFormat.JSON));
    }

    @Override
    String answer(Oauthlet oauthlet, Map<String, List<String>> parameters, String authorization, String remoteAddress) {
        oauthlet.revoke(TokenManagementRequest.parse(parameters, authorization).withRemoteAddress(remoteAddress));
        return null;
    }
}
