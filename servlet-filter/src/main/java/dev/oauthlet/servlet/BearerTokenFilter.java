package dev.oauthlet.servlet;

import dev.oauthlet.Oauthlet;
import dev.oauthlet.error.ErrorCode;
import dev.oauthlet.token.AccessToken;
import dev.oauthlet.token.AccessTokenVerifier;
import dev.oauthlet.token.TokenVerificationException;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.Principal;
import java.util.Set;

/**
 * Lets a request through only with a valid access token for this filter's audience, in
 * {@code Authorization: Bearer}. Refusals follow RFC 6750 §3: {@code 401} with a
 * {@code WWW-Authenticate: Bearer} challenge, {@code 403 insufficient_scope} for a missing scope.
 *
 * <p>Init parameters (web.xml): {@code audience} (required), {@code realm} (default {@code oauthlet}),
 * {@code scopes} (space-delimited scopes every request needs).
 */
public final class BearerTokenFilter implements Filter {

    /** The request attribute holding the verified {@link AccessToken}. */
    public static final String TOKEN_ATTRIBUTE = AccessToken.class.getName();

    private Oauthlet server;
    private String audience;
    private String realm = "oauthlet";
    private Set<String> requiredScopes = Set.of();

    /** For web.xml: the server comes from the servlet context, the rest from init parameters. */
    public BearerTokenFilter() {
    }

    /** For code: guards {@code audience} with the given server. */
    public BearerTokenFilter(Oauthlet server, String audience, Set<String> requiredScopes) {
        this.server = server;
        this.audience = audience;
        this.requiredScopes = Set.copyOf(requiredScopes);
    }

    @Override
    public void init(FilterConfig config) throws ServletException {
        if (server == null) {
            server = OauthletLocator.fromContext(config.getServletContext());
        }
        String a = config.getInitParameter("audience");
        if (a != null) {
            audience = a;
        }
        if (audience == null || audience.isBlank()) {
            throw new ServletException("BearerTokenFilter '" + config.getFilterName() + "': init-param 'audience' is missing");
        }
        String r = config.getInitParameter("realm");
        if (r != null) {
            realm = r;
        }
        String s = config.getInitParameter("scopes");
        if (s != null) {
            requiredScopes = dev.oauthlet.token.Scopes.parse(s);
        }
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest req = (HttpServletRequest) request;
        HttpServletResponse resp = (HttpServletResponse) response;
        String header = req.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            resp.setHeader("WWW-Authenticate", "Bearer realm=\"" + realm + "\"");
            resp.setStatus(401);
            return;
        }
        AccessToken token;
        try {
            token = server.verifier().verify(header.substring(7).trim());
        } catch (TokenVerificationException e) {
            ErrorCode code = e.expired() ? server.config().tokens().expiredTokenError() : ErrorCode.INVALID_TOKEN;
            refuse(resp, code, e.getMessage(), null);
            return;
        }
        if (!AccessTokenVerifier.audiences(token).contains(audience)) {
            refuse(resp, ErrorCode.INVALID_TOKEN, "the token is not meant for this resource", null);
            return;
        }
        if (server.isRevoked(token)) {
            // RFC 7009: a revoked token still verifies; only the deny-list knows it is dead.
            refuse(resp, ErrorCode.INVALID_TOKEN, "the token was revoked", null);
            return;
        }
        for (String scope : requiredScopes) {
            if (!token.scopes().contains(scope)) {
                refuse(resp, ErrorCode.INSUFFICIENT_SCOPE, "the token lacks scope " + scope, scope);
                return;
            }
        }
        req.setAttribute(TOKEN_ATTRIBUTE, token);
        chain.doFilter(new AuthenticatedRequest(req, token), response);
    }

    private void refuse(HttpServletResponse resp, ErrorCode code, String description, String scope) throws IOException {
        StringBuilder challenge = new StringBuilder("Bearer realm=\"").append(realm).append("\", error=\"").append(code.code())
                .append("\", error_description=\"").append(description.replace("\"", "'")).append('"');
        if (scope != null) {
            challenge.append(", scope=\"").append(scope).append('"');
        }
        resp.setHeader("WWW-Authenticate", challenge.toString());
        resp.setHeader("Cache-Control", "no-store");
        resp.setStatus(code.status());
        OAuthResponses.writeJson(resp, OAuthResponses.errorJson(code.code(), description));
    }

    /** The request as the application sees it: the token's principal, its scopes as roles. */
    private static final class AuthenticatedRequest extends HttpServletRequestWrapper {
        private final TokenPrincipal principal;

        AuthenticatedRequest(HttpServletRequest request, AccessToken token) {
            super(request);
            this.principal = new TokenPrincipal(token);
        }

        @Override
        public Principal getUserPrincipal() {
            return principal;
        }

        @Override
        public String getRemoteUser() {
            return principal.getName();
        }

        @Override
        public boolean isUserInRole(String role) {
            return principal.token().scopes().contains(role);
        }

        @Override
        public String getAuthType() {
            return "Bearer";
        }
    }
}
