package dev.oauthlet.authorize;

import dev.oauthlet.error.OAuthException;
import dev.oauthlet.error.OutageLog;
import dev.oauthlet.spi.StorageException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The decisions of the authorization endpoint (RFC 6749 §3.1), as a function from the request, the
 * browser's session and the page's form to a {@link Step}: sign in, then consent, then a code. The
 * pages post back with an {@code action} — {@code login}, {@code consent} or
 * {@code switch-account} — and the authorization parameters in hidden fields, so each step
 * validates the whole request again and the server keeps no per-request state. Every form post
 * must carry the session's CSRF token.
 */
public final class AuthorizationFlow {

    private static final Logger LOG = LoggerFactory.getLogger(AuthorizationFlow.class);

    private final Authorizer authorizer;
    private final OutageLog storeOutages;

    /** @param storeOutages where a store failure met here is reported (the server's, {@code Oauthlet.storeOutages()}) */
    public AuthorizationFlow(Authorizer authorizer, OutageLog storeOutages) {
        this.authorizer = authorizer;
        this.storeOutages = storeOutages;
    }

    /**
     * @param params        the query (GET) or form (POST) parameters
     * @param action        the form's {@code action}; {@code null} shows the request (a GET, or a client's POST)
     * @param sealedSession the session cookie's value, or {@code null}
     * @param clientAddress the browser's address, for the sign-in limits
     */
    public Step decide(Map<String, List<String>> params, String action, String sealedSession, String clientAddress) {
        AuthorizationRequest request;
        try {
            request = authorizer.parse(params);
        } catch (AuthorizationException e) {
            return refuse(e);
        }
        try {
            Optional<BrowserSession> session = authorizer.openSession(sealedSession);
            return switch (action == null ? "" : action) {
                case "" -> show(request, session);
                case "login" -> login(request, session, first(params, "username"), first(params, "password"),
                        first(params, "csrf_token"), clientAddress);
                case "consent" -> consent(request, session, first(params, "decision"), first(params, "csrf_token"));
                case "switch-account" -> switchAccount(request, session, first(params, "csrf_token"));
                default -> new Step.ErrorPage(OAuthException.invalidRequest("unknown action '" + OAuthException.echo(action) + "'"));
            };
        } catch (StorageException e) {
            storeOutages.failed(e);
            return refuse(AuthorizationException.redirected(e.toOAuthException(), request.redirectUri(), request.state()));
        }
    }

    /** The request itself: sign in, then consent, then the code. */
    private Step show(AuthorizationRequest request, Optional<BrowserSession> session) {
        if (session.isPresent() && session.get().isSignedIn()) {
            BrowserSession s = session.get();
            return authorizer.needsConsent(s.user(), request)
                    ? new Step.ShowConsent(request, s, 200)
                    : new Step.Redirect(authorizer.approve(s.user(), request, false));
        }
        return loginPage(request, session.orElse(null), null, null, 200, null);
    }

    private Step login(AuthorizationRequest request, Optional<BrowserSession> session, String username, String password, String csrf,
                       String address) {
        if (session.isEmpty() || !session.get().acceptsCsrfToken(csrf)) {
            return loginPage(request, null, username, "This page expired. Please sign in again.", 403, null);
        }
        LoginOutcome outcome = authorizer.signIn(username, password, address);
        if (outcome instanceof LoginOutcome.SignedIn in) {
            return new Step.SignedIn(request, authorizer.signedInSession(in.user()));
        }
        if (outcome instanceof LoginOutcome.Throttled t) {
            return loginPage(request, session.get(), username, "Too many failed sign-in attempts. Try again in "
                    + minutes(t.retryAfter()) + ".", 429, t.retryAfter());
        }
        return loginPage(request, session.get(), username, ((LoginOutcome.Refused) outcome).message(), 200, null);
    }

    private Step consent(AuthorizationRequest request, Optional<BrowserSession> session, String decision, String csrf) {
        if (session.isEmpty() || !session.get().isSignedIn()) {
            return loginPage(request, session.orElse(null), null, "Your session ended. Please sign in again.", 200, null);
        }
        BrowserSession s = session.get();
        if (!s.acceptsCsrfToken(csrf)) {
            return new Step.ShowConsent(request, s, 403);
        }
        if ("allow".equals(decision)) {
            return new Step.Redirect(authorizer.approve(s.user(), request, true));
        }
        if ("deny".equals(decision)) {
            return new Step.Redirect(authorizer.deny(request));
        }
        return new Step.ErrorPage(OAuthException.invalidRequest("decision must be allow or deny"));
    }

    /** A fresh, anonymous session: the next sign-in may be someone else. A forged post only shows the request again. */
    private Step switchAccount(AuthorizationRequest request, Optional<BrowserSession> session, String csrf) {
        if (session.isPresent() && !session.get().acceptsCsrfToken(csrf)) {
            return show(request, session);
        }
        return new Step.ShowLogin(request, authorizer.anonymousSession(), true, null, null, 200, null);
    }

    /** Without a session yet, the page starts one: its CSRF token is what the form posts back. */
    private Step loginPage(AuthorizationRequest request, BrowserSession session, String username, String error, int status,
                           Duration retryAfter) {
        boolean fresh = session == null;
        BrowserSession s = fresh ? authorizer.anonymousSession() : session;
        return new Step.ShowLogin(request, s, fresh, username, error, status, retryAfter);
    }

    private Step refuse(AuthorizationException e) {
        if (e.redirectable()) {
            LOG.debug("authorization request refused: {}", e.getMessage());
            return new Step.Redirect(authorizer.errorLocation(e));
        }
        return new Step.ErrorPage(e);
    }

    private static String first(Map<String, List<String>> params, String name) {
        List<String> v = params.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    static String minutes(Duration d) {
        long m = Math.max(1, (d.toSeconds() + 59) / 60);
        return m == 1 ? "1 minute" : m + " minutes";
    }
}
