package dev.oauthlet.example;

import static dev.oauthlet.example.BrowserlessClient.header;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Replays the authorization code part of seed 003 (shared/seeds/003_bcdfb943997f7623.txt) against
 * the example started with examples/seed-003.yml: the documented authorize URL, sign-in and
 * consent, the redirect with {@code ?code=}, and the documented JSON exchange — no PKCE — answered
 * with the documented members.
 */
class Seed003AuthorizationCodeReplayTest {

    static final String REDIRECT_URI = "https://client.example.com/oauth/callback";
    private static final ObjectMapper JSON = new ObjectMapper();

    static JettyExample.Running server;

    @BeforeAll
    static void start() throws Exception {
        // Surefire runs in target/test-work; the example files are under the module's directory.
        Path file = Path.of(System.getProperty("basedir", "."), "examples", "seed-003.yml");
        server = JettyExample.createServer(ExampleConfig.read(file), "127.0.0.1", 0);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void authorizationCodeWhenAsDocumentedThenCodeExchangesForTheDocumentedTokenResponse() throws Exception {
        BrowserlessClient browser = new BrowserlessClient(server.url());
        // Step 1, verbatim but for the placeholders: an empty scope, no state, no PKCE.
        HttpResponse<String> login = browser.get("/oauth/authorize?client_id=YOUR_CLIENT_ID&redirect_uri="
                + java.net.URLEncoder.encode(REDIRECT_URI, java.nio.charset.StandardCharsets.UTF_8) + "&response_type=code&scope=");
        assertEquals(200, login.statusCode(), login.body());
        // Steps 2 and 3: sign in, authorize access.
        HttpResponse<String> signedIn = browser.submit(login, "/oauth/authorize",
                Map.of("action", "login", "username", "demo-user", "password", "demo-password"));
        HttpResponse<String> consent = browser.get(header(signedIn, "Location"));
        assertTrue(consent.body().contains("Your Application wants to access your"), consent.body());
        HttpResponse<String> allowed = browser.submit(consent, "/oauth/authorize", Map.of("action", "consent", "decision", "allow"));
        // Step 4: back to YOUR_REDIRECT_URI with the code.
        String location = header(allowed, "Location");
        assertTrue(location.startsWith(REDIRECT_URI + "?code="), location);
        String code = BrowserlessClient.query(location).get("code");

        // Step 5: the documented JSON body.
        String body = """
                {
                  "client_id": "YOUR_CLIENT_ID",
                  "client_secret": "YOUR_CLIENT_SECRET",
                  "code": "%s",
                  "grant_type": "authorization_code",
                  "redirect_uri": "%s"
                }""".formatted(code, REDIRECT_URI);
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.url() + "/oauth/token"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        JsonNode t = JSON.readTree(r.body());
        Set<String> members = new java.util.TreeSet<>();
        t.fieldNames().forEachRemaining(members::add);
        assertEquals(Set.of("access_token", "token_type", "expires_in", "refresh_token"), members);
        assertEquals("bearer", t.get("token_type").asText());
        assertEquals(7200, t.get("expires_in").asInt());
    }
}
