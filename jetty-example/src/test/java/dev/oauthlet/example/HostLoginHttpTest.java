package dev.oauthlet.example;

import static dev.oauthlet.example.BrowserlessClient.header;
import static dev.oauthlet.example.BrowserlessClient.query;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sign-in handed over by the host application through a {@link dev.oauthlet.authorize.HostLogin}
 * callback, and its one-time password through a {@link dev.oauthlet.authorize.SecondFactor}, over
 * real HTTP against {@link ShopApplication}: Oauthlet never shows its login page, asks for consent
 * only after the second factor, and issues no code to a form replayed past either (the replay past
 * the second factor is {@code AdvisoryRegressionTest.HostApplicationLogin}'s).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostLoginHttpTest {

    static final String CALLBACK = AuthorizationEndpointHttpTest.CALLBACK;

    private ShopApplication shop;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("oauthlet.yml");
        Files.writeString(config, ShopApplication.config(dir), StandardCharsets.UTF_8);
        shop = ShopApplication.start(config);
    }

    @AfterAll
    void stop() throws Exception {
        if (shop != null) {
            shop.close();
        }
    }

    @Test
    void totpWhenRfc6238TestVectorThenItsCode() {
        // RFC 6238 Appendix B, SHA-1, T = 59 s: 94287082 (eight digits).
        assertEquals("94287082", ShopApplication.totp(ShopApplication.OTP_SECRETS.get("dana"), 59 / 30, 8));
    }

    @Test
    void authorizeWhenApplicationSignsInAndOtpPassedThenConsentCodeAndTokenForApplicationUser() throws Exception {
        BrowserlessClient browser = new BrowserlessClient(shop.url);
        HttpResponse<String> consent = signInWithOtp(browser, "dana");
        assertEquals(200, consent.statusCode(), consent.body());
        assertTrue(consent.body().contains("Signed in as <strong>dana</strong>"), consent.body());
        assertFalse(consent.body().contains("name=\"password\""), "Oauthlet shows no login page");

        HttpResponse<String> allowed = browser.submit(consent, "/oauth/authorize", Map.of("action", "consent", "decision", "allow"));
        assertEquals(303, allowed.statusCode());
        Map<String, String> q = query(header(allowed, "Location"));
        assertEquals("s-123", q.get("state"));
        HttpResponse<String> token = exchange(q.get("code"));
        assertEquals(200, token.statusCode(), token.body());
        assertTrue(payload(token.body()).contains("\"sub\":\"dana\""), token.body());
    }

    @Test
    void authorizeWhenNotSignedInToApplicationThenSentToItsLoginPageAndNoOauthletSession() throws Exception {
        BrowserlessClient browser = new BrowserlessClient(shop.url);
        HttpResponse<String> r = browser.get(AuthorizationEndpointHttpTest.authorize());
        assertEquals(302, r.statusCode());
        String location = header(r, "Location");
        assertTrue(location.startsWith("/shop/login?return="), location);
        String back = query("http://x" + location).get("return");
        assertTrue(back.startsWith("/oauth/authorize?") && back.contains("state=s-123"), back);
        assertNull(browser.session(), "no Oauthlet session before the application signed anyone in");
    }

    @Test
    void loginActionWhenHostLoginOnThenOauthletPasswordCheckRefusedAndNobodySignedIn() throws Exception {
        BrowserlessClient browser = new BrowserlessClient(shop.url);
        Map<String, String> form = new java.util.LinkedHashMap<>(query("http://x" + AuthorizationEndpointHttpTest.authorize()));
        form.putAll(Map.of("action", "login", "username", "alice", "password", "alice-password"));
        HttpResponse<String> r = browser.post("/oauth/authorize", form);
        assertEquals(400, r.statusCode(), r.body());
        assertNull(browser.session());
        assertTrue(header(browser.get(AuthorizationEndpointHttpTest.authorize()), "Location").startsWith("/shop/login"));
    }

    @Test
    void consentWhenApplicationUserChangedThenOldFormIssuesNoCodeAndConsentIsAskedOfTheNewUser() throws Exception {
        BrowserlessClient browser = new BrowserlessClient(shop.url);
        HttpResponse<String> guss = signInWithOtp(browser, "gus");
        HttpResponse<String> erins = signInWithOtp(browser, "erin");
        assertTrue(erins.body().contains("Signed in as <strong>erin</strong>"), erins.body());

        HttpResponse<String> replay = browser.submit(guss, "/oauth/authorize", Map.of("action", "consent", "decision", "allow"));
        assertFalse(String.valueOf(header(replay, "Location")).contains("code="), replay.statusCode() + " " + header(replay, "Location"));
        HttpResponse<String> allowed = browser.submit(erins, "/oauth/authorize", Map.of("action", "consent", "decision", "allow"));
        assertTrue(payload(exchange(query(header(allowed, "Location")).get("code")).body()).contains("\"sub\":\"erin\""));
    }

    @Test
    void switchAccountWhenApplicationUserThenApplicationSignsOutAndAsksForLoginAgain() throws Exception {
        BrowserlessClient browser = new BrowserlessClient(shop.url);
        HttpResponse<String> consent = signInWithOtp(browser, "fay");
        HttpResponse<String> switched = browser.submit(consent, "/oauth/authorize", Map.of("action", "switch-account"));
        assertEquals(303, switched.statusCode());
        assertTrue(header(switched, "Location").startsWith("/shop/login?return="), header(switched, "Location"));
        assertTrue(header(browser.get(AuthorizationEndpointHttpTest.authorize()), "Location").startsWith("/shop/login"),
                "the application's session is gone");
    }

    @Test
    void authorizeWhenApplicationDeniesTheUserThenAccessDeniedAtTheClient() throws Exception {
        BrowserlessClient browser = new BrowserlessClient(shop.url);
        assertEquals(303, browser.post("/shop/login", Map.of("user", "mallory", "password", "mallory-password")).statusCode());
        HttpResponse<String> r = browser.get(AuthorizationEndpointHttpTest.authorize());
        assertEquals(302, r.statusCode());
        Map<String, String> q = query(header(r, "Location"));
        assertTrue(header(r, "Location").startsWith(CALLBACK + "?"), header(r, "Location"));
        assertEquals("access_denied", q.get("error"));
        assertNull(q.get("code"));
    }

    /** An OpenID Connect request of partner-app, with {@code changes} to its parameters. */
    static String openId(Map<String, String> changes) {
        Map<String, String> p = new java.util.LinkedHashMap<>(Map.of("scope", "openid email orders:read", "nonce", "n-shop"));
        p.putAll(changes);
        return AuthorizationEndpointHttpTest.authorize(p);
    }

    @Test
    void authorizeWhenPromptNoneAndNobodySignedInToTheApplicationThenLoginRequiredAtTheClientNeverItsLoginPage() throws Exception {
        BrowserlessClient browser = new BrowserlessClient(shop.url);
        HttpResponse<String> r = browser.get(openId(Map.of("prompt", "none")));
        assertEquals(302, r.statusCode());
        String location = header(r, "Location");
        assertTrue(location.startsWith(CALLBACK + "?"), "to the client, not to /shop/login: " + location);
        assertEquals("login_required", query(location).get("error"));
        assertEquals("s-123", query(location).get("state"));
        assertNull(query(location).get("code"));
        assertNull(browser.session());
    }

    @Test
    void authorizeWhenPromptNoneAndTheSecondFactorIsNotPassedThenLoginRequiredAndNoOtpPage() throws Exception {
        BrowserlessClient browser = new BrowserlessClient(shop.url);
        assertEquals(303, browser.post("/shop/login", Map.of("user", "ivan", "password", "ivan-password")).statusCode());
        String silent = openId(Map.of("prompt", "none"));
        HttpResponse<String> r = browser.get(silent);
        for (int i = 0; i < 3 && r.statusCode() == 303 && header(r, "Location").startsWith("/oauth/authorize?"); i++) {
            r = browser.get(header(r, "Location"));    // Oauthlet's session for the application's user, then the request again
        }
        String location = header(r, "Location");
        assertTrue(location.startsWith(CALLBACK + "?"), "to the client, not to /shop/otp: " + location);
        assertEquals("login_required", query(location).get("error"));
    }

    @Test
    void idTokenWhenApplicationPasswordAndOtpThenAmrPwdOtpMfaAcr2AndTheRefreshedOneKeepsThemFromTheStore() throws Exception {
        BrowserlessClient browser = new BrowserlessClient(shop.url);
        String authorize = openId(Map.of());
        HttpResponse<String> consent = signInWithOtp(browser, "hana", authorize);
        HttpResponse<String> allowed = browser.submit(consent, "/oauth/authorize", Map.of("action", "consent", "decision", "allow"));
        HttpResponse<String> token = exchange(query(header(allowed, "Location")).get("code"));
        assertEquals(200, token.statusCode(), token.body());
        com.fasterxml.jackson.databind.JsonNode tokens = ExampleFixtures.json(token.body());
        com.fasterxml.jackson.databind.JsonNode id = claims(tokens.get("id_token").asText());
        assertEquals("hana", id.get("sub").asText());
        assertEquals("[\"pwd\",\"otp\",\"mfa\"]", id.get("amr").toString());
        assertEquals("2", id.get("acr").asText());
        assertEquals("n-shop", id.get("nonce").asText());

        HttpResponse<String> refreshed = post("/oauth/token", "grant_type=refresh_token&refresh_token="
                + tokens.get("refresh_token").asText() + "&client_id=partner-app&client_secret=partner-secret", null);
        assertEquals(200, refreshed.statusCode(), refreshed.body());
        com.fasterxml.jackson.databind.JsonNode again = claims(ExampleFixtures.json(refreshed.body()).get("id_token").asText());
        assertEquals(id.get("amr"), again.get("amr"), "kept with the refresh family in the H2 file");
        assertEquals(id.get("acr"), again.get("acr"));
        assertEquals(id.get("auth_time"), again.get("auth_time"));
        assertNull(again.get("nonce"));

        // The application's UserInfoSource answers for its own user, by scope.
        HttpResponse<String> me = post("/oauth/userinfo", "", "Bearer " + tokens.get("access_token").asText());
        assertEquals(200, me.statusCode(), me.body());
        assertEquals(ExampleFixtures.json("{\"sub\":\"hana\",\"email\":\"hana@shop.example\",\"email_verified\":true}"),
                ExampleFixtures.json(me.body()));
    }

    @Test
    void userinfoWhenTheSourceDoesNotKnowTheUserOrTheScopeReleasesNothingThenSubAlone() throws Exception {
        BrowserlessClient browser = new BrowserlessClient(shop.url);
        // gus has no email in the application's records, and this grant has no email scope anyway.
        HttpResponse<String> consent = signInWithOtp(browser, "gus", openId(Map.of("scope", "openid orders:read")));
        HttpResponse<String> allowed = browser.submit(consent, "/oauth/authorize", Map.of("action", "consent", "decision", "allow"));
        String access = ExampleFixtures.json(exchange(query(header(allowed, "Location")).get("code")).body()).get("access_token").asText();
        HttpResponse<String> me = post("/oauth/userinfo", "", "Bearer " + access);
        assertEquals(ExampleFixtures.json("{\"sub\":\"gus\"}"), ExampleFixtures.json(me.body()));
    }

    @Test
    void authorizeWhenHostLoginApplicationThenTheServiceLoadersHostLoginDecides() throws Exception {
        try (JettyExample.Running example = JettyExample.createServer(ExampleConfigs.authorizationCode(CALLBACK,
                "authorization:\n  host-login: application\n"), 0)) {
            HttpResponse<String> r = new BrowserlessClient(example.url()).get(AuthorizationEndpointHttpTest.authorize());
            assertEquals(302, r.statusCode());
            assertTrue(header(r, "Location").startsWith("/discovered-login?return=%2Foauth%2Fauthorize%3F"), header(r, "Location"));
        }
    }

    @Test
    void readmeWhenReadThenShowsTheHostLoginWiringThisTestRuns() throws Exception {
        Path module = Path.of(System.getProperty("basedir", "."));
        String source = Files.readString(module.resolve("src/test/java/dev/oauthlet/example/ShopApplication.java"));
        Matcher m = Pattern.compile("// README-BEGIN host-login\n(.*?)\n\\s*// README-END host-login", Pattern.DOTALL).matcher(source);
        assertTrue(m.find());
        String readme = Files.readString(module.resolve("../README.md"));
        assertTrue(readme.contains("```java\n" + m.group(1).stripIndent() + "\n```"), "README.md shows ShopApplication's wiring exactly");
    }

    /** The application's login, Oauthlet's hand-over, the one-time password; returns the consent page. */
    static HttpResponse<String> signInWithOtp(BrowserlessClient browser, String user) throws Exception {
        return signInWithOtp(browser, user, AuthorizationEndpointHttpTest.authorize());
    }

    /** As above, for the authorization request {@code authorize}. */
    static HttpResponse<String> signInWithOtp(BrowserlessClient browser, String user, String authorize) throws Exception {
        HttpResponse<String> toLogin = browser.get(authorize);
        String login = header(toLogin, "Location");
        if (login != null && login.startsWith("/shop/login")) {
            HttpResponse<String> signedIn = browser.post(login, Map.of("user", user, "password", ShopApplication.PASSWORDS.get(user)));
            assertTrue(header(signedIn, "Location").startsWith("/oauth/authorize?"), header(signedIn, "Location"));
        } else {
            // Someone else is signed in at the application: sign in there anew.
            browser.post("/shop/login?return=" + java.net.URLEncoder.encode(authorize, StandardCharsets.UTF_8),
                    Map.of("user", user, "password", ShopApplication.PASSWORDS.get(user)));
        }
        HttpResponse<String> r = browser.get(authorize);
        for (int i = 0; i < 3 && r.statusCode() == 303 && header(r, "Location").startsWith("/oauth/authorize?"); i++) {
            r = browser.get(authorize);        // Oauthlet's session for the application's user, then the request again
        }
        String otp = header(r, "Location");
        assertTrue(otp != null && otp.startsWith("/shop/otp?return="), r.statusCode() + " " + otp);
        String code = ShopApplication.totp(ShopApplication.OTP_SECRETS.get(user), System.currentTimeMillis() / 1000 / 30, 6);
        assertTrue(header(browser.post(otp, Map.of("code", code)), "Location").startsWith("/oauth/authorize?"));
        return browser.get(authorize);
    }

    private HttpResponse<String> post(String path, String form, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(shop.url + path)).header("Content-Type", "application/x-www-form-urlencoded");
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b.POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static com.fasterxml.jackson.databind.JsonNode claims(String jwt) {
        return ExampleFixtures.json(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8));
    }

    private HttpResponse<String> exchange(String code) throws Exception {
        String body = "grant_type=authorization_code&code=" + code + "&redirect_uri=" + java.net.URLEncoder.encode(CALLBACK, StandardCharsets.UTF_8)
                + "&code_verifier=" + AuthorizationEndpointHttpTest.VERIFIER + "&client_id=partner-app&client_secret=partner-secret";
        return http.send(HttpRequest.newBuilder(URI.create(shop.url + "/oauth/token")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String payload(String tokenResponse) {
        Matcher m = Pattern.compile("\"access_token\":\"([^\"]+)\"").matcher(tokenResponse);
        assertTrue(m.find(), tokenResponse);
        return new String(Base64.getUrlDecoder().decode(m.group(1).split("\\.")[1]), StandardCharsets.UTF_8);
    }
}
