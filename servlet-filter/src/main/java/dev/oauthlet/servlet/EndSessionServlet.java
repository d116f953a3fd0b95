package dev.oauthlet.servlet;

import dev.oauthlet.Oauthlet;
import dev.oauthlet.authorize.Authorizer;
import dev.oauthlet.authorize.BrowserSession;
import dev.oauthlet.authorize.EndSession;
import dev.oauthlet.error.OAuthException;
import dev.oauthlet.crypto.Hashes;
import dev.oauthlet.spi.StorageException;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The logout endpoint ({@code endpoints.end-session}), with OpenID Connect RP-Initiated Logout
 * ({@link EndSession} decides): a GET (or a relying party's form POST) with an
 * {@code id_token_hint} naming the signed-in user signs out at once and, with a registered
 * {@code post_logout_redirect_uri}, sends the browser back there with {@code state}. Otherwise a
 * signed-in browser sees a "Sign out" button, whose POST (with the session's CSRF token, and the
 * request's parameters in the form's URL) ends the session on every node
 * ({@link Authorizer#endSession}) and drops the cookie. A link or image on another site cannot
 * sign anyone out without an ID token of theirs, and nobody is ever sent to an unregistered URI.
 */
public final class EndSessionServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final AllowedMethods METHODS = AllowedMethods.of("GET", "POST");

    private final transient Oauthlet server;
    private final transient Authorizer authorizer;
    private final transient AuthorizationPages pages;
    private final transient EndSession endSession;

    public EndSessionServlet(Oauthlet server) {
        this.server = server;
        this.authorizer = server.authorizer();
        this.pages = AuthorizationPages.load(server.config().pages());
        this.endSession = new EndSession(authorizer, server.idTokens(), server.storage().clients());
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws ServletException, IOException {
        if (!METHODS.admit(req, resp)) {
            return;
        }
        SessionCookie cookie = SessionCookie.of(req, authorizer, server.issuer());
        String nonce = Hashes.randomToken(16);
        try {
            Map<String, List<String>> params = new LinkedHashMap<>();
            RequestParameters.query(req).forEach((k, v) -> params.put(k, new ArrayList<>(v)));
            String csrf = null;
            boolean confirmation = false;
            if ("POST".equals(req.getMethod())) {
                // Form serialization (§2) only: a text/plain or JSON body is no logout request, however it reads.
                String type = req.getContentType();
                Map<String, List<String>> form = type != null
                        && type.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded")
                        ? RequestParameters.form(req) : Map.of();
                form.forEach((k, v) -> params.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
                List<String> c = form.get("csrf_token");
                csrf = c == null || c.size() != 1 ? null : c.get(0);
                // A relying party may post its logout request as a form (§2); only our own page posts a CSRF token.
                confirmation = csrf != null || !params.containsKey("id_token_hint");
            }
            Optional<BrowserSession> session = authorizer.openSession(cookie.read(req));
            EndSession.Outcome outcome = endSession.decide(params, session, confirmation, csrf);
            if (outcome instanceof EndSession.Outcome.Confirm c) {
                confirm(req, resp, c.status(), nonce, c.session(), params);
            } else if (outcome instanceof EndSession.Outcome.SignedOut out) {
                if (out.ended()) {
                    cookie.clear(resp);
                }
                if (out.redirect() != null) {
                    resp.setHeader("Cache-Control", "no-store");
                    resp.setStatus(303);
                    resp.setHeader("Location", out.redirect());
                } else {
                    page(resp, 200, nonce, pages.in(AuthorizationServlet.language(req)).signedOut(nonce));
                }
            } else {
                OAuthException e = ((EndSession.Outcome.Refused) outcome).error();
                page(resp, 400, nonce, pages.in(AuthorizationServlet.language(req)).error(nonce, e.error().code(), e.description()));
            }
        } catch (StorageException e) {
            server.storeOutages().failed(e);
            OAuthException err = e.toOAuthException();
            page(resp, 503, nonce, pages.in(AuthorizationServlet.language(req)).error(nonce, err.error().code(), err.description()));
        } catch (OAuthException e) {
            page(resp, 400, nonce, pages.in(AuthorizationServlet.language(req)).error(nonce, e.error().code(), e.description()));
        }
    }

    /** The confirmation page; its form posts back to this endpoint with the relying party's parameters in the URL. */
    private void confirm(HttpServletRequest req, HttpServletResponse resp, int status, String nonce, BrowserSession session,
                         Map<String, List<String>> params) throws IOException {
        StringBuilder action = new StringBuilder(req.getContextPath() + req.getServletPath());
        char sep = '?';
        for (String name : EndSession.PARAMETERS) {
            List<String> v = params.get(name);
            if (v != null && v.size() == 1 && v.get(0) != null && !v.get(0).isEmpty()) {
                action.append(sep).append(name).append('=').append(URLEncoder.encode(v.get(0), StandardCharsets.UTF_8));
                sep = '&';
            }
        }
        page(resp, status, nonce, pages.in(AuthorizationServlet.language(req)).signOut(nonce, action.toString(), session.csrfToken(), session.user().subject()));
    }

    private void page(HttpServletResponse resp, int status, String nonce, String page) throws IOException {
        PageResponses.html(resp, status, nonce, server.config().pages().logoUrl(), null, page);
    }
}
