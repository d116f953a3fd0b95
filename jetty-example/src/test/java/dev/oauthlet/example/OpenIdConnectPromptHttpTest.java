package dev.oauthlet.example;

import static dev.oauthlet.example.BrowserlessClient.header;
import static dev.oauthlet.example.BrowserlessClient.query;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The OpenID Connect parameters of the authorization request over real HTTP: {@code prompt}
 * ({@code none}, {@code login}, {@code consent}, {@code select_account}), {@code max_age},
 * {@code login_hint}, {@code id_token_hint}, and their refusals.
 */
class OpenIdConnectPromptHttpTest {

    static final String CALLBACK = OpenIdConnectHttpTest.CALLBACK;

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

    private static String authorize(Map<String, String> extra) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("client_id", "rp-app");
        p.put("response_type", "code");
        p.put("redirect_uri", CALLBACK);
        p.put("scope", "openid email");
        p.put("state", "s-p");
        p.put("nonce", "n-p");
        p.put("code_challenge", dev.oauthlet.protocol.Pkce.s256(OpenIdConnectHttpTest.VERIFIER));
        p.put("code_challenge_method", "S256");
        p.putAll(extra);
        return "/oauth/authorize?" + BrowserlessClient.encode(p);
    }

    /** Submits the login page; follows the Post/Redirect/Get and, when asked, consents. Returns the redirect to the callback. */
    private HttpResponse<String> signInFrom(HttpResponse<String> login, String user) throws Exception {
        assertEquals(200, login.statusCode(), login.body());
        HttpResponse<String> next = browser.submit(login, "/oauth/authorize",
                Map.of("action", "login", "username", user, "password", user + "-password"));
        assertEquals(303, next.statusCode(), next.body());
        HttpResponse<String> page = browser.get(header(next, "Location"));
        return page.statusCode() == 302 ? page : browser.submit(page, "/oauth/authorize", Map.of("action", "consent", "decision", "allow"));
    }

    private JsonNode idTokenClaims(HttpResponse<String> back) {
        String code = query(header(back, "Location")).get("code");
        assertNotNull(code, header(back, "Location"));
        Http.Response t = Http.postForm(server.url() + "/oauth/token", Http.basic("rp-app", "rp-secret"), Http.form(
                "grant_type", "authorization_code", "code", code, "redirect_uri", CALLBACK, "code_verifier", OpenIdConnectHttpTest.VERIFIER));
        assertEquals(200, t.status(), t.body());
        String payload = t.json().get("id_token").asText().split("\\.")[1];
        return ExampleFixtures.json(new String(Base64.getUrlDecoder().decode(payload), java.nio.charset.StandardCharsets.UTF_8));
    }

    private Map<String, String> redirectQuery(HttpResponse<String> r) {
        assertEquals(302, r.statusCode(), r.body());
        assertTrue(header(r, "Location").startsWith(CALLBACK + "?"), header(r, "Location"));
        return query(header(r, "Location"));
    }

    @Test
    void promptNoneWhenNotSignedInThenLoginRequiredWithState() throws Exception {
        Map<String, String> q = redirectQuery(browser.get(authorize(Map.of("prompt", "none"))));
        assertEquals("login_required", q.get("error"));
        assertEquals("s-p", q.get("state"));
        assertEquals(server.oauthlet().issuer(), q.get("iss"));
    }

    @Test
    void promptNoneWhenSignedInAndConsentedThenACodeWithoutAnyPage() throws Exception {
        JsonNode first = idTokenClaims(signInFrom(browser.get(authorize(Map.of())), "alice"));
        HttpResponse<String> silent = browser.get(authorize(Map.of("prompt", "none")));
        JsonNode again = idTokenClaims(silent);
        assertEquals(first.get("auth_time").asLong(), again.get("auth_time").asLong(), "prompt=none keeps the original sign-in's auth_time");
    }

    @Test
    void promptNoneWhenSignedInButConsentMissingThenConsentRequired() throws Exception {
        idTokenClaims(signInFrom(browser.get(authorize(Map.of())), "alice"));
        Map<String, String> q = redirectQuery(browser.get(authorize(Map.of("prompt", "none", "scope", "openid profile"))));
        assertEquals("consent_required", q.get("error"));
    }

    @Test
    void promptNoneWhenCombinedWithAnotherValueOrUnknownValueThenInvalidRequest() throws Exception {
        assertEquals("invalid_request", redirectQuery(browser.get(authorize(Map.of("prompt", "none login")))).get("error"));
        assertEquals("invalid_request", redirectQuery(browser.get(authorize(Map.of("prompt", "create")))).get("error"));
        assertEquals("invalid_request", redirectQuery(browser.get(authorize(Map.of("max_age", "-1")))).get("error"));
    }

    @Test
    void promptLoginWhenSignedInThenTheLoginPageAgainAndANewAuthTime() throws Exception {
        JsonNode first = idTokenClaims(signInFrom(browser.get(authorize(Map.of())), "alice"));
        Thread.sleep(1100);
        HttpResponse<String> login = browser.get(authorize(Map.of("prompt", "login")));
        assertTrue(login.body().contains("<label for=\"password\">"), "signed in, but asked to sign in again");
        JsonNode again = idTokenClaims(signInFrom(login, "alice"));
        assertTrue(again.get("auth_time").asLong() > first.get("auth_time").asLong(), again.toString());
    }

    @Test
    void promptConsentWhenAlreadyConsentedThenTheConsentPageAgain() throws Exception {
        idTokenClaims(signInFrom(browser.get(authorize(Map.of())), "alice"));
        HttpResponse<String> page = browser.get(authorize(Map.of("prompt", "consent")));
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("value=\"allow\""), page.body());
    }

    @Test
    void maxAgeWhenTheSignInIsOlderThenSignInAgainAndWhenRecentThenNot() throws Exception {
        idTokenClaims(signInFrom(browser.get(authorize(Map.of())), "alice"));
        assertEquals(302, browser.get(authorize(Map.of("max_age", "3600"))).statusCode(), "an hour-old limit: still signed in");
        Thread.sleep(2100);
        HttpResponse<String> login = browser.get(authorize(Map.of("max_age", "1")));
        assertEquals(200, login.statusCode());
        assertTrue(login.body().contains("<label for=\"password\">"));
        JsonNode claims = idTokenClaims(signInFrom(login, "alice"));
        assertTrue(claims.has("auth_time"));
        assertEquals("login_required", redirectQuery(browser.get(authorize(Map.of("max_age", "0", "prompt", "none")))).get("error"),
                "max_age=0 with prompt=none: a sign-in is always needed");
    }

    @Test
    void loginHintWhenGivenThenTheUsernameIsFilledIn() throws Exception {
        HttpResponse<String> login = browser.get(authorize(Map.of("login_hint", "alice")));
        assertTrue(login.body().matches("(?s).*<input id=\"username\"[^>]* value=\"alice\".*"), login.body());
    }

    @Test
    void idTokenHintWhenItNamesAnotherUserThenSignInAgainAndWithPromptNoneLoginRequired() throws Exception {
        BrowserlessClient bobsBrowser = browser;
        String bobsIdToken = rawIdToken(signInFrom(browser.get(authorize(Map.of())), "bob"));
        browser = new BrowserlessClient(server.url());
        idTokenClaims(signInFrom(browser.get(authorize(Map.of())), "alice"));
        assertEquals("login_required", redirectQuery(browser.get(authorize(Map.of("prompt", "none", "id_token_hint", bobsIdToken))))
                .get("error"));
        assertEquals(302, bobsBrowser.get(authorize(Map.of("prompt", "none", "id_token_hint", bobsIdToken))).statusCode(),
                "bob's own browser: silently");
        assertEquals("invalid_request", redirectQuery(browser.get(authorize(Map.of("id_token_hint", "not.a.token")))).get("error"));
    }

    private String rawIdToken(HttpResponse<String> back) {
        String code = query(header(back, "Location")).get("code");
        Http.Response t = Http.postForm(server.url() + "/oauth/token", Http.basic("rp-app", "rp-secret"), Http.form(
                "grant_type", "authorization_code", "code", code, "redirect_uri", CALLBACK, "code_verifier", OpenIdConnectHttpTest.VERIFIER));
        return t.json().get("id_token").asText();
    }

    @Test
    void selectAccountWhenSignedInThenAnotherUserMaySignIn() throws Exception {
        idTokenClaims(signInFrom(browser.get(authorize(Map.of())), "alice"));
        HttpResponse<String> login = browser.get(authorize(Map.of("prompt", "select_account")));
        assertTrue(login.body().contains("<label for=\"password\">"), login.body());
        assertEquals("bob", idTokenClaims(signInFrom(login, "bob")).get("sub").asText());
    }
}
