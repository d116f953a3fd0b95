package dev.oauthlet.authorize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oauthlet.Oauthlet;
import dev.oauthlet.TestConfigs;
import dev.oauthlet.config.ConfigException;
import dev.oauthlet.error.ErrorCode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The authorization endpoint's decisions with sign-in handed to the application (a stub
 * {@link HostLogin} whose answer the test sets) and a stub {@link SecondFactor}.
 */
class HostLoginFlowTest {

    private static final String ADDRESS = "10.0.0.1";
    private static final String PATH = "/ctx/oauth/authorize";

    /** What the application says; {@code null}: nobody signed in, so its login page. */
    private final AtomicReference<String> appUser = new AtomicReference<>();
    private final AtomicReference<SecondFactor.Answer> factor = new AtomicReference<>(SecondFactor.passed());
    private final AtomicReference<HostContext> seen = new AtomicReference<>();
    private final HostLogin host = context -> {
        seen.set(context);
        if (context.switchAccount()) {
            appUser.set(null);
            return HostLogin.sendTo("/app/logout");
        }
        String u = appUser.get();
        return u == null ? HostLogin.sendTo("/app/login") : u.equals("mallory") ? HostLogin.denied("not mallory") : HostLogin.signedIn(u);
    };
    private final Oauthlet server = Oauthlet.builder().config(TestConfigs.load(TestConfigs.AUTHORIZATION_CODE)).build();
    private final Authorizer authorizer = server.authorizer();
    private final AuthorizationFlow flow = new AuthorizationFlow(authorizer, server.storeOutages(), host, (user, context) -> factor.get());
    private final Object containerRequest = new Object();

    @AfterEach
    void close() {
        server.close();
    }

    private Step decide(String action, BrowserSession session, String... form) {
        Map<String, List<String>> all = new HashMap<>(AuthorizationRequestTest.valid());
        for (int i = 0; i < form.length; i += 2) {
            all.put(form[i], List.of(form[i + 1]));
        }
        return flow.decide(all, action, session == null ? null : authorizer.sessions().seal(session), ADDRESS, PATH, List.of(containerRequest));
    }

    /** The application signs {@code user} in; the flow's new session for them. */
    private BrowserSession handedOver(String user) {
        appUser.set(user);
        return assertInstanceOf(Step.SignedIn.class, decide(null, null)).session();
    }

    @Test
    void decideWhenApplicationHasNobodyThenItsLoginPageAndNoSession() {
        Step.Redirect r = assertInstanceOf(Step.Redirect.class, decide(null, null));
        assertEquals("/app/login", r.location());
        assertTrue(seen.get().returnTo().startsWith(PATH + "?"), seen.get().returnTo());
        assertTrue(seen.get().returnTo().contains("state=af0ifjsldkj"), seen.get().returnTo());
        assertEquals(containerRequest, seen.get().unwrap(Object.class).orElseThrow());
        assertEquals("partner-app", seen.get().request().client().id());
    }

    @Test
    void decideWhenPromptNoneAndApplicationWouldShowItsLoginPageThenLoginRequiredRedirectToTheClient() {
        Step.Redirect r = assertInstanceOf(Step.Redirect.class, decide(null, null, "prompt", "none"));
        assertTrue(r.location().startsWith("https://partner.example.com/callback?error=login_required&"), r.location());
        assertTrue(r.location().contains("state=af0ifjsldkj"), r.location());
        assertNotNull(seen.get(), "the application was asked");
    }

    @Test
    void decideWhenPromptNoneAndSecondFactorWouldShowItsPageThenLoginRequired() {
        BrowserSession s = handedOver("carol");
        factor.set(SecondFactor.sendTo("/app/otp"));
        Step.Redirect r = assertInstanceOf(Step.Redirect.class, decide(null, s, "prompt", "none"));
        assertTrue(r.location().contains("error=login_required"), r.location());
    }

    @Test
    void approveWhenApplicationDeclaresPasswordAndSecondFactorOtpThenTheCodeKeepsPwdOtpMfa() {
        appUser.set(null);
        HostLogin declaring = context -> HostLogin.signedIn(new dev.oauthlet.user.AuthenticatedUser("carol", Map.of()),
                dev.oauthlet.user.SignInContext.password().withAcr("urn:app:silver"));
        AuthorizationFlow f = new AuthorizationFlow(authorizer, server.storeOutages(), declaring,
                (user, context) -> SecondFactor.passed(dev.oauthlet.user.SignInContext.methods("otp")));
        Map<String, List<String>> params = new HashMap<>(AuthorizationRequestTest.valid());
        BrowserSession s = assertInstanceOf(Step.SignedIn.class, f.decide(params, null, null, ADDRESS, PATH, List.of())).session();
        assertEquals(List.of("pwd"), s.signIn().amr());
        BrowserSession reopened = authorizer.sessions().open(authorizer.sessions().seal(s)).orElseThrow();
        assertEquals(s.signIn(), reopened.signIn(), "the sealed cookie keeps how the user signed in");
        Step.ShowConsent consent = assertInstanceOf(Step.ShowConsent.class, f.decide(params, null, authorizer.sessions().seal(s), ADDRESS,
                PATH, List.of()));
        Map<String, List<String>> form = new HashMap<>(params);
        form.put("decision", List.of("allow"));
        form.put("csrf_token", List.of(consent.session().csrfToken()));
        Step.Redirect r = assertInstanceOf(Step.Redirect.class, f.decide(form, "consent", authorizer.sessions().seal(s), ADDRESS, PATH,
                List.of()));
        String code = r.location().replaceAll(".*[?&]code=([^&]+).*", "$1");
        var stored = server.storage().authorizationCodes().consume(dev.oauthlet.crypto.Hashes.sha256(code)).orElseThrow().code();
        assertEquals(List.of("pwd", "otp", "mfa"), stored.signIn().amr());
        assertEquals("urn:app:silver", stored.signIn().acr(), "the application's own class, not a derived one");
    }

    @Test
    void decideWhenApplicationAnsweredTheBrowserItselfThenNothingToRenderAndNoSession() {
        AtomicReference<Boolean> silentSeen = new AtomicReference<>();
        HostLogin writing = context -> {
            silentSeen.set(context.silent());
            return HostLogin.answered();
        };
        AuthorizationFlow f = new AuthorizationFlow(authorizer, server.storeOutages(), writing, null);
        Map<String, List<String>> params = new HashMap<>(AuthorizationRequestTest.valid());
        assertInstanceOf(Step.Answered.class, f.decide(params, null, null, ADDRESS, PATH, List.of()));
        assertEquals(false, silentSeen.get());

        // prompt=none: the hook is told so; had it written anyway, the client is still told login_required, never a code.
        params.put("prompt", List.of("none"));
        Step.Redirect r = assertInstanceOf(Step.Redirect.class, f.decide(params, null, null, ADDRESS, PATH, List.of()));
        assertEquals(true, silentSeen.get());
        assertTrue(r.location().startsWith("https://partner.example.com/callback?error=login_required&"), r.location());
    }

    @Test
    void decideWhenSameUserSignedInAgainByOtherMethodsThenSessionTakesThemWithNewAuthTime() throws Exception {
        // The application steps carol up (say, for acr_values=2): first a password, then a password and a security key.
        AtomicReference<dev.oauthlet.user.SignInContext> how = new AtomicReference<>(dev.oauthlet.user.SignInContext.password());
        HostLogin stepping = context -> HostLogin.signedIn(new dev.oauthlet.user.AuthenticatedUser("carol", Map.of()), how.get());
        AuthorizationFlow f = new AuthorizationFlow(authorizer, server.storeOutages(), stepping, null);
        Map<String, List<String>> params = new HashMap<>(AuthorizationRequestTest.valid());
        BrowserSession first = assertInstanceOf(Step.SignedIn.class, f.decide(params, null, null, ADDRESS, PATH, List.of())).session();
        assertInstanceOf(Step.ShowConsent.class, f.decide(params, null, authorizer.sessions().seal(first), ADDRESS, PATH, List.of()),
                "the same methods again: the session goes on");
        Thread.sleep(1100);
        how.set(dev.oauthlet.user.SignInContext.methods("pwd", "hwk", "mfa").withAcr("urn:app:gold"));
        params.put("acr_values", List.of("urn:app:gold"));
        BrowserSession stepped = assertInstanceOf(Step.SignedIn.class,
                f.decide(params, null, authorizer.sessions().seal(first), ADDRESS, PATH, List.of())).session();
        assertEquals("carol", stepped.user().subject());
        assertEquals(List.of("pwd", "hwk", "mfa"), stepped.signIn().amr());
        assertEquals("urn:app:gold", stepped.signIn().acr());
        assertTrue(stepped.authTime().isAfter(first.authTime()), first.authTime() + " -> " + stepped.authTime());
        assertNotEquals(first.id(), stepped.id(), "a new session: its cookie replaces the old one");
        assertNotEquals(first.csrfToken(), stepped.csrfToken());

        // The consent form of the session from before the step-up: no code with the old methods.
        Map<String, List<String>> form = new HashMap<>(params);
        form.put("decision", List.of("allow"));
        form.put("csrf_token", List.of(first.csrfToken()));
        assertInstanceOf(Step.SignedIn.class, f.decide(form, "consent", authorizer.sessions().seal(first), ADDRESS, PATH, List.of()));
        // With the stepped-up session, the code keeps the new methods.
        form.put("csrf_token", List.of(stepped.csrfToken()));
        Step.Redirect r = assertInstanceOf(Step.Redirect.class, f.decide(form, "consent", authorizer.sessions().seal(stepped), ADDRESS,
                PATH, List.of()));
        String code = r.location().replaceAll(".*[?&]code=([^&]+).*", "$1");
        var stored = server.storage().authorizationCodes().consume(dev.oauthlet.crypto.Hashes.sha256(code)).orElseThrow().code();
        assertEquals(List.of("pwd", "hwk", "mfa"), stored.signIn().amr());
        assertEquals("urn:app:gold", stored.signIn().acr());
        assertEquals(stepped.authTime().getEpochSecond(), stored.authTime().getEpochSecond());
    }

    @Test
    void decideWhenApplicationAuthenticatedTheSameUserAgainThenSessionTakesThatTimeAndTheCodeItsAuthTime() {
        // The application re-authenticates carol (for prompt=login or a max_age) with the same methods, and says when.
        // Milliseconds, as an application's clock gives them; auth_time and the sealed session keep whole seconds.
        java.time.Instant t0 = java.time.Instant.now().minusSeconds(600).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).plusMillis(250);
        AtomicReference<java.time.Instant> when = new AtomicReference<>(t0);
        HostLogin app = context -> HostLogin.signedIn(new dev.oauthlet.user.AuthenticatedUser("carol", Map.of()),
                dev.oauthlet.user.SignInContext.password(), when.get());
        AuthorizationFlow f = new AuthorizationFlow(authorizer, server.storeOutages(), app, null);
        Map<String, List<String>> params = new HashMap<>(AuthorizationRequestTest.valid());
        BrowserSession first = assertInstanceOf(Step.SignedIn.class, f.decide(params, null, null, ADDRESS, PATH, List.of())).session();
        assertEquals(t0.getEpochSecond(), first.authTime().getEpochSecond(), "auth_time is when the application authenticated her");
        assertInstanceOf(Step.ShowConsent.class, f.decide(params, null, authorizer.sessions().seal(first), ADDRESS, PATH, List.of()),
                "the same time again: the session goes on");

        java.time.Instant t1 = t0.plusSeconds(300);
        when.set(t1);
        BrowserSession again = assertInstanceOf(Step.SignedIn.class,
                f.decide(params, null, authorizer.sessions().seal(first), ADDRESS, PATH, List.of())).session();
        assertEquals(t1.getEpochSecond(), again.authTime().getEpochSecond());
        assertNotEquals(first.id(), again.id(), "a new session");
        assertEquals(first.signIn(), again.signIn(), "the methods stay");

        when.set(java.time.Instant.now().plusSeconds(3600));
        BrowserSession future = assertInstanceOf(Step.SignedIn.class,
                f.decide(params, null, authorizer.sessions().seal(again), ADDRESS, PATH, List.of())).session();
        assertFalse(future.authTime().isAfter(java.time.Instant.now()), "a time ahead of the clock counts as now: " + future.authTime());

        when.set(t1);
        Map<String, List<String>> form = new HashMap<>(params);
        form.put("decision", List.of("allow"));
        form.put("csrf_token", List.of(again.csrfToken()));
        Step.Redirect r = assertInstanceOf(Step.Redirect.class, f.decide(form, "consent", authorizer.sessions().seal(again), ADDRESS,
                PATH, List.of()));
        String code = r.location().replaceAll(".*[?&]code=([^&]+).*", "$1");
        var stored = server.storage().authorizationCodes().consume(dev.oauthlet.crypto.Hashes.sha256(code)).orElseThrow().code();
        assertEquals(t1.getEpochSecond(), stored.authTime().getEpochSecond());
    }

    @Test
    void decideWhenApplicationSignedUserInThenNewSessionForThemAndTheRequestAgain() {
        BrowserSession s = handedOver("carol");
        assertEquals("carol", s.user().subject());
        Step.ShowConsent consent = assertInstanceOf(Step.ShowConsent.class, decide(null, s));
        assertEquals(s.csrfToken(), consent.session().csrfToken());
    }

    @Test
    void decideWhenApplicationUserDiffersFromSessionThenNewSessionWithNewCsrfToken() {
        BrowserSession carol = handedOver("carol");
        appUser.set("dave");
        Step.SignedIn in = assertInstanceOf(Step.SignedIn.class, decide(null, carol));
        assertEquals("dave", in.session().user().subject());
        assertNotEquals(carol.csrfToken(), in.session().csrfToken());
        assertNotEquals(carol.id(), in.session().id());
    }

    @Test
    void consentWhenApplicationUserChangedSinceThePageThenNoCode() {
        BrowserSession carol = handedOver("carol");
        appUser.set("dave");
        Step step = decide("consent", carol, "decision", "allow", "csrf_token", carol.csrfToken());
        assertEquals("dave", assertInstanceOf(Step.SignedIn.class, step).session().user().subject());
        appUser.set(null);
        assertEquals("/app/login", assertInstanceOf(Step.Redirect.class,
                decide("consent", carol, "decision", "allow", "csrf_token", carol.csrfToken())).location());
    }

    @Test
    void consentWhenSecondFactorNotPassedThenItsPageAndNoCode() {
        BrowserSession carol = handedOver("carol");
        factor.set(SecondFactor.sendTo("/app/otp"));
        assertEquals("/app/otp", assertInstanceOf(Step.Redirect.class, decide(null, carol)).location());
        assertEquals("/app/otp", assertInstanceOf(Step.Redirect.class,
                decide("consent", carol, "decision", "allow", "csrf_token", carol.csrfToken())).location());
        factor.set(SecondFactor.passed());
        Map<String, String> q = AuthorizerTest.query(assertInstanceOf(Step.Redirect.class,
                decide("consent", carol, "decision", "allow", "csrf_token", carol.csrfToken())).location());
        assertNotNull(q.get("code"));
    }

    @Test
    void consentWhenSecondFactorDeniedThenAccessDeniedAtTheClient() {
        BrowserSession carol = handedOver("carol");
        factor.set(SecondFactor.denied("three wrong codes"));
        Map<String, String> q = AuthorizerTest.query(assertInstanceOf(Step.Redirect.class, decide(null, carol)).location());
        assertEquals("access_denied", q.get("error"));
        assertNull(q.get("code"));
    }

    @Test
    void decideWhenApplicationDeniesThenAccessDeniedAtTheClient() {
        appUser.set("mallory");
        Map<String, String> q = AuthorizerTest.query(assertInstanceOf(Step.Redirect.class, decide(null, null)).location());
        assertEquals("access_denied", q.get("error"));
        assertEquals("af0ifjsldkj", q.get("state"));
    }

    @Test
    void loginWhenHostLoginThenOauthletPasswordFormRefused() {
        BrowserSession anonymous = authorizer.anonymousSession();
        Step.ErrorPage e = assertInstanceOf(Step.ErrorPage.class, decide("login", anonymous, "username", "alice", "password",
                "alice-password", "csrf_token", anonymous.csrfToken()));
        assertEquals(ErrorCode.INVALID_REQUEST, e.error().error());
    }

    @Test
    void switchAccountWhenCsrfTokenRightThenApplicationAskedToSwitchElseNot() {
        BrowserSession carol = handedOver("carol");
        assertInstanceOf(Step.ShowConsent.class, decide("switch-account", carol, "csrf_token", "forged"));
        assertEquals("carol", appUser.get(), "a forged post signs nobody out");
        assertEquals("/app/logout", assertInstanceOf(Step.Redirect.class,
                decide("switch-account", carol, "csrf_token", carol.csrfToken())).location());
        assertTrue(seen.get().switchAccount());
        assertNull(appUser.get());
    }

    private static dev.oauthlet.config.OauthletConfig withHostLogin(String mode) {
        return TestConfigs.load(TestConfigs.AUTHORIZATION_CODE.replace("authorization:\n", "authorization:\n  host-login: " + mode + "\n"));
    }

    @Test
    void buildWhenHostLoginApplicationAndNoneGivenOrFoundThenStartRefusedNamingBothWays() {
        ConfigException e = assertThrows(ConfigException.class, () -> Oauthlet.builder().config(withHostLogin("application")).build());
        assertTrue(e.getMessage().contains("Oauthlet.builder().hostLogin(...)")
                && e.getMessage().contains("META-INF/services/dev.oauthlet.authorize.HostLogin"), e.getMessage());
    }

    @Test
    void buildWhenHostLoginContainerAndBuilderHostLoginBothThenStartRefused() {
        ConfigException e = assertThrows(ConfigException.class, () -> Oauthlet.builder().config(withHostLogin("container")).hostLogin(host).build());
        assertTrue(e.getMessage().contains("authorization.host-login: 'container'"), e.getMessage());
        try (Oauthlet given = Oauthlet.builder().config(TestConfigs.load(TestConfigs.AUTHORIZATION_CODE)).hostLogin(host).build()) {
            assertEquals(host, given.authorizer().hostLogin().orElseThrow());
            assertTrue(given.authorizer().secondFactor().isEmpty());
        }
    }
}
