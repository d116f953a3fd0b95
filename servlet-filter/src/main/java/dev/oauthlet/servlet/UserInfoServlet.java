package dev.oauthlet.servlet;

import dev.oauthlet.Oauthlet;
import dev.oauthlet.error.OAuthException;
import dev.oauthlet.protocol.Json;
import dev.oauthlet.token.AccessToken;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;

/**
 * The OpenID Connect userinfo endpoint ({@code endpoints.userinfo}, Core 1.0 §5.3): GET or POST
 * with an access token of this server whose scope includes {@code openid}, whatever its audience,
 * as {@code Bearer} or as {@code DPoP} with a proof. The token is checked by a
 * {@link BearerTokenFilter} — signature, expiry, revocation, DPoP binding — so refusals are the
 * RFC 6750 ones every resource gives: 401 {@code invalid_token}, 403 {@code insufficient_scope}.
 */
public final class UserInfoServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final AllowedMethods METHODS = AllowedMethods.of("GET", "POST");

    private final transient Oauthlet server;
    private final transient BearerTokenFilter filter;

    public UserInfoServlet(Oauthlet server) {
        this.server = server;
        this.filter = BearerTokenFilter.forUserInfo(server);
    }

    @Override
    public void init() throws ServletException {
        ServletContext context = getServletContext();
        filter.init(new FilterConfig() {
            @Override
            public String getFilterName() {
                return "oauthlet-userinfo";
            }

            @Override
            public ServletContext getServletContext() {
                return context;
            }

            @Override
            public String getInitParameter(String name) {
                return null;
            }

            @Override
            public Enumeration<String> getInitParameterNames() {
                return Collections.emptyEnumeration();
            }
        });
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws ServletException, IOException {
        if (Cors.preflight(server.config().cors(), req, resp, "GET, POST")) {
            return;
        }
        if (!METHODS.admit(req, resp)) {
            return;
        }
        Cors.allow(server.config().cors(), req, resp);
        filter.doFilter(req, resp, (request, response) -> answer((HttpServletRequest) request, (HttpServletResponse) response));
    }

    private void answer(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        AccessToken token = (AccessToken) req.getAttribute(BearerTokenFilter.TOKEN_ATTRIBUTE);
        try {
            OAuthResponses.json(resp, 200, Json.write(server.userinfo(token)));
        } catch (OAuthException e) {
            OAuthResponses.error(resp, e, "Bearer", server.issuer());
        }
    }
}
