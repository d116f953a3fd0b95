package dev.oauthlet.servlet;

import dev.oauthlet.Oauthlet;
import dev.oauthlet.TokenRequest;
import dev.oauthlet.TokenResponse;
import dev.oauthlet.config.TokenEndpointConfig;
import dev.oauthlet.config.TokenEndpointConfig.RequestFormat;
import dev.oauthlet.error.OAuthException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The token endpoint at one configured path: turns the request, in whichever of its configured
 * formats it came, into a {@link TokenRequest}, and the answer into RFC 6749 JSON.
 */
public final class TokenEndpointServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(TokenEndpointServlet.class);

    private final transient OauthletLocator server;
    private final Set<RequestFormat> formats;

    public TokenEndpointServlet(Oauthlet server, TokenEndpointConfig config) {
        this(OauthletLocator.of(server), config.formats());
    }

    TokenEndpointServlet(OauthletLocator server, Set<RequestFormat> formats) {
        this.server = server;
        this.formats = Set.copyOf(formats);
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        answer(req, resp, false);
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        answer(req, resp, true);
    }

    private void answer(HttpServletRequest req, HttpServletResponse resp, boolean get) throws IOException {
        String basicRealm = null;
        try {
            Map<String, List<String>> params = read(req, resp, get);
            if (params == null) {
                return;
            }
            String authorization = req.getHeader("Authorization");
            if (authorization != null && authorization.regionMatches(true, 0, "Basic", 0, 5)) {
                basicRealm = server.get(req).issuer();
            }
            TokenRequest request = TokenRequest.parse(params, authorization);
            TokenResponse response = server.get(req).token(request);
            OAuthResponses.json(resp, 200, response.toJson());
        } catch (OAuthException e) {
            OAuthResponses.error(resp, e, basicRealm);
        } catch (RuntimeException e) {
            LOG.error("token request failed unexpectedly", e);
            OAuthResponses.error(resp, OAuthException.serverError("the server could not answer this request", e), null);
        }
    }

    /** The parameters, or {@code null} when an error was already written. */
    private Map<String, List<String>> read(HttpServletRequest req, HttpServletResponse resp, boolean get) throws IOException {
        if (get) {
            if (!formats.contains(RequestFormat.QUERY)) {
                resp.setHeader("Allow", "POST");
                OAuthResponses.json(resp, 405, OAuthResponses.errorJson("invalid_request", "use POST"));
                return null;
            }
            return RequestParameters.query(req);
        }
        String type = req.getContentType() == null ? "" : req.getContentType().toLowerCase(Locale.ROOT);
        if (type.startsWith("application/x-www-form-urlencoded") && formats.contains(RequestFormat.FORM)) {
            return RequestParameters.form(req);
        }
        if ((type.startsWith("application/json") || type.startsWith("application/vnd.api+json")) && formats.contains(RequestFormat.JSON)) {
            return RequestParameters.json(req);
        }
        throw OAuthException.invalidRequest("unsupported Content-Type; this endpoint accepts " + accepted());
    }

    private String accepted() {
        StringBuilder sb = new StringBuilder();
        if (formats.contains(RequestFormat.FORM)) {
            sb.append("application/x-www-form-urlencoded");
        }
        if (formats.contains(RequestFormat.JSON)) {
            sb.append(sb.length() > 0 ? " or " : "").append("application/json");
        }
        return sb.length() == 0 ? "GET with query parameters" : sb.toString();
    }
}
