package dev.oauthlet.example;

import static dev.oauthlet.example.BrowserlessClient.header;
import static dev.oauthlet.example.BrowserlessClient.query;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oauthlet.token.IdTokens;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * OpenID Connect RP-Initiated Logout 1.0 at {@code /oauth/logout} over real HTTP: the hint, the
 * registered post-logout URI with {@code state}, the confirmation page, and every refusal — an
 * unregistered or case-changed URI, another client's URI, another issuer's hint — none of which redirects.
 */
class RpInitiatedLogoutHttpTest {

    static final String CALLBACK = OpenIdConnectHttpTest.CALLBACK;
    static final String SIGNED_OUT = CALLBACK + "/signed-out";
    private static final Pattern FORM_ACTION = Pattern.compile("<form method=\"post\" action=\"([^\"]+)\"");

    private JettyExample.Running server;
    private BrowserlessClient browser;

    @BeforeEach
    void start() throws Exception {
        server = JettyExample.createServer(ExampleConfigs.openIdConnect(CALLBACK, "ES256", ""), 0);
        browser = new BrowserlessClient(server.url());
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    /** Signs {@code user} in at rp-app with the browser, and returns the ID token rp-app gets. */
    private String signIn(BrowserlessClient b, String user) throws Exception {
        HttpResponse<String> login = b.get(OpenIdConnectHttpTest.authorize("rp-app", "openid", "n-" + user));
        HttpResponse<String> signedIn = b.submit(login, "/oauth/authorize",
                Map.of("action", "login", "username", user, "password", user + "-password"));
        HttpResponse<String> consent = b.get(header(signedIn, "Location"));
        HttpResponse<String> back = consent.statusCode() == 302 ? consent
                : b.submit(consent, "/oauth/authorize", Map.of("action", "consent", "decision", "allow"));
        String code = query(header(back, "Location")).get("code");
        Http.Response t = Http.postForm(server.url() + "/oauth/token", Http.basic("rp-app", "rp-secret"), Http.form(
                "grant_type", "authorization_code", "code", code, "redirect_uri", CALLBACK, "code_verifier", OpenIdConnectHttpTest.VERIFIER));
        assertEquals(200, t.status(), t.body());
        return t.json().get("id_token").asText();
    }

    private static String logout(String hint, String uri, String state) {
        Map<String, String> p = new LinkedHashMap<>();
        if (hint != null) {
            p.put("id_token_hint", hint);
        }
        if (uri != null) {
            p.put("post_logout_redirect_uri", uri);
        }
        if (state != null) {
            p.put("state", state);
        }
        return "/oauth/logout" + (p.isEmpty() ? "" : "?" + BrowserlessClient.encode(p));
    }

    private boolean signedIn(BrowserlessClient b) throws Exception {
        HttpResponse<String> r = b.get(OpenIdConnectHttpTest.authorize("rp-app", "openid", "n-check"));
        return r.statusCode() == 302;
    }

    private static void assertRefusedWithoutRedirect(HttpResponse<String> r, String message) {
        assertEquals(400, r.statusCode(), r.body());
        assertNull(header(r, "Location"));
        assertTrue(r.body().contains(message), r.body());
    }

    @Test
    void logoutWhenHintNamesTheSignedInUserThenSignedOutAndSentBackWithState() throws Exception {
        String idToken = signIn(browser, "alice");
        assertTrue(signedIn(browser));

        HttpResponse<String> r = browser.get(logout(idToken, SIGNED_OUT, "st/1 2"));

        assertEquals(303, r.statusCode(), r.body());
        assertEquals(SIGNED_OUT + "?state=st%2F1+2", header(r, "Location"));
        assertEquals("st/1 2", query(header(r, "Location")).get("state"));
        assertTrue(header(r, "Set-Cookie").contains("Max-Age=0"), header(r, "Set-Cookie"));
        assertTrue(!signedIn(browser), "the session ended");
    }

    @Test
    void logoutWhenHintExpiredThenStillAccepted() throws Exception {
        String idToken = signIn(browser, "alice");
        IdTokens.Hint hint = server.oauthlet().idTokens().readHint(idToken).orElseThrow();
        String expired = server.oauthlet().idTokens().sign(new IdTokens.Request("rp-app", hint.subject(), hint.authTime(), null, null,
                Duration.ofMinutes(-10)));

        HttpResponse<String> r = browser.get(logout(expired, SIGNED_OUT, "s"));

        assertEquals(303, r.statusCode(), r.body());
        assertEquals(SIGNED_OUT + "?state=s", header(r, "Location"));
    }

    @Test
    void logoutWhenPostLogoutUriIsNotRegisteredOrCaseChangedOrAnotherClientsThenErrorPageAndNoRedirect() throws Exception {
        String idToken = signIn(browser, "alice");
        for (String uri : new String[] {CALLBACK + "/elsewhere", "HTTP://127.0.0.1:9/callback/signed-out", CALLBACK + "/Signed-out",
                SIGNED_OUT + "/", SIGNED_OUT + "?x=1", "https://evil.example/signed-out", CALLBACK + "/bye"}) {
            assertRefusedWithoutRedirect(browser.get(logout(idToken, uri, "s")), "post_logout_redirect_uri is not registered");
        }
        assertTrue(signedIn(browser), "a refused request signs nobody out");
    }

    @Test
    void logoutWhenHintIsAnotherIssuersThenRefused() throws Exception {
        signIn(browser, "alice");
        // Signed with this server's own key, but naming another issuer.
        IdTokens foreign = new IdTokens("https://evil.example", server.oauthlet().idTokens().keys(), Clock.systemUTC());
        String hint = foreign.sign(new IdTokens.Request("rp-app", "u-1001", Instant.now(), null, null, Duration.ofMinutes(5)));
        assertRefusedWithoutRedirect(browser.get(logout(hint, SIGNED_OUT, "s")), "id_token_hint is not an ID token this server issued");
        assertRefusedWithoutRedirect(browser.get(logout("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ1LTEwMDEifQ.", SIGNED_OUT, "s")),
                "id_token_hint is not an ID token this server issued");
        assertTrue(signedIn(browser));
    }

    @Test
    void logoutWhenUriWithoutHintThenRefused() throws Exception {
        signIn(browser, "alice");
        assertRefusedWithoutRedirect(browser.get(logout(null, SIGNED_OUT, "s")), "post_logout_redirect_uri needs an id_token_hint");
    }

    @Test
    void logoutWhenNoHintThenTheUserConfirmsOnThePage() throws Exception {
        signIn(browser, "alice");
        HttpResponse<String> page = browser.get(logout(null, null, null));
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("as <strong>u-1001</strong>"), page.body());
        assertTrue(signedIn(browser), "a GET alone signs nobody out");

        HttpResponse<String> out = browser.submit(page, "/oauth/logout", Map.of());
        assertEquals(200, out.statusCode());
        assertTrue(out.body().contains("You are signed out"));
        assertTrue(!signedIn(browser));
    }

    @Test
    void logoutWhenHintNamesAnotherUserThenConfirmationCarriesTheRequestAndThenRedirects() throws Exception {
        String bobsToken = signIn(new BrowserlessClient(server.url()), "bob");
        signIn(browser, "alice");

        HttpResponse<String> page = browser.get(logout(bobsToken, SIGNED_OUT, "s-9"));
        assertEquals(200, page.statusCode(), "alice is asked: the hint is bob's");
        Matcher m = FORM_ACTION.matcher(page.body());
        assertTrue(m.find(), page.body());
        String action = BrowserlessClient.unescape(m.group(1));
        assertTrue(action.startsWith("/oauth/logout?id_token_hint="), action);

        HttpResponse<String> out = browser.submit(page, action, Map.of());
        assertEquals(303, out.statusCode(), out.body());
        assertEquals(SIGNED_OUT + "?state=s-9", header(out, "Location"));
        assertTrue(!signedIn(browser));
    }

    @Test
    void logoutWhenNotSignedInAndHintValidThenSentBackAtOnce() throws Exception {
        String idToken = signIn(new BrowserlessClient(server.url()), "alice");
        HttpResponse<String> r = new BrowserlessClient(server.url()).get(logout(idToken, SIGNED_OUT, null));
        assertEquals(303, r.statusCode());
        assertEquals(SIGNED_OUT, header(r, "Location"));
    }

    @Test
    void logoutWhenCrossSitePostWithoutCsrfThenForbiddenAndStillSignedIn() throws Exception {
        signIn(browser, "alice");
        HttpResponse<String> r = browser.post("/oauth/logout", Map.of("post_logout_redirect_uri", SIGNED_OUT));
        assertTrue(r.statusCode() == 400 || r.statusCode() == 403, r.statusCode() + " " + r.body());
        assertNull(header(r, "Location"));
        assertTrue(signedIn(browser));
    }
}
