package dev.oauthlet.servlet;

import dev.oauthlet.Oauthlet;
import dev.oauthlet.client.ClientRegistration;
import dev.oauthlet.client.DpopMode;
import dev.oauthlet.config.CorsConfig;
import dev.oauthlet.dpop.DpopProofVerifier;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Serves one resource's RFC 9728 document, to anyone, with CORS for {@code cors.allowed-origins}.
 * A {@link BearerTokenFilter} with init-param {@code resource} answers it itself when a request for
 * the document reaches it; {@link OauthletServlets#install} also registers this servlet at the
 * document's path for each such filter declared in web.xml, so no container needs a servlet of its
 * own there for the filter to run.
 */
final class ProtectedResourceMetadataServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final String json;
    private final transient CorsConfig cors;

    ProtectedResourceMetadataServlet(String json, CorsConfig cors) {
        this.json = json;
        this.cors = cors;
    }

    /** The document for a filter with {@code settings}; {@code server} is the co-located one, {@code null} in remote mode. */
    static String document(FilterSettings settings, Oauthlet server) {
        String issuer = settings.remote() ? settings.issuer() : server.issuer();
        DpopMode dpop = settings.dpop().mode();
        return new ProtectedResourceMetadata(settings.resource(), List.of(issuer), scopesSupported(settings, server),
                settings.bearerMethods(), dpop == DpopMode.OFF ? List.of() : DpopProofVerifier.ALGORITHMS, dpop == DpopMode.REQUIRED).toJson();
    }

    /**
     * The scopes the resource's requests need; when the filter names none, those of the co-located
     * server's clients that may get tokens for it.
     */
    private static Set<String> scopesSupported(FilterSettings settings, Oauthlet server) {
        Set<String> scopes = new LinkedHashSet<>(settings.scopes());
        scopes.addAll(settings.pathScopes().allScopes());
        if (scopes.isEmpty() && server != null && !settings.remote()) {
            for (ClientRegistration c : server.config().clients()) {
                if (settings.acceptedAudiences().stream().anyMatch(c.audiences()::contains)) {
                    scopes.addAll(c.scopes());
                }
            }
        }
        return scopes;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws ServletException, IOException {
        answer(json, cors, req, resp);
    }

    /** RFC 9728 §3.2: 200 with the document for GET and HEAD, a CORS preflight answered, 405 for anything else. */
    static void answer(String json, CorsConfig cors, HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (Cors.preflight(cors, req, resp, "GET")) {
            return;
        }
        if (!AllowedMethods.GET_HEAD.admit(req, resp)) {
            return;
        }
        Cors.allow(cors, req, resp);
        resp.setHeader("Cache-Control", "public, max-age=3600");
        resp.setStatus(200);
        OAuthResponses.writeJson(resp, json);
    }
}
