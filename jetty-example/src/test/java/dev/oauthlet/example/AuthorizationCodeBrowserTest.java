package dev.oauthlet.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.oauthlet.crypto.Hashes;
import dev.oauthlet.protocol.Pkce;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
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
 * The authorization code flow in a real headless Chromium: the authorize URL, the login page,
 * the consent page, the redirect to a local callback with code and state, the code exchange
 * with a PKCE verifier, and a call to a protected resource. The run also takes the screenshots
 * of the pages shown in the README ({@code -Doauthlet.screenshots=DIR}, default
 * {@code jetty-example/target/screenshots}).
 */
class AuthorizationCodeBrowserTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Surefire runs tests in target/test-work, and sets {@code basedir} to the module. */
    private static final Path SCREENSHOTS = Path.of(System.getProperty("oauthlet.screenshots",
            Path.of(System.getProperty("basedir", "."), "target", "screenshots").toString()));

    private static HeadlessChromium chromium;
    private static HttpServer callbackServer;
    private static String callback;
    private static final List<String> callbackHits = new CopyOnWriteArrayList<>();
    private static JettyExample.Running server;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        if (!HeadlessChromium.installedOrRequired()) {
            return;
        }
        chromium = HeadlessChromium.start();
        // The client application's side: a page on the loopback address that the browser lands on.
        callbackServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        callbackServer.createContext("/callback", exchange -> {
            callbackHits.add(exchange.getRequestURI().toString());
            byte[] page = "<!doctype html><title>Partner Dashboard</title><p>Back at Partner Dashboard.</p>".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html;charset=utf-8");
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        callbackServer.start();
        callback = "http://127.0.0.1:" + callbackServer.getAddress().getPort() + "/callback";
        server = JettyExample.createServer(ExampleConfigs.authorizationCode(callback,
                "authorization:\n  login-failure-delay: 100ms\n"), 0);
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

    /** Each test starts signed out. The session cookie is visible only under the endpoint's path, so go there to drop it. */
    @BeforeEach
    void signOut() {
        Assumptions.assumeTrue(chromium != null, HeadlessChromium.INSTALL_HINT);
        chromium.driver.get(server.url() + "/oauth/authorize");
        chromium.driver.manage().deleteAllCookies();
        callbackHits.clear();
    }

    private String authorizeUrl(String state, String verifier) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("client_id", "partner-app");
        p.put("redirect_uri", callback);
        p.put("response_type", "code");
        p.put("scope", "orders:read orders:write");
        p.put("state", state);
        p.put("code_challenge", Pkce.s256(verifier));
        p.put("code_challenge_method", "S256");
        return server.url() + "/oauth/authorize?" + BrowserlessClient.encode(p);
    }

    private WebDriverWait waitUpTo(int seconds) {
        return new WebDriverWait(chromium.driver, Duration.ofSeconds(seconds));
    }

    private void signIn(String username, String password) {
        WebElement user = waitUpTo(10).until(ExpectedConditions.visibilityOfElementLocated(By.id("username")));
        user.clear();
        user.sendKeys(username);
        chromium.driver.findElement(By.id("password")).sendKeys(password);
        chromium.driver.findElement(By.cssSelector("button[value=login]")).click();
    }

    private void awaitCallback() {
        waitUpTo(10).until(d -> d.getCurrentUrl().startsWith(callback));
    }

    @Test
    void flowWhenUserSignsInAndAllowsThenClientGetsCodeExchangesItAndCallsTheApi() throws Exception {
        String verifier = Hashes.randomToken(32);
        String state = "st-" + Hashes.randomToken(8);
        chromium.driver.get(authorizeUrl(state, verifier));

        waitUpTo(10).until(ExpectedConditions.visibilityOfElementLocated(By.id("username")));
        assertEquals("Sign in · Acme", chromium.driver.getTitle());
        assertEquals("username", chromium.driver.switchTo().activeElement().getAttribute("id"), "the first field has focus");
        chromium.screenshot(SCREENSHOTS.resolve("login.png"), false);
        chromium.screenshot(SCREENSHOTS.resolve("login-phone.png"), true);

        signIn("alice", "alice-password");
        WebElement heading = waitUpTo(10).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("h1")));
        assertEquals("Partner Dashboard wants to access your Acme account", heading.getText());
        String scopes = chromium.driver.findElement(By.cssSelector(".scopes")).getText();
        assertTrue(scopes.contains("See your orders and their delivery status"), scopes);
        assertTrue(scopes.contains("Create, change and cancel orders for you"), scopes);
        chromium.screenshot(SCREENSHOTS.resolve("consent.png"), false);
        chromium.screenshot(SCREENSHOTS.resolve("consent-phone.png"), true);

        chromium.driver.findElement(By.cssSelector("button[value=allow]")).click();
        awaitCallback();
        Map<String, String> q = BrowserlessClient.query(chromium.driver.getCurrentUrl());
        assertEquals(state, q.get("state"));
        assertEquals(1, callbackHits.size(), "the callback was reached once: " + callbackHits);

        Map<String, String> body = new LinkedHashMap<>();
        body.put("client_id", "partner-app");
        body.put("client_secret", "partner-secret");
        body.put("code", q.get("code"));
        body.put("grant_type", "authorization_code");
        body.put("redirect_uri", callback);
        body.put("code_verifier", verifier);
        HttpResponse<String> tokens = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/oauth/token"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, tokens.statusCode(), tokens.body());
        JsonNode t = JSON.readTree(tokens.body());
        assertEquals(7200, t.get("expires_in").asInt());
        assertTrue(t.hasNonNull("refresh_token"));

        HttpResponse<String> me = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/back-office/me"))
                .header("Authorization", "Bearer " + t.get("access_token").asText()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, me.statusCode(), me.body());
        assertEquals("alice", JSON.readTree(me.body()).get("sub").asText());
    }

    @Test
    void loginWhenPasswordWrongThenThePageShowsTheErrorAndStays() throws IOException {
        chromium.driver.get(authorizeUrl("s-wrong", Hashes.randomToken(32)));
        signIn("alice", "not-her-password");
        WebElement alert = waitUpTo(10).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[role=alert]")));
        assertEquals("The username or password is incorrect.", alert.getText());
        assertEquals("true", chromium.driver.findElement(By.id("password")).getAttribute("aria-invalid"));
        assertEquals("alice", chromium.driver.findElement(By.id("username")).getAttribute("value"));
        assertTrue(chromium.driver.getCurrentUrl().startsWith(server.url()), "still on the login page");
        assertTrue(callbackHits.isEmpty());
        chromium.screenshot(SCREENSHOTS.resolve("login-error.png"), false);
    }

    @Test
    void authorizeWhenRedirectUriNotRegisteredThenErrorPageAndTheBrowserStays() throws IOException {
        String url = authorizeUrl("s-evil", Hashes.randomToken(32)).replace(BrowserlessClient.encode(Map.of("r", callback)).substring(2),
                BrowserlessClient.encode(Map.of("r", "https://evil.example/callback")).substring(2));
        chromium.driver.get(url);
        WebElement heading = waitUpTo(10).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("h1")));
        assertEquals("This sign-in link can’t be used", heading.getText());
        assertTrue(chromium.driver.getCurrentUrl().startsWith(server.url()));
        assertTrue(callbackHits.isEmpty());
        chromium.screenshot(SCREENSHOTS.resolve("error.png"), false);
    }

    @Test
    void consentWhenUserDeniesThenClientGetsAccessDeniedAndState() {
        chromium.driver.get(authorizeUrl("s-deny", Hashes.randomToken(32)));
        // bob, not alice: consent is remembered per user, and alice may have allowed this client in another test.
        signIn("bob", "bob-password");
        waitUpTo(10).until(ExpectedConditions.elementToBeClickable(By.cssSelector("button[value=deny]"))).click();
        awaitCallback();
        Map<String, String> q = BrowserlessClient.query(chromium.driver.getCurrentUrl());
        assertEquals("access_denied", q.get("error"));
        assertEquals("s-deny", q.get("state"));
        assertTrue(!q.containsKey("code"));
    }
}
