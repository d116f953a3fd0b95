package dev.oauthlet.servlet;

import dev.oauthlet.Oauthlet;
import dev.oauthlet.config.TokenEndpointConfig;
import dev.oauthlet.config.TokenEndpointConfig.RequestFormat;
import dev.oauthlet.error.OAuthException;
import dev.oauthlet.protocol.DpopHeader;
import dev.oauthlet.protocol.TokenRequest;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The token endpoint at one configured path: turns the request, in whichever of its configured
 * formats it came, into a {@link TokenRequest}, and the answer into RFC 6749 JSON.
 */
public final class TokenEndpointServlet extends OAuthEndpointServlet {

    private static final long serialVersionUID = 1L;

    public TokenEndpointServlet(Oauthlet server, TokenEndpointConfig config) {
        this(OauthletLocator.of(server), config.formats());
    }

    TokenEndpointServlet(OauthletLocator server, Set<RequestFormat> formats) {
        super(server, formats);
    }

    @Override
    String answer(Oauthlet oauthlet, Map<String, List<String>> parameters, String authorization, String remoteAddress) {
        return answer(oauthlet, parameters, authorization, remoteAddress, null);
    }

    @Override
    String answer(Oauthlet oauthlet, Map<String, List<String>> parameters, String authorization, String remoteAddress,
                  DpopHeader dpop) {
        return oauthlet.token(parse(oauthlet, () -> TokenRequest.parse(parameters, authorization))
                .withRemoteAddress(remoteAddress).withDpop(dpop)).toJson();
    }

    /**
     * Parses a token request; one refused already here (a parameter twice, two client
     * authentications) is counted in the server's metrics as a token-endpoint error, as the server
     * counts the refusals it makes itself.
     */
    static TokenRequest parse(Oauthlet oauthlet, Supplier<TokenRequest> parser) {
        long start = System.nanoTime();
        try {
            return parser.get();
        } catch (OAuthException e) {
            oauthlet.metrics().tokenRefused(null, e.error(), System.nanoTime() - start);
            throw e;
        }
    }
}
