package dev.oauthlet.authorize;

import dev.oauthlet.error.ErrorCode;
import dev.oauthlet.error.OAuthException;
import dev.oauthlet.error.OutageLog;
import dev.oauthlet.spi.StorageException;
import dev.oauthlet.token.IdTokens;
import dev.oauthlet.user.AuthenticatedUser;
import dev.oauthlet.user.SignInContext;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The decisions of the authorization endpoint (RFC 6749 §3.1), as a function from the request, the
 * browser's session and the page's form to a {@link Step}: sign in, then consent, then a code. The
 * pages post back with an {@code action} — {@code login}, {@code consent} or
 * {@code switch-account} — and the authorization parameters in hidden fields, so each step
 * validates the whole request again and the server keeps no per-request state. Every form post
 * must carry the session's CSRF token.
 *
 * <p>With a {@link HostLogin} the application signs the user in instead of the login page, which
 * is then never shown nor accepted; it is asked on every visit and again before a code is issued,
 * and a user other than the session's gets a new session (new id and CSRF token) and is asked for
 * consent afresh. The same user signed in by other methods than the session's (a step-up) gets a
 * new session too, with those methods and a new {@code auth_time}. A {@link SecondFactor} is asked
 * before every consent page and every code.
 *
 * <p>OpenID Connect Core §3.1.2.1 steers the request: {@code prompt=login} and
 * {@code select_account}, a {@code max_age} the session is older than, or an {@code id_token_hint}
 * naming someone else ask for a sign-in again; {@code prompt=consent} asks for consent again;
 * {@code prompt=none} never shows a page and answers {@code login_required} or
 * {@code consent_required} instead. With a {@link HostLogin} the application answers for the
 * sign-in itself, {@code prompt=login} and {@code max_age} included (its {@link HostContext} holds the request).
 */
public final class AuthorizationFlow {

    private static final Logger LOG = LoggerFactory.getLogger(AuthorizationFlow.class);

    private final Authorizer authorizer;
    private final OutageLog storeOutages;
    private final HostLogin hostLogin;
    private final SecondFactor secondFactor;
    private final IdTokens idTokens;

    /** @param storeOutages where a store failure met here is reported (the server's, {@code Oauthlet.storeOutages()}) */
    public AuthorizationFlow(Authorizer authorizer, OutageLog storeOutages) {
        this(authorizer, storeOutages, null, null);
    }

    /**
     * @param hostLogin    who signs users in instead of the login page; {@code null} for the login page
     * @param secondFactor the step before consent; {@code null} for none
     */
    public AuthorizationFlow(Authorizer authorizer, OutageLog storeOutages, HostLogin hostLogin, SecondFactor secondFactor) {
        this(authorizer, storeOutages, hostLogin, secondFactor, null);
    }

    /** @param idTokens reads {@code id_token_hint}s (the server's, {@code Oauthlet.idTokens()}); {@code null} refuses every hint */
    public AuthorizationFlow(Authorizer authorizer, OutageLog storeOutages, HostLogin hostLogin, SecondFactor secondFactor,
                             IdTokens idTokens) {
        this.authorizer = authorizer;
        this.storeOutages = storeOutages;
        this.hostLogin = hostLogin;
        this.secondFactor = secondFactor;
        this.idTokens = idTokens;
    }

    /**
     * @param params        the query (GET) or form (POST) parameters
     * @param action        the form's {@code action}; {@code null} shows the request (a GET, or a client's POST)
     * @param sealedSession the session cookie's value, or {@code null}
     * @param clientAddress the browser's address, for the sign-in limits
     */
    public Step decide(Map<String, List<String>> params, String action, String sealedSession, String clientAddress) {
        return decide(params, action, sealedSession, clientAddress, null, List.of());
    }

    /**
     * @param endpointPath the endpoint's path on this server, context path included: with
     *                     {@link HostContext#returnTo()}, where the hooks send the browser back to
     * @param container    the container's objects for this request (its request and response), for the hooks
     */
    public Step decide(Map<String, List<String>> params, String action, String sealedSession, String clientAddress, String endpointPath,
                       List<Object> container) {
        AuthorizationRequest request;
        try {
            request = authorizer.parse(params);
        } catch (AuthorizationException e) {
            return refuse(e);
        }
        try {
            Optional<BrowserSession> session = authorizer.openSession(sealedSession);
            Host host = new Host(endpointPath, container);
            return switch (action == null ? "" : action) {
                case "" -> show(request, session, host);
                case "login" -> hostLogin != null
                        ? new Step.ErrorPage(OAuthException.invalidRequest("sign-in is the application's here, not this endpoint's"))
                        : login(request, session, first(params, "username"), first(params, "password"), first(params, "csrf_token"),
                        clientAddress);
                case "consent" -> consent(request, session, first(params, "decision"), first(params, "csrf_token"), host);
                case "switch-account" -> switchAccount(request, session, first(params, "csrf_token"), host);
                default -> new Step.ErrorPage(OAuthException.invalidRequest("unknown action '" + OAuthException.echo(action) + "'"));
            };
        } catch (StorageException e) {
            storeOutages.failed(e);
            return refuse(AuthorizationException.redirected(e.toOAuthException(), request.redirectUri(), request.state()));
        }
    }

    /** The request itself: sign in, then the second factor, then consent, then the code. */
    private Step show(AuthorizationRequest request, Optional<BrowserSession> session, Host host) {
        Set<String> prompts = request.prompts();
        boolean silent = prompts.contains("none");
        IdTokens.Hint hint = null;
        if (request.idTokenHint() != null) {
            hint = idTokens == null ? null : idTokens.readHint(request.idTokenHint()).orElse(null);
            if (hint == null) {
                return refuse(AuthorizationException.redirected(OAuthException.invalidRequest(
                        "id_token_hint is not an ID token this server issued"), request.redirectUri(), request.state()));
            }
        }
        if (hostLogin != null) {
            Step handOver = hostUser(request, session, host, false, silent);
            if (handOver != null) {
                return handOver;
            }
        }
        Optional<BrowserSession> signedIn = session.filter(BrowserSession::isSignedIn);
        boolean fresh = hostLogin != null || !prompts.contains("login") && !prompts.contains("select_account")
                && signedIn.map(s -> authorizer.isRecentEnough(s, request.maxAge())).orElse(false);
        boolean hinted = hint == null || signedIn.map(s -> s.user().subject()).orElse("").equals(hint.subject())
                // The application signs users in: a hint for someone else only stops a silent request.
                || hostLogin != null && !silent;
        if (signedIn.isPresent() && fresh && hinted) {
            BrowserSession s = signedIn.get();
            SecondFactor.Answer factor = askSecondFactor(s.user(), request, host);
            Step step = instead(factor, request);
            if (step != null) {
                return silent ? required(request, ErrorCode.LOGIN_REQUIRED, "the user must complete the sign-in") : step;
            }
            if (prompts.contains("consent") || authorizer.needsConsent(s.user(), request)) {
                return silent ? required(request, ErrorCode.CONSENT_REQUIRED, "the user must consent")
                        : new Step.ShowConsent(request, s, 200);
            }
            return new Step.Redirect(authorizer.approve(s, passedBy(factor), request, false));
        }
        if (silent) {
            return required(request, ErrorCode.LOGIN_REQUIRED, "the user must sign in");
        }
        if (prompts.contains("select_account") && signedIn.isPresent()) {
            // Another account may sign in: a fresh, anonymous session, as the "switch account" button gives.
            return new Step.ShowLogin(request, authorizer.anonymousSession(), true, request.loginHint(), null, 200, null);
        }
        return loginPage(request, session.orElse(null), request.loginHint(), null, 200, null);
    }

    /** {@code prompt=none} could not be honoured: the error goes back to the client (OpenID Connect Core §3.1.2.6). */
    private Step required(AuthorizationRequest request, ErrorCode code, String description) {
        return refuse(AuthorizationException.redirected(new OAuthException(code, description), request.redirectUri(), request.state()));
    }

    /**
     * Asks the application who is signed in. {@code null} when it is the session's user, so the
     * flow goes on with that session; otherwise the step that comes first: the application's page,
     * a refusal, or a new session for the application's user (then the request again).
     */
    private Step hostUser(AuthorizationRequest request, Optional<BrowserSession> session, Host host, boolean switchAccount) {
        return hostUser(request, session, host, switchAccount, false);
    }

    /** @param silent {@code prompt=none}: the application's page is not shown, the client hears {@code login_required} */
    private Step hostUser(AuthorizationRequest request, Optional<BrowserSession> session, Host host, boolean switchAccount,
                          boolean silent) {
        HostLogin.Answer answer = hostLogin.authenticate(host.context(request, switchAccount));
        if (answer instanceof HostLogin.SendTo to) {
            return silent ? required(request, ErrorCode.LOGIN_REQUIRED, "the user must sign in") : new Step.Redirect(to.location());
        }
        if (answer instanceof HostLogin.Answered) {
            if (silent) {
                LOG.warn("the application's HostLogin answered a prompt=none request itself; the client is sent login_required");
                return required(request, ErrorCode.LOGIN_REQUIRED, "the user must sign in");
            }
            return new Step.Answered();
        }
        if (answer instanceof HostLogin.Denied denied) {
            return refusedByApplication(request, denied);
        }
        HostLogin.SignedIn signedIn = (HostLogin.SignedIn) answer;
        AuthenticatedUser user = signedIn.user();
        Optional<BrowserSession> current = session.filter(BrowserSession::isSignedIn);
        boolean same = current.map(s -> s.user().subject().equals(user.subject())).orElse(false);
        // The same user, signed in by other methods than the session knows (a step-up for acr_values or
        // max_age): a new session with those methods and this sign-in's time, so the ID token says how
        // the user signed in now, not at first.
        boolean steppedUp = same && !current.get().signIn().equals(signedIn.signIn());
        // The same user and methods, authenticated again (prompt=login, max_age): a new session of that time, likewise.
        // In whole seconds, as auth_time and the sealed session keep it.
        Instant at = signedIn.authenticatedAt() == null ? null : signedIn.authenticatedAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        boolean again = same && at != null && (current.get().authTime() == null
                || at.getEpochSecond() > current.get().authTime().getEpochSecond());
        // The application's answer is its verdict on this very request, prompt=login and max_age included: the
        // request goes on without them, or a login the application just did would be asked for once more.
        return same && !switchAccount && !steppedUp && !again ? null
                : new Step.SignedIn(request.signedIn(), authorizer.signedInSession(user, signedIn.signIn(), at));
    }

    /** What the second factor says of {@code user} now; passed, adding nothing, when there is none. */
    private SecondFactor.Answer askSecondFactor(AuthenticatedUser user, AuthorizationRequest request, Host host) {
        return secondFactor == null ? SecondFactor.passed() : secondFactor.check(user, host.context(request, false));
    }

    /** The methods of a passed second factor; {@code null} for any other answer. */
    private static SignInContext passedBy(SecondFactor.Answer answer) {
        return answer instanceof SecondFactor.Passed passed ? passed.signIn() : null;
    }

    /** {@code null} when the user has passed the second factor (or there is none); else where to go instead. */
    private Step instead(SecondFactor.Answer answer, AuthorizationRequest request) {
        if (answer instanceof HostLogin.SendTo to) {
            return new Step.Redirect(to.location());
        }
        if (answer instanceof HostLogin.Denied denied) {
            return refusedByApplication(request, denied);
        }
        return null;
    }

    private Step refusedByApplication(AuthorizationRequest request, HostLogin.Denied denied) {
        LOG.info("the application refused the sign-in for client {}: {}", request.client().id(), denied.reason());
        return new Step.Redirect(authorizer.errorLocation(AuthorizationException.redirected(
                OAuthException.accessDenied("the sign-in was refused"), request.redirectUri(), request.state())));
    }

    private Step login(AuthorizationRequest request, Optional<BrowserSession> session, String username, String password, String csrf,
                       String address) {
        if (session.isEmpty() || !session.get().acceptsCsrfToken(csrf)) {
            return loginPage(request, null, username, LoginOutcome.PAGE_EXPIRED, 403, null);
        }
        LoginOutcome outcome = authorizer.signIn(username, password, address);
        if (outcome instanceof LoginOutcome.SignedIn in) {
            // The sign-in just happened: prompt=login, select_account and max_age are satisfied for the rest of this request.
            return new Step.SignedIn(request.signedIn(), authorizer.signedInSession(in.user(), SignInContext.password()));
        }
        if (outcome instanceof LoginOutcome.Throttled t) {
            return loginPage(request, session.get(), username, "Too many failed sign-in attempts. Try again in "
                    + minutes(t.retryAfter()) + ".", 429, t.retryAfter());
        }
        return loginPage(request, session.get(), username, ((LoginOutcome.Refused) outcome).message(), 200, null);
    }

    private Step consent(AuthorizationRequest request, Optional<BrowserSession> session, String decision, String csrf, Host host) {
        if (session.isEmpty() || !session.get().isSignedIn()) {
            return hostLogin != null ? show(request, session, host)
                    : loginPage(request, session.orElse(null), null, LoginOutcome.SESSION_ENDED, 200, null);
        }
        BrowserSession s = session.get();
        if (!s.acceptsCsrfToken(csrf)) {
            return new Step.ShowConsent(request, s, 403);
        }
        if ("allow".equals(decision)) {
            // The form may be old: whoever signed in, and whatever step was passed, is asked again now.
            Step first = hostLogin == null ? null : hostUser(request, session, host, false);
            if (first != null) {
                return first;
            }
            SecondFactor.Answer factor = askSecondFactor(s.user(), request, host);
            Step step = instead(factor, request);
            return step != null ? step : new Step.Redirect(authorizer.approve(s, passedBy(factor), request, true));
        }
        if ("deny".equals(decision)) {
            return new Step.Redirect(authorizer.deny(request));
        }
        return new Step.ErrorPage(OAuthException.invalidRequest("decision must be allow or deny"));
    }

    /** A fresh, anonymous session: the next sign-in may be someone else. A forged post only shows the request again. */
    private Step switchAccount(AuthorizationRequest request, Optional<BrowserSession> session, String csrf, Host host) {
        if (hostLogin != null) {
            // Signing out of the application takes a form of this session, not a post from anywhere.
            return session.isPresent() && session.get().acceptsCsrfToken(csrf) ? hostUser(request, session, host, true)
                    : show(request, session, host);
        }
        if (session.isPresent() && !session.get().acceptsCsrfToken(csrf)) {
            return show(request, session, host);
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

    /** What the hooks are told about the request besides the authorization request itself. */
    private record Host(String endpointPath, List<Object> container) {
        HostContext context(AuthorizationRequest request, boolean switchAccount) {
            if (endpointPath == null) {
                throw new IllegalStateException("a HostLogin or SecondFactor needs decide(..., endpointPath, container)");
            }
            return new HostContext(request, endpointPath + "?" + request.query(), switchAccount, container);
        }
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
