package dev.oauthlet.servlet;

import dev.oauthlet.Oauthlet;
import dev.oauthlet.authorize.Authorizer;
import dev.oauthlet.authorize.BrowserSession;
import dev.oauthlet.error.OAuthException;
import dev.oauthlet.crypto.Hashes;
import dev.oauthlet.spi.StorageException;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The logout endpoint ({@code endpoints.end-session}): a GET shows a signed-in browser a "Sign
 * out" button, whose POST (with the session's CSRF token) ends the session on every node
 * ({@link Authorizer#endSession}) and drops the cookie. A browser without a session is told it is
 * signed out. Signing out needs the POST: a link or image on another site cannot sign anyone out.
 */
public final class EndSessionServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final AllowedMethods METHODS = AllowedMethods.of("GET", "POST");

    private final transient Oauthlet server;
    private final transient Authorizer authorizer;
    private final transient AuthorizationPages pages;

    public EndSessionServlet(Oauthlet server) {
        this.server = server;
        this.authorizer = server.authorizer();
        this.pages = AuthorizationPages.load(server.config().pages());
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws ServletException, IOException {
        if (!METHODS.admit(req, resp)) {
            return;
        }
        SessionCookie cookie = SessionCookie.of(req, authorizer, server.issuer());
        String nonce = Hashes.randomToken(16);
        try {
            Optional<BrowserSession> session = authorizer.openSession(cookie.read(req)).filter(BrowserSession::isSignedIn);
            if (session.isEmpty()) {
                page(resp, 200, nonce, pages.in(AuthorizationServlet.language(req)).signedOut(nonce));
            } else if ("GET".equals(req.getMethod())) {
                confirm(req, resp, 200, nonce, session.get());
            } else if (!session.get().acceptsCsrfToken(csrfToken(req))) {
                confirm(req, resp, 403, nonce, session.get());
            } else {
                authorizer.endSession(session.get());
                cookie.clear(resp);
                page(resp, 200, nonce, pages.in(AuthorizationServlet.language(req)).signedOut(nonce));
            }
        } catch (StorageException e) {
            server.storeOutages().failed(e);
            OAuthException err = e.toOAuthException();
            page(resp, 503, nonce, pages.in(AuthorizationServlet.language(req)).error(nonce, err.error().code(), err.description()));
        } catch (OAuthException e) {
            page(resp, 400, nonce, pages.in(AuthorizationServlet.language(req)).error(nonce, e.error().code(), e.description()));
        }
    }

    private void confirm(HttpServletRequest req, HttpServletResponse resp, int status, String nonce, BrowserSession session)
            throws IOException {
        String action = req.getContextPath() + req.getServletPath();
        page(resp, status, nonce, pages.in(AuthorizationServlet.language(req)).signOut(nonce, action, session.csrfToken(), session.user().subject()));
    }

    private static String csrfToken(HttpServletRequest req) throws IOException {
        Map<String, List<String>> form = RequestParameters.form(req);
        List<String> v = form.get("csrf_token");
        return v == null || v.size() != 1 ? null : v.get(0);
    }

    private void page(HttpServletResponse resp, int status, String nonce, String page) throws IOException {
        PageResponses.html(resp, status, nonce, server.config().pages().logoUrl(), null, page);
    }
}
