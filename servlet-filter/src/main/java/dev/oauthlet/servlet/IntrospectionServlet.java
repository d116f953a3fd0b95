package dev.oauthlet.servlet;

import dev.oauthlet.Oauthlet;
import dev.oauthlet.config.TokenEndpointConfig.RequestFormat;
import dev.oauthlet.protocol.TokenManagementRequest;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** RFC 7662 token introspection, for authenticated confidential clients. */
public final class IntrospectionServlet extends OAuthEndpointServlet {

    private static final long serialVersionUID = 1L;

    public IntrospectionServlet(Oauthlet server) {
        this(OauthletLocator.of(server));
    }

    IntrospectionServlet(OauthletLocator server) {
        super(server, Set.of(RequestFormat.FORM, RequestFormat.JSON));
    }

    @Override
    String answer(Oauthlet oauthlet, Map<String, List<String>> parameters, String authorization, String remoteAddress) {
        return oauthlet.introspect(TokenManagementRequest.parse(parameters, authorization).withRemoteAddress(remoteAddress)).toJson();
    }
}
