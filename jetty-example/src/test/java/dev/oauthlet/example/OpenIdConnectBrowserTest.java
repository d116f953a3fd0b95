package dev.oauthlet.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.UserInfoRequest;
import com.nimbusds.openid.connect.sdk.UserInfoResponse;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.claims.UserInfo;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.token.OIDCTokens;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * OpenID Connect sign-in in a real headless Chromium, with Nimbus as the relying party: it builds
 * the authentication request from the discovery document, the browser signs in and consents, and
 * Nimbus exchanges the code, validates the ID token against the JWKS (signature, issuer, audience,
 * nonce) and reads userinfo. Access tokens are ES256 here, so the RS256 ID-token keys of their own are exercised.
 */
class OpenIdConnectBrowserTest {

    /** Surefire runs tests in target/test-work, and sets {@code basedir} to the module. */
    static final Path SCREENSHOTS = Path.of(System.getProperty("oauthlet.screenshots",
            Path.of(System.getProperty("basedir", "."), "target", "screenshots").toString()));

    static HeadlessChromium chromium;
    static HttpServer callbackServer;
    static String callback;
    static final List<String> callbackHits = new CopyOnWriteArrayList<>();
    static JettyExample.Running server;
    static OIDCProviderMetadata op;

    @BeforeAll
    static void start() throws Exception {
        if (!HeadlessChromium.installedOrRequired()) {
            return;
        }
        chromium = HeadlessChromium.start();
        callbackServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        callbackServer.createContext("/callback", exchange -> {
            callbackHits.add(exchange.getRequestURI().toString());
            byte[] page = "<!doctype html><title>Partner Portal</title><p>Back at Partner Portal.</p>".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html;charset=utf-8");
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        callbackServer.start();
        callback = "http://127.0.0.1:" + callbackServer.getAddress().getPort() + "/callback";
        server = JettyExample.createServer(ExampleConfigs.openIdConnect(callback, "ES256", ""), 0);
        op = OIDCProviderMetadata.resolve(new com.nimbusds.oauth2.sdk.id.Issuer(server.oauthlet().issuer()));
    }

    @AfterAll
    static void stop() throws Exception {
        if (chromium != null) {
            chromium.close();
        }
        if (server != null) {
            server.close();
        }
        if (callbackServer != null) {
            callbackServer.stop(0);
        }
    }

    @BeforeEach
    void signOut() {
        Assumptions.assumeTrue(chromium != null, HeadlessChromium.INSTALL_HINT);
        chromium.driver.get(server.url() + "/oauth/authorize");
        chromium.driver.manage().deleteAllCookies();
        callbackHits.clear();
    }

    static WebDriverWait waitUpTo(int seconds) {
        return new WebDriverWait(chromium.driver, Duration.ofSeconds(seconds));
    }

    static void signIn(String username, String password) {
        WebElement user = waitUpTo(10).until(ExpectedConditions.visibilityOfElementLocated(By.id("username")));
        user.clear();
        user.sendKeys(username);
        chromium.driver.findElement(By.id("password")).sendKeys(password);
        chromium.driver.findElement(By.cssSelector("button[value=login]")).click();
    }

    /** Allows on the consent page, unless the browser went straight back (a consent remembered from an earlier test). */
    static void allowIfAsked() {
        waitUpTo(10).until(d -> d.getCurrentUrl().startsWith(callback) || !d.findElements(By.cssSelector("button[value=allow]")).isEmpty());
        if (!chromium.driver.getCurrentUrl().startsWith(callback)) {
            chromium.driver.findElement(By.cssSelector("button[value=allow]")).click();
        }
    }

    static Map<String, String> awaitCallback() {
        waitUpTo(10).until(d -> d.getCurrentUrl().startsWith(callback));
        return BrowserlessClient.query(chromium.driver.getCurrentUrl());
    }

    /** The authentication request Nimbus builds from the discovery document. */
    static URI authenticationRequest(String scope, State state, Nonce nonce, CodeVerifier verifier) {
        return new AuthenticationRequest.Builder(new ResponseType("code"), Scope.parse(scope), new ClientID("rp-app"), URI.create(callback))
                .endpointURI(op.getAuthorizationEndpointURI())
                .state(state)
                .nonce(nonce)
                .codeChallenge(verifier, CodeChallengeMethod.S256)
                .build()
                .toURI();
    }

    static OIDCTokens exchange(String code, CodeVerifier verifier) throws Exception {
        TokenRequest request = new TokenRequest(op.getTokenEndpointURI(), new ClientSecretBasic(new ClientID("rp-app"), new Secret("rp-secret")),
                new AuthorizationCodeGrant(new AuthorizationCode(code), URI.create(callback), verifier));
        var response = OIDCTokenResponseParser.parse(request.toHTTPRequest().send());
        assertTrue(response.indicatesSuccess(), () -> response.toErrorResponse().getErrorObject().toString());
        return ((OIDCTokenResponse) response.toSuccessResponse()).getOIDCTokens();
    }

    static IDTokenClaimsSet validate(OIDCTokens tokens, Nonce nonce) throws Exception {
        return new IDTokenValidator(op.getIssuer(), new ClientID("rp-app"), JWSAlgorithm.RS256, op.getJWKSetURI().toURL())
                .validate(tokens.getIDToken(), nonce);
    }

    @Test
    void signInWhenOpenidProfileEmailThenNimbusValidatesTheIdTokenAndUserinfoReleasesThoseClaims() throws Exception {
        State state = new State();
        Nonce nonce = new Nonce();
        CodeVerifier verifier = new CodeVerifier();
        long before = System.currentTimeMillis() / 1000;
        chromium.driver.get(authenticationRequest("openid profile email", state, nonce, verifier).toString());

        signIn("alice", "alice-password");
        WebElement heading = waitUpTo(10).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("h1")));
        assertEquals("Partner Portal wants to access your Acme account", heading.getText());
        chromium.screenshot(SCREENSHOTS.resolve("oidc-consent.png"), false);
        allowIfAsked();
        Map<String, String> q = awaitCallback();
        assertEquals(state.getValue(), q.get("state"));
        assertEquals(1, callbackHits.size(), callbackHits.toString());

        OIDCTokens tokens = exchange(q.get("code"), verifier);
        IDTokenClaimsSet id = validate(tokens, nonce);
        assertEquals("u-1001", id.getSubject().getValue());
        assertNotNull(id.getAuthenticationTime());
        long authTime = id.getAuthenticationTime().getTime() / 1000;
        assertTrue(authTime >= before - 1 && authTime <= System.currentTimeMillis() / 1000, "auth_time is the sign-in: " + authTime);

        UserInfo me = UserInfoResponse.parse(new UserInfoRequest(op.getUserInfoEndpointURI(), tokens.getBearerAccessToken())
                .toHTTPRequest().send()).toSuccessResponse().getUserInfo();
        assertEquals("u-1001", me.getSubject().getValue());
        assertEquals("Alice Liddell", me.getName());
        assertEquals("alice@example.com", me.getEmailAddress());
        assertTrue(me.getEmailVerified());
        assertFalse(me.toJSONObject().containsKey("address"), "address was not granted: " + me.toJSONString());
        assertFalse(me.toJSONObject().containsKey("phone_number"), me.toJSONString());
    }

    @Test
    void logoutWhenTheRelyingPartySendsTheIdTokenBackThenSignedOutAndReturnedWithState() throws Exception {
        State state = new State();
        Nonce nonce = new Nonce();
        CodeVerifier verifier = new CodeVerifier();
        chromium.driver.get(authenticationRequest("openid", state, nonce, verifier).toString());
        signIn("alice", "alice-password");
        allowIfAsked();
        OIDCTokens tokens = exchange(awaitCallback().get("code"), verifier);
        assertNotNull(op.getEndSessionEndpointURI(), "end_session_endpoint is advertised");

        State logoutState = new State();
        chromium.driver.get(new com.nimbusds.openid.connect.sdk.LogoutRequest(op.getEndSessionEndpointURI(), tokens.getIDToken(),
                URI.create(callback + "/signed-out"), logoutState).toURI().toString());
        waitUpTo(10).until(d -> d.getCurrentUrl().startsWith(callback + "/signed-out"));
        assertEquals(logoutState.getValue(), BrowserlessClient.query(chromium.driver.getCurrentUrl()).get("state"));

        chromium.driver.get(authenticationRequest("openid", new State(), new Nonce(), new CodeVerifier()).toString());
        waitUpTo(10).until(ExpectedConditions.visibilityOfElementLocated(By.id("username")));
    }

    @Test
    void logoutWhenNoHintThenTheUserConfirmsAndIsSignedOut() throws Exception {
        chromium.driver.get(authenticationRequest("openid", new State(), new Nonce(), new CodeVerifier()).toString());
        signIn("alice", "alice-password");
        allowIfAsked();
        awaitCallback();

        chromium.driver.get(server.url() + "/oauth/logout");
        WebElement heading = waitUpTo(10).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("h1")));
        assertEquals("Sign out", heading.getText());
        chromium.screenshot(SCREENSHOTS.resolve("logout.png"), false);
        chromium.driver.findElement(By.cssSelector("button[value=logout]")).click();
        WebElement done = waitUpTo(10).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("h1")));
        waitUpTo(10).until(d -> d.findElement(By.cssSelector("h1")).getText().equals("You are signed out"));
        assertNotNull(done);
        chromium.screenshot(SCREENSHOTS.resolve("signed-out.png"), false);
    }
}
