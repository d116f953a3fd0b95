package dev.oauthlet.authorize;

import dev.oauthlet.client.ClientRegistration;
import dev.oauthlet.config.OauthletConfig;
import dev.oauthlet.crypto.Hashes;
import dev.oauthlet.error.OAuthException;
import dev.oauthlet.internal.server.LoginThrottle;
import dev.oauthlet.internal.server.PasswordChecks;
import dev.oauthlet.key.SigningKeys;
import dev.oauthlet.spi.AuthorizationCodeRecord;
import dev.oauthlet.spi.Storage;
import dev.oauthlet.spi.StorageException;
import dev.oauthlet.user.AuthenticatedUser;
import dev.oauthlet.user.SignInContext;
import dev.oauthlet.user.UserAuthenticator;
import dev.oauthlet.user.UserCredentials;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The authorization endpoint's decisions, without any HTTP: validates requests, signs users in
 * through the same {@link UserAuthenticator} as the password grant, decides whether consent is
 * needed, and issues codes. The servlet layer renders pages and redirects with what it answers.
 * Thread-safe; {@link dev.oauthlet.Oauthlet#authorizer()} holds the server's one.
 */
public final class Authorizer {

    /** Codes carry 256 bits of entropy (RFC 6749 §10.10 asks for at least 128). */
    static final int CODE_BYTES = 32;
    /** Marks a resource among the consented scopes; see {@link #consented}. */
    static final String RESOURCE_CONSENT = "\"";

    private final OauthletConfig config;
    private final String issuer;
    private final Storage storage;
    private final LoginThrottle throttle;
    private final PasswordChecks checks;
    private final SessionSealer sessions;
    private final Clock clock;
    private final HostLogin hostLogin;
    private final SecondFactor secondFactor;

    /** @param throttle the server's throttle for usernames, which the password grant shares */
    public Authorizer(OauthletConfig config, Storage storage, UserAuthenticator users, LoginThrottle throttle, SigningKeys keys, Clock clock) {
        this(config, storage, users, throttle, keys, clock, null, null);
    }

    /**
     * @param hostLogin    the application's sign-in instead of the login page, or {@code null}
     * @param secondFactor the application's step before consent, or {@code null}
     */
    public Authorizer(OauthletConfig config, Storage storage, UserAuthenticator users, LoginThrottle throttle, SigningKeys keys, Clock clock,
                      HostLogin hostLogin, SecondFactor secondFactor) {
        this.hostLogin = hostLogin;
        this.secondFactor = secondFactor;
        this.config = config;
        this.issuer = config.issuer();
        this.storage = storage;
        this.throttle = throttle;
        this.checks = new PasswordChecks(users, throttle);
        this.sessions = new SessionSealer(keys, clock);
        this.clock = clock;
    }

    /**
     * Validates an authorization request.
     *
     * @throws AuthorizationException for every refusal; see {@link AuthorizationRequest#parse}
     */
    public AuthorizationRequest parse(Map<String, List<String>> raw) {
        try {
            return AuthorizationRequest.parse(raw, storage.clients(), config.authorization());
        } catch (StorageException e) {
            throw AuthorizationException.shownToUser(e.toOAuthException());
        }
    }

    /**
     * Checks a username and password from the login page, within the failure limits. A failure
     * is answered only after {@code authorization.login-failure-delay}.
     */
    public LoginOutcome signIn(String username, String password, String address) {
        if (username == null || username.isBlank() || password == null || password.isEmpty()) {
            return new LoginOutcome.Refused(LoginOutcome.MISSING_CREDENTIALS);
        }
        // A wrong tenant or another refusal of the authenticator counts as a failure; overload and outages do not.
        PasswordChecks.Outcome outcome = checks.check(new UserCredentials(username, password, Map.of()), address,
                e -> e instanceof OAuthException o && o.error() != dev.oauthlet.error.ErrorCode.TEMPORARILY_UNAVAILABLE);
        if (outcome instanceof PasswordChecks.Outcome.Throttled) {
            return new LoginOutcome.Throttled(throttle.retryAfter());
        }
        if (outcome instanceof PasswordChecks.Outcome.SignedIn signedIn) {
            return new LoginOutcome.SignedIn(signedIn.user());
        }
        pause(config.authorization().loginFailureDelay());
        return new LoginOutcome.Refused(LoginOutcome.INCORRECT_CREDENTIALS);
    }

    private static void pause(Duration delay) {
        if (delay.isZero()) {
            return;
        }
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * {@code true} when the user must be asked: never for first-party clients, otherwise unless
     * the user already granted this client every scope asked for. A request for no scope at all
     * is always asked, as an empty stored consent cannot be told from none.
     */
    public boolean needsConsent(AuthenticatedUser user, AuthorizationRequest request) {
        ClientRegistration client = request.client();
        if (client.firstParty()) {
            return false;
        }
        Set<String> granted = storage.consents().find(user.subject(), client.id());
        return request.scopes().isEmpty() || !granted.containsAll(consented(request));
    }

    /**
     * What a consent to this request covers: its scopes, and each resource it names. A resource is
     * kept among the scopes with a leading {@code "}, which no scope can contain (RFC 6749 §3.3), so
     * consenting to one API's access does not silently extend to another's.
     */
    private static Set<String> consented(AuthorizationRequest request) {
        Set<String> all = new HashSet<>(request.scopes());
        for (String r : request.resources()) {
            all.add(RESOURCE_CONSENT + r);
        }
        return all;
    }

    /**
     * Issues a code for {@code user} and returns where to send the browser: the redirect URI
     * with {@code code}, {@code state} and {@code iss} (RFC 9207).
     *
     * @param consented the user allowed it on the consent page; the grant is remembered
     */
    public String approve(AuthenticatedUser user, AuthorizationRequest request, boolean consented) {
        return approve(user, null, request, consented);
    }

    /**
     * As {@link #approve(AuthenticatedUser, AuthorizationRequest, boolean)} for the signed-in user
     * of {@code session}, whose sign-in time the code keeps for its ID token's {@code auth_time}.
     */
    public String approve(BrowserSession session, AuthorizationRequest request, boolean consented) {
        return approve(session, null, request, consented);
    }

    /**
     * As {@link #approve(BrowserSession, AuthorizationRequest, boolean)}, the user having passed
     * {@code step} (a second factor's methods, {@code null} for none) after the session's sign-in:
     * the code keeps both for its ID token's {@code acr} and {@code amr}.
     */
    public String approve(BrowserSession session, SignInContext step, AuthorizationRequest request, boolean consented) {
        SignInContext signIn = step == null ? session.signIn() : session.signIn().then(step);
        return approve(session.user(), session.authTime(), signIn, request, consented);
    }

    private String approve(AuthenticatedUser user, Instant authTime, AuthorizationRequest request, boolean consented) {
        return approve(user, authTime, null, request, consented);
    }

    private String approve(AuthenticatedUser user, Instant authTime, SignInContext signIn, AuthorizationRequest request,
                           boolean consented) {
        ClientRegistration client = request.client();
        if (consented && !client.firstParty()) {
            Set<String> granted = new HashSet<>(storage.consents().find(user.subject(), client.id()));
            granted.addAll(consented(request));
            storage.consents().save(user.subject(), client.id(), granted);
        }
        String code = Hashes.randomToken(CODE_BYTES);
        Instant now = clock.instant();
        storage.authorizationCodes().save(new AuthorizationCodeRecord(Hashes.sha256(code), client.id(), user.subject(),
                request.redirectUriGiven() ? request.redirectUri() : null, request.scopes(), request.codeChallenge(),
                request.codeChallengeMethod(), user.claims(), now.plus(config.tokens().authorizationCodeTtl()), null,
                request.resources(), request.dpopJkt(), authTime != null ? authTime : now, request.nonce(), signIn));
        Map<String, String> params = new LinkedHashMap<>();
        params.put("code", code);
        params.put("state", request.state());
        params.put("iss", issuer);
        return location(request.redirectUri(), params);
    }

    /** Where to send the browser when the user denied access: {@code error=access_denied}. */
    public String deny(AuthorizationRequest request) {
        return errorLocation(AuthorizationException.redirected(OAuthException.accessDenied("the user denied access"),
                request.redirectUri(), request.state()));
    }

    /** The redirect for a redirectable error, RFC 6749 §4.1.2.1. */
    public String errorLocation(AuthorizationException e) {
        if (!e.redirectable()) {
            throw new IllegalArgumentException("this error must not be redirected", e);
        }
        Map<String, String> params = new LinkedHashMap<>();
        params.put("error", e.error().code());
        params.put("error_description", e.description());
        params.put("state", e.state());
        params.put("iss", issuer);
        return location(e.redirectUri(), params);
    }

    /**
     * {@code true} when the session's sign-in is at most {@code maxAge} seconds old (OpenID Connect
     * {@code max_age}, Core §3.1.2.1), or when there is no {@code maxAge}; a session without a
     * recorded sign-in time is never recent enough.
     */
    public boolean isRecentEnough(BrowserSession session, Long maxAge) {
        if (maxAge == null) {
            return true;
        }
        return session.authTime() != null && !clock.instant().isAfter(session.authTime().plusSeconds(maxAge));
    }

    /** A fresh session for a browser that has none. */
    public BrowserSession anonymousSession() {
        return BrowserSession.anonymous(clock.instant().plus(config.authorization().sessionTtl()));
    }

    /** A new session for a user who just signed in, nothing known of how. */
    public BrowserSession signedInSession(AuthenticatedUser user) {
        return signedInSession(user, null);
    }

    /** A new session for a user who just signed in as {@code signIn} says ({@code null}: unknown). */
    public BrowserSession signedInSession(AuthenticatedUser user, SignInContext signIn) {
        return signedInSession(user, signIn, null);
    }

    /** As {@link #signedInSession(AuthenticatedUser, SignInContext)}, authenticated at {@code authTime} ({@code null} or later than now: now). */
    public BrowserSession signedInSession(AuthenticatedUser user, SignInContext signIn, Instant authTime) {
        Instant now = clock.instant();
        Instant at = authTime == null || authTime.isAfter(now) ? now : authTime;
        return BrowserSession.signedIn(user, at, signIn, now.plus(config.authorization().sessionTtl()));
    }

    /**
     * The session a cookie value holds: empty when it does not open ({@link SessionSealer#open}),
     * or when it was signed in and has been ended by {@link #endSession} on any node.
     *
     * @throws StorageException when the store cannot say whether a signed-in session was ended
     */
    public Optional<BrowserSession> openSession(String sealed) {
        return sessions.open(sealed).filter(s -> !s.isSignedIn() || !storage.revokedTokens().isRevoked(endedSessionKey(s)));
    }

    /**
     * Ends a signed-in session on every node: its id joins the store's deny-list until the session
     * would have expired, so the sealed cookie opens nowhere even if a copy of it survives.
     * An anonymous session holds nothing and is left to expire.
     */
    public void endSession(BrowserSession session) {
        if (session.isSignedIn()) {
            storage.revokedTokens().revoke(endedSessionKey(session), session.expiresAt());
        }
    }

    /**
     * The session cookie's name for a deployment at {@code contextPath}. The cookie is scoped to
     * {@code Path=/} (so the logout endpoint sees it, and {@code __Host-} demands it), so its name
     * must tell deployments on one host apart: a suffix derived from the issuer and the context
     * path. Over https it carries the {@code __Host-} prefix, which browsers accept only from a
     * secure origin, with {@code Secure}, {@code Path=/} and no {@code Domain}, so no sibling
     * subdomain and no plain-http page can set or overwrite it.
     */
    public String sessionCookieName(String contextPath, boolean secure) {
        String suffix = Hashes.sha256(issuer + " " + contextPath).substring(0, 10);
        return (secure ? "__Host-" : "") + "oauthlet_session_" + suffix;
    }

    /** Ended sessions share the access-token deny-list under their own prefix; a jti never contains ':'. */
    private static String endedSessionKey(BrowserSession session) {
        return "sid:" + Hashes.sha256(session.id());
    }

    /** The application's sign-in ({@code authorization.host-login: application}, or the builder's); empty otherwise. */
    public Optional<HostLogin> hostLogin() {
        return Optional.ofNullable(hostLogin);
    }

    /** The application's second factor; empty when there is none. */
    public Optional<SecondFactor> secondFactor() {
        return Optional.ofNullable(secondFactor);
    }

    /** Seals sessions into cookie values and opens them again. */
    public SessionSealer sessions() {
        return sessions;
    }

    /** The scope's description from {@code scopes:}, or the scope itself when there is none. */
    public String describeScope(String scope) {
        return config.scopes().getOrDefault(scope, scope);
    }

    /** Appends parameters to the redirect URI, keeping its own query (RFC 6749 §3.1.2). */
    private static String location(String redirectUri, Map<String, String> params) {
        StringBuilder sb = new StringBuilder(redirectUri);
        char sep = redirectUri.indexOf('?') < 0 ? '?' : '&';
        for (Map.Entry<String, String> p : params.entrySet()) {
            if (p.getValue() == null) {
                continue;
            }
            sb.append(sep).append(p.getKey()).append('=').append(URLEncoder.encode(p.getValue(), StandardCharsets.UTF_8));
            sep = '&';
        }
        return sb.toString();
    }
}
