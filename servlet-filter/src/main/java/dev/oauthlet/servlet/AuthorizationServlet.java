package dev.oauthlet.servlet;

import dev.oauthlet.Oauthlet;
import dev.oauthlet.authorize.AuthorizationException;
import dev.oauthlet.authorize.AuthorizationRequest;
import dev.oauthlet.authorize.Authorizer;
import dev.oauthlet.authorize.BrowserSession;
import dev.oauthlet.authorize.LoginOutcome;
import dev.oauthlet.crypto.Hashes;
import dev.oauthlet.error.OAuthException;
import dev.oauthlet.spi.StorageException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The authorization endpoint (RFC 6749 §3.1): a GET (or a client's POST) with the authorization
 * request shows the login page, then the consent page, then redirects to the client with a code.
 * The pages post back here with an {@code action} — {@code login}, {@code consent} or
 * {@code switch-account} — and the authorization parameters in hidden fields, so each step
 * validates the whole request again and the server keeps no per-request state.
 */
public final class AuthorizationServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(AuthorizationServlet.class);
    /** GET and POST (RFC 6749 §3.1); HEAD would open a session for no page. */
    private static final AllowedMethods METHODS = AllowedMethods.of("GET", "POST");

    private final transient Oauthlet server;
    private final transient Authorizer authorizer;
    private final transient AuthorizationPages pages;

    public AuthorizationServlet(Oauthlet server) {
        this.server = server;
        this.authorizer = server.authorizer();
        this.pages = new AuthorizationPages(server.config().pages());
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws jakarta.servlet.ServletException, IOException {
        if (METHODS.admit(req, resp)) {
            super.service(req, resp);
        }
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Map<String, List<String>> params;
        try {
            params = RequestParameters.query(req);
        } catch (OAuthException e) {
            errorPage(req, resp, e);
            return;
        }
        handle(new Exchange(req, resp, false), params, null);
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Map<String, List<String>> params;
        try {
            String type = req.getContentType() == null ? "" : req.getContentType().toLowerCase(Locale.ROOT);
            if (!type.startsWith("application/x-www-form-urlencoded")) {
                throw OAuthException.invalidRequest("a POST to the authorization endpoint must be application/x-www-form-urlencoded");
            }
            params = RequestParameters.form(req);
        } catch (OAuthException e) {
            errorPage(req, resp, e);
            return;
        }
        List<String> action = params.get("action");
        handle(new Exchange(req, resp, true), params, action == null || action.size() != 1 ? null : action.get(0));
    }

    private void handle(Exchange x, Map<String, List<String>> params, String action) throws IOException {
        AuthorizationRequest request;
        try {
            request = authorizer.parse(params);
        } catch (AuthorizationException e) {
            refuse(x, e);
            return;
        }
        try {
            Optional<BrowserSession> session = authorizer.openSession(cookie(x.req).read(x.req));
            switch (action == null ? "" : action) {
                case "" -> show(x, request, session);
                case "login" -> login(x, request, session, first(params, "username"), first(params, "password"),
                        first(params, "csrf_token"));
                case "consent" -> consent(x, request, session, first(params, "decision"), first(params, "csrf_token"));
                case "switch-account" -> switchAccount(x, request, session, first(params, "csrf_token"));
                default -> errorPage(x.req, x.resp, OAuthException.invalidRequest("unknown action '" + OAuthException.echo(action) + "'"));
            }
        } catch (StorageException e) {
            server.storeOutages().failed(e);
            refuse(x, AuthorizationException.redirected(
                    OAuthException.temporarilyUnavailable("the service is temporarily unavailable; try again shortly", e),
                    request.redirectUri(), request.state()));
        } catch (RuntimeException e) {
            LOG.error("authorization request failed unexpectedly", e);
            errorPage(x.req, x.resp, OAuthException.serverError("the server could not answer this request", e));
        }
    }

    /** The request itself: sign in, then consent, then the code. */
    private void show(Exchange x, AuthorizationRequest request, Optional<BrowserSession> session) throws IOException {
        if (session.isPresent() && session.get().isSignedIn()) {
            BrowserSession s = session.get();
            if (authorizer.needsConsent(s.user(), request)) {
                consentPage(x, request, s, 200);
            } else {
                redirect(x, authorizer.approve(s.user(), request, false));
            }
            return;
        }
        loginPage(x, request, session.orElse(null), null, null, 200);
    }

    private void login(Exchange x, AuthorizationRequest request, Optional<BrowserSession> session, String username, String password,
                       String csrf) throws IOException {
        if (session.isEmpty() || !session.get().acceptsCsrfToken(csrf)) {
            loginPage(x, request, null, username, "This page expired. Please sign in again.", 403);
            return;
        }
        LoginOutcome outcome = authorizer.signIn(username, password, OAuthEndpointServlet.clientAddress(x.req, server));
        if (outcome instanceof LoginOutcome.SignedIn in) {
            writeSession(x, authorizer.signedInSession(in.user()));
            // Post/Redirect/Get: the browser asks again, now signed in, and a reload does not resend the password.
            x.resp.setHeader("Cache-Control", "no-store");
            x.resp.setStatus(303);
            x.resp.setHeader("Location", endpointPath(x.req) + "?" + query(request.parameters(), request.resources()));
        } else if (outcome instanceof LoginOutcome.Throttled t) {
            x.resp.setHeader("Retry-After", Long.toString(t.retryAfter().toSeconds()));
            loginPage(x, request, session.get(), username, "Too many failed sign-in attempts. Try again in "
                    + minutes(t.retryAfter()) + ".", 429);
        } else {
            loginPage(x, request, session.get(), username, ((LoginOutcome.Refused) outcome).message(), 200);
        }
    }

    private void consent(Exchange x, AuthorizationRequest request, Optional<BrowserSession> session, String decision, String csrf)
            throws IOException {
        if (session.isEmpty() || !session.get().isSignedIn()) {
            loginPage(x, request, session.orElse(null), null, "Your session ended. Please sign in again.", 200);
            return;
        }
        BrowserSession s = session.get();
        if (!s.acceptsCsrfToken(csrf)) {
            consentPage(x, request, s, 403);
            return;
        }
        if ("allow".equals(decision)) {
            redirect(x, authorizer.approve(s.user(), request, true));
        } else if ("deny".equals(decision)) {
            redirect(x, authorizer.deny(request));
        } else {
            errorPage(x.req, x.resp, OAuthException.invalidRequest("decision must be allow or deny"));
        }
    }

    private void switchAccount(Exchange x, AuthorizationRequest request, Optional<BrowserSession> session, String csrf)
            throws IOException {
        if (session.isPresent() && !session.get().acceptsCsrfToken(csrf)) {
            show(x, request, session);
            return;
        }
        BrowserSession fresh = authorizer.anonymousSession();
        writeSession(x, fresh);
        loginPage(x, request, fresh, null, null, 200);
    }

    private void loginPage(Exchange x, AuthorizationRequest request, BrowserSession session, String username, String error, int status)
            throws IOException {
        BrowserSession s = session;
        if (s == null) {
            s = authorizer.anonymousSession();
            writeSession(x, s);
        }
        String nonce = Hashes.randomToken(16);
        html(x.resp, status, nonce, request.redirectUri(), pages.login(nonce, endpointPath(x.req), request, s.csrfToken(), username, error));
    }

    private void consentPage(Exchange x, AuthorizationRequest request, BrowserSession session, int status) throws IOException {
        String nonce = Hashes.randomToken(16);
        List<String> scopes = request.scopes().stream().sorted().toList();
        html(x.resp, status, nonce, request.redirectUri(), pages.consent(nonce, endpointPath(x.req), request, session.csrfToken(),
                session.user().subject(), scopes, authorizer::describeScope));
    }

    private void refuse(Exchange x, AuthorizationException e) throws IOException {
        if (e.redirectable()) {
            LOG.debug("authorization request refused: {}", e.getMessage());
            redirect(x, authorizer.errorLocation(e));
        } else {
            errorPage(x.req, x.resp, e);
        }
    }

    private void errorPage(HttpServletRequest req, HttpServletResponse resp, OAuthException e) throws IOException {
        if (e.getCause() instanceof StorageException) {
            LOG.debug("authorization request failed: {}", e.getMessage(), e.getCause());
        } else if (e.getCause() != null) {
            LOG.warn("authorization request failed: {}", e.getMessage(), e.getCause());
        } else {
            LOG.debug("authorization request refused on the page: {}", e.getMessage());
        }
        String nonce = Hashes.randomToken(16);
        html(resp, e.error().status() >= 500 ? e.error().status() : 400, nonce, null, pages.error(nonce, e.error().code(), e.description()));
    }

    /** To the client: 302 after a GET; 303 after a POST, so the browser does not post the form on (RFC 9700 §4.12). */
    private void redirect(Exchange x, String location) {
        x.resp.setHeader("Cache-Control", "no-store");
        x.resp.setHeader("Referrer-Policy", "no-referrer");
        x.resp.setStatus(x.post ? 303 : 302);
        x.resp.setHeader("Location", location);
    }

    private void writeSession(Exchange x, BrowserSession session) {
        cookie(x.req).write(x.resp, authorizer.sessions().seal(session));
    }

    private SessionCookie cookie(HttpServletRequest req) {
        return SessionCookie.of(req, authorizer, server.issuer());
    }

    private void html(HttpServletResponse resp, int status, String nonce, String redirectUri, String page) throws IOException {
        PageResponses.html(resp, status, nonce, server.config().pages().logoUrl(), redirectUri, page);
    }

    private static String endpointPath(HttpServletRequest req) {
        return req.getContextPath() + req.getServletPath();
    }

    private static String query(Map<String, String> params, List<String> resources) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> p : params.entrySet()) {
            append(sb, p.getKey(), p.getValue());
        }
        for (String r : resources) {
            append(sb, "resource", r);
        }
        return sb.toString();
    }

    private static void append(StringBuilder sb, String name, String value) {
        if (sb.length() > 0) {
            sb.append('&');
        }
        sb.append(URLEncoder.encode(name, StandardCharsets.UTF_8)).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
    }

    private static String first(Map<String, List<String>> params, String name) {
        List<String> v = params.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    private static String minutes(java.time.Duration d) {
        long m = Math.max(1, (d.toSeconds() + 59) / 60);
        return m == 1 ? "1 minute" : m + " minutes";
    }

    /** One request and its response, and whether it came as a POST. */
    private record Exchange(HttpServletRequest req, HttpServletResponse resp, boolean post) {
    }
}
