package dev.oauthlet.authorize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oauthlet.MutableClock;
import dev.oauthlet.Oauthlet;
import dev.oauthlet.TestConfigs;
import dev.oauthlet.error.ErrorCode;
import dev.oauthlet.internal.memory.MemoryStorage;
import dev.oauthlet.spi.ForwardingStorage;
import dev.oauthlet.spi.RevokedTokenStore;
import dev.oauthlet.spi.StorageException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every branch of the authorization endpoint's decisions, without a container. */
class AuthorizationFlowTest {

    private static final String ADDRESS = "10.0.0.1";

    private final MutableClock clock = new MutableClock();
    private final AtomicBoolean storeDown = new AtomicBoolean();
    private final Oauthlet server = Oauthlet.builder().config(TestConfigs.load(TestConfigs.AUTHORIZATION_CODE)).clock(clock)
            .storage(new StoreThatGoesDown(storeDown)).build();
    private final Authorizer authorizer = server.authorizer();
    private final AuthorizationFlow flow = new AuthorizationFlow(authorizer, server.storeOutages());

    @AfterEach
    void close() {
        server.close();
    }

    private static Map<String, List<String>> request(String... nameValues) {
        Map<String, List<String>> m = AuthorizationRequestTest.valid();
        for (int i = 0; i < nameValues.length; i += 2) {
            m.put(nameValues[i], List.of(nameValues[i + 1]));
        }
        return m;
    }

    private static Map<String, List<String>> firstParty() {
        return request("client_id", "own-app", "redirect_uri", "https://own.example.com/cb", "scope", "orders:read");
    }

    private String seal(BrowserSession session) {
        return authorizer.sessions().seal(session);
    }

    private BrowserSession signedIn() {
        LoginOutcome.SignedIn in = assertInstanceOf(LoginOutcome.SignedIn.class, authorizer.signIn("alice", "alice-password", ADDRESS));
        return authorizer.signedInSession(in.user());
    }

    private Step post(Map<String, List<String>> params, String action, BrowserSession session, String... form) {
        Map<String, List<String>> all = new HashMap<>(params);
        for (int i = 0; i < form.length; i += 2) {
            all.put(form[i], List.of(form[i + 1]));
        }
        return flow.decide(all, action, session == null ? null : seal(session), ADDRESS);
    }

    private static Map<String, String> query(Step step) {
        return AuthorizerTest.query(assertInstanceOf(Step.Redirect.class, step).location());
    }

    @Test
    void decideWhenNoSessionThenLoginPageWithANewSessionToSet() {
        Step.ShowLogin login = assertInstanceOf(Step.ShowLogin.class, flow.decide(request(), null, null, ADDRESS));
        assertTrue(login.setCookie());
        assertFalse(login.session().isSignedIn());
        assertEquals(200, login.status());
        assertNull(login.error());
        assertNull(login.retryAfter());
    }

    @Test
    void decideWhenAnonymousSessionThenLoginPageKeepsIt() {
        BrowserSession anonymous = authorizer.anonymousSession();
        Step.ShowLogin login = assertInstanceOf(Step.ShowLogin.class, post(request(), null, anonymous));
        assertFalse(login.setCookie());
        assertEquals(anonymous.csrfToken(), login.session().csrfToken());
    }

    @Test
    void decideWhenSignedInAndThirdPartyClientThenConsentPage() {
        Step.ShowConsent consent = assertInstanceOf(Step.ShowConsent.class, post(request(), null, signedIn()));
        assertEquals(200, consent.status());
        assertEquals("alice", consent.session().user().subject());
    }

    @Test
    void decideWhenSignedInAndFirstPartyClientThenRedirectWithCode() {
        Map<String, String> q = query(post(firstParty(), null, signedIn()));
        assertNotNull(q.get("code"));
        assertEquals("af0ifjsldkj", q.get("state"));
    }

    @Test
    void loginWhenCsrfTokenWrongThenLoginPageExpiredWith403AndANewSession() {
        Step.ShowLogin login = assertInstanceOf(Step.ShowLogin.class, post(request(), "login", authorizer.anonymousSession(),
                "username", "alice", "password", "alice-password", "csrf_token", "forged"));
        assertEquals(403, login.status());
        assertEquals("This page expired. Please sign in again.", login.error());
        assertEquals("alice", login.username());
        assertTrue(login.setCookie());
    }

    @Test
    void loginWhenNoSessionThenLoginPageExpired() {
        Step.ShowLogin login = assertInstanceOf(Step.ShowLogin.class, post(request(), "login", null,
                "username", "alice", "password", "alice-password", "csrf_token", "any"));
        assertEquals(403, login.status());
    }

    @Test
    void loginWhenPasswordRightThenSignedInSessionToSet() {
        BrowserSession anonymous = authorizer.anonymousSession();
        Step.SignedIn in = assertInstanceOf(Step.SignedIn.class, post(request(), "login", anonymous,
                "username", "alice", "password", "alice-password", "csrf_token", anonymous.csrfToken()));
        assertEquals("alice", in.session().user().subject());
        assertEquals("partner-app", in.request().client().id());
    }

    @Test
    void loginWhenPasswordWrongThenLoginPageWithTheMessage() {
        BrowserSession anonymous = authorizer.anonymousSession();
        Step.ShowLogin login = assertInstanceOf(Step.ShowLogin.class, post(request(), "login", anonymous,
                "username", "alice", "password", "wrong", "csrf_token", anonymous.csrfToken()));
        assertEquals(200, login.status());
        assertEquals("The username or password is incorrect.", login.error());
        assertFalse(login.setCookie());
    }

    @Test
    void loginWhenTooManyFailuresThen429WithRetryAfter() {
        BrowserSession anonymous = authorizer.anonymousSession();
        Step last = null;
        for (int i = 0; i < 4; i++) {
            last = post(request(), "login", anonymous, "username", "bob", "password", "wrong", "csrf_token", anonymous.csrfToken());
        }
        Step.ShowLogin login = assertInstanceOf(Step.ShowLogin.class, last);
        assertEquals(429, login.status());
        assertNotNull(login.retryAfter());
        assertTrue(login.error().startsWith("Too many failed sign-in attempts. Try again in "), login.error());
    }

    @Test
    void consentWhenNotSignedInThenLoginPageSessionEnded() {
        Step.ShowLogin login = assertInstanceOf(Step.ShowLogin.class, post(request(), "consent", authorizer.anonymousSession(),
                "decision", "allow", "csrf_token", "x"));
        assertEquals("Your session ended. Please sign in again.", login.error());
        assertEquals(200, login.status());
    }

    @Test
    void consentWhenCsrfTokenWrongThenConsentPageAgainWith403() {
        Step.ShowConsent consent = assertInstanceOf(Step.ShowConsent.class, post(request(), "consent", signedIn(),
                "decision", "allow", "csrf_token", "forged"));
        assertEquals(403, consent.status());
    }

    @Test
    void consentWhenAllowedThenRedirectWithCodeAndNoConsentAskedNextTime() {
        BrowserSession alice = signedIn();
        assertNotNull(query(post(request(), "consent", alice, "decision", "allow", "csrf_token", alice.csrfToken())).get("code"));
        assertNotNull(query(post(request(), null, alice)).get("code"));
    }

    @Test
    void consentWhenDeniedThenRedirectWithAccessDenied() {
        BrowserSession alice = signedIn();
        Map<String, String> q = query(post(request(), "consent", alice, "decision", "deny", "csrf_token", alice.csrfToken()));
        assertEquals("access_denied", q.get("error"));
        assertNull(q.get("code"));
    }

    @Test
    void consentWhenDecisionUnknownThenErrorPage() {
        BrowserSession alice = signedIn();
        Step.ErrorPage page = assertInstanceOf(Step.ErrorPage.class, post(request(), "consent", alice,
                "decision", "maybe", "csrf_token", alice.csrfToken()));
        assertEquals(ErrorCode.INVALID_REQUEST, page.error().error());
    }

    @Test
    void switchAccountWhenCsrfTokenRightThenLoginPageWithAFreshAnonymousSession() {
        BrowserSession alice = signedIn();
        Step.ShowLogin login = assertInstanceOf(Step.ShowLogin.class, post(request(), "switch-account", alice,
                "csrf_token", alice.csrfToken()));
        assertTrue(login.setCookie());
        assertFalse(login.session().isSignedIn());
    }

    @Test
    void switchAccountWhenCsrfTokenWrongThenTheRequestShownAgain() {
        assertInstanceOf(Step.ShowConsent.class, post(request(), "switch-account", signedIn(), "csrf_token", "forged"));
    }

    @Test
    void decideWhenActionUnknownThenErrorPage() {
        Step.ErrorPage page = assertInstanceOf(Step.ErrorPage.class, post(request(), "steal", null));
        assertEquals(ErrorCode.INVALID_REQUEST, page.error().error());
        assertTrue(page.error().description().contains("steal"), page.error().description());
    }

    @Test
    void decideWhenClientUnknownThenErrorPageNotARedirect() {
        Step.ErrorPage page = assertInstanceOf(Step.ErrorPage.class, flow.decide(request("client_id", "nobody"), null, null, ADDRESS));
        assertNotNull(page.error());
    }

    @Test
    void decideWhenScopeUnknownThenRedirectWithInvalidScope() {
        assertEquals("invalid_scope", query(flow.decide(request("scope", "payroll"), null, null, ADDRESS)).get("error"));
    }

    @Test
    void decideWhenStoreDownThenRedirectWithTemporarilyUnavailable() {
        BrowserSession alice = signedIn();
        storeDown.set(true);
        assertEquals("temporarily_unavailable", query(post(request(), null, alice)).get("error"));
        assertTrue(server.storeOutages().isDown(), "the outage is reported to the server's log");
    }

    @Test
    void minutesWhenSecondsLeftThenRoundedUpToWholeMinutes() {
        assertEquals("1 minute", AuthorizationFlow.minutes(Duration.ofSeconds(5)));
        assertEquals("2 minutes", AuthorizationFlow.minutes(Duration.ofSeconds(61)));
    }

    /** Memory storage whose deny-list fails while {@code down} is set. */
    private static final class StoreThatGoesDown extends ForwardingStorage {
        private final RevokedTokenStore revoked;

        StoreThatGoesDown(AtomicBoolean down) {
            this(new MemoryStorage(), down);
        }

        private StoreThatGoesDown(MemoryStorage memory, AtomicBoolean down) {
            super(memory);
            RevokedTokenStore real = memory.revokedTokens();
            this.revoked = new RevokedTokenStore() {
                @Override
                public void revoke(String jti, Instant expiresAt) {
                    real.revoke(jti, expiresAt);
                }

                @Override
                public boolean isRevoked(String jti) {
                    if (down.get()) {
                        throw new StorageException("the store is down", null);
                    }
                    return real.isRevoked(jti);
                }

                @Override
                public java.util.Set<String> activeEntries(Instant now) {
                    if (down.get()) {
                        throw new StorageException("the store is down", null);
                    }
                    return real.activeEntries(now);
                }

                @Override
                public int purgeExpired(Instant now, int limit) {
                    return real.purgeExpired(now, limit);
                }
            };
        }

        @Override
        public RevokedTokenStore revokedTokens() {
            return revoked;
        }
    }
}
