package dev.oauthlet.servlet;

import dev.oauthlet.Oauthlet;
import dev.oauthlet.authorize.AuthorizationFlow;
import dev.oauthlet.authorize.AuthorizationRequest;
import dev.oauthlet.authorize.Authorizer;
import dev.oauthlet.authorize.BrowserSession;
import dev.oauthlet.authorize.Step;
import dev.oauthlet.config.AuthorizationConfig;
import dev.oauthlet.crypto.Hashes;
import dev.oauthlet.error.OAuthException;
import dev.oauthlet.spi.StorageException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The authorization endpoint (RFC 6749 §3.1) over HTTP: reads the parameters and the session
 * cookie, asks {@link AuthorizationFlow} what to answer, and renders its {@link Step} — the login
 * or consent page, the session cookie, a redirect to the client, an error page.
 */
public final class AuthorizationServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(AuthorizationServlet.class);
    /** GET and POST (RFC 6749 §3.1); HEAD would open a session for no page. */
    private static final AllowedMethods METHODS = AllowedMethods.of("GET", "POST");

    private final transient Oauthlet server;
    private final transient Authorizer authorizer;
    private final transient AuthorizationPages pages;
    private final transient AuthorizationFlow flow;

    public AuthorizationServlet(Oauthlet server) {
        this.server = server;
        this.authorizer = server.authorizer();
        boolean container = server.config().authorization().hostLogin() == AuthorizationConfig.HostLoginMode.CONTAINER;
        this.flow = new AuthorizationFlow(authorizer, server.storeOutages(),
                container ? new ContainerLogin(server.clock()) : authorizer.hostLogin().orElse(null), authorizer.secondFactor().orElse(null),
                server.idTokens());
        this.pages = AuthorizationPages.load(server.config().pages());
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
        Step step;
        try {
            step = flow.decide(params, action, cookie(x.req).read(x.req), OAuthEndpointServlet.clientAddress(x.req, server),
                    endpointPath(x.req), List.of(x.req, x.resp));
        } catch (RuntimeException e) {
            LOG.error("authorization request failed unexpectedly", e);
            step = new Step.ErrorPage(OAuthException.serverError("the server could not answer this request", e));
        }
        render(x, step);
    }

    /** Writes what the flow decided; no decision is made here. */
    private void render(Exchange x, Step step) throws IOException {
        if (step instanceof Step.ShowLogin login) {
            if (login.setCookie()) {
                writeSession(x, login.session());
            }
            if (login.retryAfter() != null) {
                x.resp.setHeader("Retry-After", Long.toString(login.retryAfter().toSeconds()));
            }
            String nonce = Hashes.randomToken(16);
            html(x.resp, login.status(), nonce, login.request().redirectUri(), pages.in(language(x.req)).login(nonce, endpointPath(x.req),
                    login.request(), login.session().csrfToken(), login.username(), login.error(), login.retryAfter()));
        } else if (step instanceof Step.ShowConsent consent) {
            consentPage(x, consent.request(), consent.session(), consent.status());
        } else if (step instanceof Step.SignedIn in) {
            writeSession(x, in.session());
            // Post/Redirect/Get: the browser asks again, now signed in, and a reload does not resend the password.
            x.resp.setHeader("Cache-Control", "no-store");
            x.resp.setStatus(303);
            x.resp.setHeader("Location", endpointPath(x.req) + "?" + in.request().query());
        } else if (step instanceof Step.Redirect redirect) {
            redirect(x, redirect.location());
        } else if (step instanceof Step.Answered) {
            LOG.debug("the application answered the authorization request itself (its login)");
        } else {
            errorPage(x.req, x.resp, ((Step.ErrorPage) step).error());
        }
    }

    private void consentPage(Exchange x, AuthorizationRequest request, BrowserSession session, int status) throws IOException {
        String nonce = Hashes.randomToken(16);
        List<String> scopes = request.scopes().stream().sorted().toList();
        html(x.resp, status, nonce, request.redirectUri(), pages.in(language(x.req)).consent(nonce, endpointPath(x.req), request,
                session.csrfToken(), session.user().subject(), scopes, authorizer::describeScope));
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
        html(resp, e.error().status() >= 500 ? e.error().status() : 400, nonce, null,
                pages.in(language(req)).error(nonce, e.error().code(), e.description()));
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

    /** The browser's {@code Accept-Language}, for the pages' language. */
    static String language(HttpServletRequest req) {
        return req.getHeader("Accept-Language");
    }

    /** One request and its response, and whether it came as a POST. */
    private record Exchange(HttpServletRequest req, HttpServletResponse resp, boolean post) {
    }
}
