package dev.oauthlet.example;

import static dev.oauthlet.example.BrowserlessClient.header;
import static dev.oauthlet.example.BrowserlessClient.query;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oauthlet.config.OauthletConfig;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The authorization endpoint over real HTTP on Jetty: every page, redirect and refusal, without a browser. */
class AuthorizationEndpointHttpTest {

    static final String CALLBACK = "http://127.0.0.1:9/callback";
    static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    static final String CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
    private static final ObjectMapper JSON = new ObjectMapper();

    private JettyExample.Running server;
    private BrowserlessClient browser;
    private final HttpClient http = HttpClient.newHttpClient();

    private void start(String extraYaml) throws Exception {
        OauthletConfig config = ExampleConfigs.authorizationCode(CALLBACK, "authorization:\n  login-failure-delay: 0s\n"
                + "  login-max-failures-per-user: 3\n" + extraYaml);
        server = JettyExample.createServer(config, 0);
        browser = new BrowserlessClient(server.url());
    }

    private void start() throws Exception {
        start("");
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    /** An authorization request of partner-app with {@code changes} (a null value removes the parameter). */
    static String authorize(Map<String, String> changes) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("client_id", "partner-app");
        p.put("response_type", "code");
        p.put("redirect_uri", CALLBACK);
        p.put("scope", "orders:read orders:write");
        p.put("state", "s-123");
        p.put("code_challenge", CHALLENGE);
        p.put("code_challenge_method", "S256");
        p.putAll(changes);
        p.values().removeIf(java.util.Objects::isNull);
        return "/oauth/authorize?" + BrowserlessClient.encode(p);
    }

    static String authorize() {
        return authorize(Map.of());
    }

    private static Map<String, String> change(String k, String v) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(k, v);
        return m;
    }

    /** Signs alice in from the login page; returns the 303 answer. */
    private HttpResponse<String> signIn(String authorizeUrl) throws Exception {
        HttpResponse<String> login = browser.get(authorizeUrl);
        assertEquals(200, login.statusCode());
        return browser.submit(login, "/oauth/authorize", Map.of("action", "login", "username", "alice", "password", "alice-password"));
    }

    /** Signs in and allows; returns the redirect to the callback. */
    private HttpResponse<String> signInAndAllow() throws Exception {
        HttpResponse<String> signedIn = signIn(authorize());
        HttpResponse<String> consent = browser.get(header(signedIn, "Location"));
        assertEquals(200, consent.statusCode());
        return browser.submit(consent, "/oauth/authorize", Map.of("action", "consent", "decision", "allow"));
    }

    private HttpResponse<String> token(String contentType, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.url() + "/oauth/token")).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void getWhenClientUnknownThenErrorPageAndNoRedirect() throws Exception {
        start();
        HttpResponse<String> r = browser.get(authorize(Map.of("client_id", "nobody")));
        assertEquals(400, r.statusCode());
        assertNull(header(r, "Location"));
        assertTrue(header(r, "Content-Type").startsWith("text/html"));
        assertTrue(r.body().contains("This sign-in link can’t be used"), r.body());
        assertTrue(r.body().contains("invalid_request"));
    }

    @Test
    void getWhenRedirectUriNotRegisteredThenErrorPageAndNoRedirect() throws Exception {
        start();
        HttpResponse<String> r = browser.get(authorize(Map.of("redirect_uri", "https://evil.example/cb")));
        assertEquals(400, r.statusCode());
        assertNull(header(r, "Location"));
        assertFalse(r.body().contains("evil.example"), "the page names no attacker URL");
    }

    @Test
    void getWhenResponseTypeMissingThenRedirectsErrorWithStateAndIssuer() throws Exception {
        start();
        HttpResponse<String> r = browser.get(authorize(change("response_type", null)));
        assertEquals(302, r.statusCode());
        String location = header(r, "Location");
        assertTrue(location.startsWith(CALLBACK + "?"), location);
        Map<String, String> q = query(location);
        assertEquals("invalid_request", q.get("error"));
        assertEquals("s-123", q.get("state"));
        assertEquals(server.oauthlet().issuer(), q.get("iss"));
        assertNotNull(q.get("error_description"));
    }

    @Test
    void getWhenPkceMissingThenRedirectsInvalidRequest() throws Exception {
        start();
        Map<String, String> noPkce = change("code_challenge", null);
        noPkce.put("code_challenge_method", null);
        Map<String, String> q = query(header(browser.get(authorize(noPkce)), "Location"));
        assertEquals("invalid_request", q.get("error"));
        assertTrue(q.get("error_description").contains("code_challenge"));
    }

    @Test
    void getWhenStateSentTwiceThenRedirectsInvalidRequest() throws Exception {
        start();
        HttpResponse<String> r = browser.get(authorize() + "&state=other");
        assertEquals("invalid_request", query(header(r, "Location")).get("error"));
    }

    @Test
    void getWhenValidThenLoginPageWithSessionCookieCsrfTokenAndProtectiveHeaders() throws Exception {
        start();
        HttpResponse<String> r = browser.get(authorize());
        assertEquals(200, r.statusCode());
        String cookie = header(r, "Set-Cookie");
        assertTrue(cookie.matches("oauthlet_session_[A-Za-z0-9_-]{10}=.*"), cookie);
        assertTrue(cookie.contains("; HttpOnly"), cookie);
        assertTrue(cookie.contains("; SameSite=Lax"), cookie);
        assertTrue(cookie.contains("; Path=/;"), "the logout endpoint must see it: " + cookie);
        assertFalse(cookie.contains("Secure"), "plain http: " + cookie);
        String csp = header(r, "Content-Security-Policy");
        assertTrue(csp.contains("frame-ancestors 'none'") && csp.contains("default-src 'none'"), csp);
        assertTrue(csp.contains("form-action 'self' http://127.0.0.1:9"), csp);
        assertEquals("DENY", header(r, "X-Frame-Options"));
        assertEquals("no-store", header(r, "Cache-Control"));
        Map<String, String> hidden = BrowserlessClient.hiddenFields(r.body());
        assertEquals("partner-app", hidden.get("client_id"));
        assertEquals("s-123", hidden.get("state"));
        assertTrue(hidden.get("csrf_token").length() >= 43);
        assertTrue(r.body().contains("<label for=\"username\">Username</label>"));
        assertTrue(r.body().contains("<label for=\"password\">Password</label>"));
        assertTrue(r.body().contains("to continue to <strong>Partner Dashboard</strong>"));
        assertTrue(r.body().contains("<html lang=\"en\">"));
    }

    @Test
    void getWhenStateCarriesMarkupThenPageEscapesIt() throws Exception {
        start();
        HttpResponse<String> r = browser.get(authorize(Map.of("state", "\"><script>alert(1)</script>")));
        assertFalse(r.body().contains("<script>"), r.body());
        assertEquals("\"><script>alert(1)</script>", BrowserlessClient.hiddenFields(r.body()).get("state"));
    }

    @Test
    void getWhenIssuerIsHttpsThenSessionCookieIsSecureWithHostPrefix() throws Exception {
        start("issuer: https://auth.example.com\n");
        String cookie = header(browser.get(authorize()), "Set-Cookie");
        assertTrue(cookie.startsWith("__Host-oauthlet_session_"), cookie);
        assertTrue(cookie.contains("; Secure") && cookie.contains("; Path=/;") && !cookie.contains("Domain"), cookie);
    }

    @Test
    void getWhenTwoDeploymentsThenSessionCookiesAreNamedApart() throws Exception {
        start();
        String first = header(browser.get(authorize()), "Set-Cookie");
        server.close();
        start("issuer: http://127.0.0.1:1/other-app\n");
        String second = header(browser.get(authorize()), "Set-Cookie");
        assertFalse(first.substring(0, first.indexOf('=')).equals(second.substring(0, second.indexOf('='))), first + " / " + second);
    }

    @Test
    void postLoginWhenCsrfTokenMissingThenForbiddenAndNotSignedIn() throws Exception {
        start();
        HttpResponse<String> page = browser.get(authorize());
        Map<String, String> form = BrowserlessClient.hiddenFields(page.body());
        form.remove("csrf_token");
        form.putAll(Map.of("action", "login", "username", "alice", "password", "alice-password"));
        HttpResponse<String> r = browser.post("/oauth/authorize", form);
        assertEquals(403, r.statusCode());
        assertTrue(r.body().contains("This page expired"));
        assertEquals(200, browser.get(authorize()).statusCode(), "still the login page, not signed in");
    }

    @Test
    void postLoginWhenCsrfTokenOfAnotherSessionThenForbidden() throws Exception {
        start();
        HttpResponse<String> page = browser.get(authorize());
        BrowserlessClient other = new BrowserlessClient(server.url());
        other.get(authorize());
        browser.session(other.session());
        HttpResponse<String> r = browser.submit(page, "/oauth/authorize", Map.of("action", "login", "username", "alice",
                "password", "alice-password"));
        assertEquals(403, r.statusCode());
    }

    @Test
    void postLoginWhenPasswordWrongThenLoginPageShowsTheError() throws Exception {
        start();
        HttpResponse<String> page = browser.get(authorize());
        HttpResponse<String> r = browser.submit(page, "/oauth/authorize", Map.of("action", "login", "username", "alice", "password", "nope"));
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains("role=\"alert\""));
        assertTrue(r.body().contains("The username or password is incorrect."));
        assertTrue(r.body().contains("value=\"alice\""), "the username stays filled in");
        assertTrue(r.body().contains("aria-invalid=\"true\""));
        assertNull(header(r, "Location"));
    }

    @Test
    void postLoginWhenTooManyFailuresThenTooManyRequestsEvenWithTheRightPassword() throws Exception {
        start();
        HttpResponse<String> page = browser.get(authorize());
        for (int i = 0; i < 3; i++) {
            page = browser.submit(page, "/oauth/authorize", Map.of("action", "login", "username", "alice", "password", "guess" + i));
            assertEquals(200, page.statusCode());
        }
        HttpResponse<String> r = browser.submit(page, "/oauth/authorize", Map.of("action", "login", "username", "alice",
                "password", "alice-password"));
        assertEquals(429, r.statusCode());
        assertEquals("900", header(r, "Retry-After"));
        assertTrue(r.body().contains("Too many failed sign-in attempts. Try again in 15 minutes."));
    }

    @Test
    void flowWhenAllowedThenCodeExchangesAsJsonForTokensThatCallTheApi() throws Exception {
        start();
        HttpResponse<String> signedIn = signIn(authorize());
        assertEquals(303, signedIn.statusCode());
        assertTrue(header(signedIn, "Location").startsWith("/oauth/authorize?"));
        assertTrue(header(signedIn, "Set-Cookie").startsWith(BrowserlessClient.SESSION_COOKIE_PREFIX), "a new session after sign-in");

        HttpResponse<String> consent = browser.get(header(signedIn, "Location"));
        assertEquals(200, consent.statusCode());
        assertTrue(consent.body().contains("Partner Dashboard wants to access your Acme account"), consent.body());
        assertTrue(consent.body().contains("See your orders and their delivery status"));
        assertTrue(consent.body().contains("Create, change and cancel orders for you"));
        assertTrue(consent.body().contains("Signed in as <strong>alice</strong>"));

        HttpResponse<String> allowed = browser.submit(consent, "/oauth/authorize", Map.of("action", "consent", "decision", "allow"));
        assertEquals(303, allowed.statusCode());
        Map<String, String> q = query(header(allowed, "Location"));
        assertEquals("s-123", q.get("state"));
        assertEquals(server.oauthlet().issuer(), q.get("iss"));

        Map<String, String> body = new LinkedHashMap<>();
        body.put("client_id", "partner-app");
        body.put("client_secret", "partner-secret");
        body.put("code", q.get("code"));
        body.put("grant_type", "authorization_code");
        body.put("redirect_uri", CALLBACK);
        body.put("code_verifier", VERIFIER);
        HttpResponse<String> tokens = token("application/json", JSON.writeValueAsString(body));
        assertEquals(200, tokens.statusCode(), tokens.body());
        JsonNode t = JSON.readTree(tokens.body());
        assertEquals(7200, t.get("expires_in").asInt());
        assertTrue(t.hasNonNull("refresh_token"));
        assertEquals("orders:read orders:write", t.get("scope").asText());

        HttpResponse<String> me = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/back-office/me"))
                .header("Authorization", "Bearer " + t.get("access_token").asText()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, me.statusCode());
        assertEquals("alice", JSON.readTree(me.body()).get("sub").asText());
        assertEquals("partner-app", JSON.readTree(me.body()).get("client_id").asText());

        HttpResponse<String> again = token("application/json", JSON.writeValueAsString(body));
        assertEquals(400, again.statusCode());
        assertEquals("invalid_grant", JSON.readTree(again.body()).get("error").asText());
    }

    @Test
    void flowWhenCodeExchangedAsFormThenTokens() throws Exception {
        start();
        String code = query(header(signInAndAllow(), "Location")).get("code");
        HttpResponse<String> tokens = token("application/x-www-form-urlencoded", "grant_type=authorization_code&code="
                + URLEncoder.encode(code, StandardCharsets.UTF_8) + "&redirect_uri=" + URLEncoder.encode(CALLBACK, StandardCharsets.UTF_8)
                + "&code_verifier=" + VERIFIER + "&client_id=partner-app&client_secret=partner-secret");
        assertEquals(200, tokens.statusCode(), tokens.body());
    }

    @Test
    void flowWhenSeed003RequestWithoutPkceAndPkceNotRequiredThenItsJsonBodyWorks() throws Exception {
        start("  pkce-required: false\n");
        Map<String, String> noPkce = change("code_challenge", null);
        noPkce.put("code_challenge_method", null);
        noPkce.put("state", null);
        noPkce.put("scope", "");
        HttpResponse<String> signedIn = signIn(authorize(noPkce));
        HttpResponse<String> consent = browser.get(header(signedIn, "Location"));
        HttpResponse<String> allowed = browser.submit(consent, "/oauth/authorize", Map.of("action", "consent", "decision", "allow"));
        Map<String, String> q = query(header(allowed, "Location"));
        assertNull(q.get("state"));
        String seedBody = "{\"client_id\": \"partner-app\", \"client_secret\": \"partner-secret\", \"code\": \"" + q.get("code")
                + "\", \"grant_type\": \"authorization_code\", \"redirect_uri\": \"" + CALLBACK + "\"}";
        HttpResponse<String> tokens = token("application/json", seedBody);
        assertEquals(200, tokens.statusCode(), tokens.body());
        JsonNode t = JSON.readTree(tokens.body());
        assertEquals(7200, t.get("expires_in").asInt());
        assertTrue(t.hasNonNull("refresh_token"));
    }

    @Test
    void flowWhenConsentGivenBeforeThenNextRequestRedirectsWithoutAsking() throws Exception {
        start();
        signInAndAllow();
        HttpResponse<String> r = browser.get(authorize(Map.of("state", "second")));
        assertEquals(302, r.statusCode());
        Map<String, String> q = query(header(r, "Location"));
        assertNotNull(q.get("code"));
        assertEquals("second", q.get("state"));
    }

    @Test
    void flowWhenDeniedThenAccessDeniedWithState() throws Exception {
        start();
        HttpResponse<String> consent = browser.get(header(signIn(authorize()), "Location"));
        HttpResponse<String> denied = browser.submit(consent, "/oauth/authorize", Map.of("action", "consent", "decision", "deny"));
        assertEquals(303, denied.statusCode());
        Map<String, String> q = query(header(denied, "Location"));
        assertEquals("access_denied", q.get("error"));
        assertEquals("s-123", q.get("state"));
        assertNull(q.get("code"));
        assertEquals(200, browser.get(authorize()).statusCode(), "a denial is not remembered as consent");
    }

    @Test
    void flowWhenFirstPartyClientThenNoConsentPage() throws Exception {
        start();
        Map<String, String> own = change("client_id", "own-app");
        own.put("scope", "orders:read");
        HttpResponse<String> signedIn = signIn(authorize(own));
        HttpResponse<String> r = browser.get(header(signedIn, "Location"));
        assertEquals(302, r.statusCode());
        assertNotNull(query(header(r, "Location")).get("code"));
    }

    @Test
    void postConsentWhenCsrfTokenWrongThenForbiddenAndNoRedirect() throws Exception {
        start();
        HttpResponse<String> consent = browser.get(header(signIn(authorize()), "Location"));
        HttpResponse<String> r = browser.submit(consent, "/oauth/authorize", Map.of("action", "consent", "decision", "allow",
                "csrf_token", "forged"));
        assertEquals(403, r.statusCode());
        assertNull(header(r, "Location"));
    }

    @Test
    void postConsentWhenNotSignedInThenLoginPage() throws Exception {
        start();
        HttpResponse<String> page = browser.get(authorize());
        HttpResponse<String> r = browser.submit(page, "/oauth/authorize", Map.of("action", "consent", "decision", "allow"));
        assertEquals(200, r.statusCode());
        assertNull(header(r, "Location"));
        assertTrue(r.body().contains("name=\"password\""));
    }

    @Test
    void postSwitchAccountThenSignedOutAndLoginPage() throws Exception {
        start();
        HttpResponse<String> consent = browser.get(header(signIn(authorize()), "Location"));
        HttpResponse<String> r = browser.submit(consent, "/oauth/authorize", Map.of("action", "switch-account"));
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains("name=\"password\""));
        assertEquals(200, browser.get(authorize()).statusCode(), "no longer signed in");
    }

    @Test
    void postWhenNotFormEncodedThenErrorPage() throws Exception {
        start();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/oauth/authorize"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(400, r.statusCode());
        assertTrue(header(r, "Content-Type").startsWith("text/html"));
    }

    @Test
    void postWhenClientSendsTheRequestAsAFormThenLoginPage() throws Exception {
        start();
        HttpResponse<String> r = browser.post("/oauth/authorize", query("http://x/?" + authorize().substring(authorize().indexOf('?') + 1)));
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains("name=\"password\""));
    }

    @Test
    void metadataThenAdvertisesTheAuthorizationEndpointResponseTypesAndPkceMethods() throws Exception {
        start();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/.well-known/oauth-authorization-server"))
                .build(), HttpResponse.BodyHandlers.ofString());
        JsonNode m = JSON.readTree(r.body());
        assertEquals(server.url() + "/oauth/authorize", m.get("authorization_endpoint").asText());
        assertEquals("[\"code\"]", m.get("response_types_supported").toString());
        assertEquals("[\"S256\"]", m.get("code_challenge_methods_supported").toString());
        assertTrue(m.get("grant_types_supported").toString().contains("authorization_code"));
    }
}
