package dev.oauthlet.example;

import dev.oauthlet.config.TokensConfig;
import dev.oauthlet.example.SeedServer.Reply;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * Replays every request of seed 001 (shared/seeds/001_1d35521470aa0497.txt) against the example
 * started with examples/seed-001.yml: GET /api/v3/login with query parameters for each grant,
 * then GET /api/v3/cities with the token.
 */
class Seed001ReplayTest {

    static final Set<String> TOKEN_MEMBERS = Set.of("access_token", "expires_in", "token_type", "scope", "refresh_token");

    static SeedServer server;

    @BeforeAll
    static void start() throws Exception {
        server = SeedServer.start("seed-001.yml");
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    /**
     * The document's query string with its placeholders — which the demo configuration uses as its
     * client and user — percent-encoded as any HTTP client sends braces.
     */
    static String printed(String query) {
        return query.replace("{", URLEncoder.encode("{", StandardCharsets.UTF_8)).replace("}", URLEncoder.encode("}", StandardCharsets.UTF_8));
    }

    /** "All the authentication requests, despite the grant type, have the same response." */
    static void assertDocumentedTokenResponse(Reply r) throws Exception {
        r.assertStatus(200);
        assertEquals(TOKEN_MEMBERS, r.members());
        assertEquals(3600, r.json().get("expires_in").asInt());
        assertEquals("bearer", r.text("token_type"));
        assertEquals("user, password", r.text("scope"));
    }

    @Test
    void clientCredentialsWhenRequestedAsPrintedThenDocumentedResponseNotConnectedToACustomer() throws Exception {
        Reply r = server.get("/api/v3/login?" + printed("client_id={client_id}&client_secret={client_secret}&grant_type=client_credentials"));
        assertDocumentedTokenResponse(r);
        assertEquals("{client_id}", SeedServer.jwtClaims(r.text("access_token")).get("sub").asText());
    }

    @Test
    void passwordWhenRequestedAsPrintedThenDocumentedResponseForTheCustomer() throws Exception {
        Reply r = server.get("/api/v3/login?" + printed(
                "client_id={client_id}&client_secret={client_secret}&grant_type=password&username={username}&password={password}"));
        assertDocumentedTokenResponse(r);
        assertEquals("{username}", SeedServer.jwtClaims(r.text("access_token")).get("sub").asText());
    }

    @Test
    void resourceWhenCalledWithTheAccessTokenAsPrintedThenServed() throws Exception {
        Reply login = server.get("/api/v3/login?" + printed(
                "client_id={client_id}&client_secret={client_secret}&grant_type=password&username={username}&password={password}"));
        // The document's Host is its production server; the request goes to the example's address instead.
        Reply r = server.get("/api/v3/cities", "Authorization", "Bearer " + login.text("access_token"));
        assertEquals(200, r.status(), r.body());
        assertEquals("{username}", r.text("sub"));
    }

    @Test
    void refreshWhenRequestedAsPrintedThenANewAccessTokenAndANewRefreshToken() throws Exception {
        Reply login = server.get("/api/v3/login?" + printed(
                "client_id={client_id}&client_secret={client_secret}&grant_type=password&username={username}&password={password}"));
        String refreshToken = login.text("refresh_token");
        Reply r = server.get("/api/v3/login?" + printed("client_id={client_id}&client_secret={client_secret}&refresh_token=")
                + refreshToken + "&grant_type=refresh_token");
        assertDocumentedTokenResponse(r);
        assertNotEquals(login.text("access_token"), r.text("access_token"));
        assertNotEquals(refreshToken, r.text("refresh_token"));
        // "You should use these new values from now on": the new refresh token works.
        Reply next = server.get("/api/v3/login?" + printed("client_id={client_id}&client_secret={client_secret}&refresh_token=")
                + r.text("refresh_token") + "&grant_type=refresh_token");
        assertDocumentedTokenResponse(next);
    }

    @Test
    void resourceWhenTokenMissingThen401AsTheDocumentSays() throws Exception {
        assertEquals(401, server.get("/api/v3/cities").status());
    }

    @Test
    void resourceWhenAccessTokenExpiredThen401InvalidTokenSoTheClientRefreshes() throws Exception {
        // The same API with three-second tokens, so the test can wait one out; the default error code stays.
        // Not one second: exp is a whole epoch second, so a token's life is its TTL minus up to one second,
        // and the refreshed token must outlive the request that uses it on a loaded machine.
        try (SeedServer shortLived = SeedServer.start("seed-001.yml", c -> SeedServer.withTokens(c, t -> new TokensConfig(
                Duration.ofSeconds(3), t.refreshTokenTtl(), t.refreshRotation(), t.refreshReuseGrace(), t.authorizationCodeTtl(),
                t.expiredTokenError(), t.expiredTokenMaxAge(), Duration.ZERO, t.tokenType(), t.scopeSeparator())))) {
            Reply login = shortLived.get("/api/v3/login?" + printed("client_id={client_id}&client_secret={client_secret}&grant_type=client_credentials"));
            Thread.sleep(3_100);
            Reply r = shortLived.get("/api/v3/cities", "Authorization", "Bearer " + login.text("access_token"));
            assertEquals(401, r.status());
            assertEquals("invalid_token", r.text("error"));
            Reply refreshed = shortLived.get("/api/v3/login?" + printed("client_id={client_id}&client_secret={client_secret}&refresh_token=")
                    + login.text("refresh_token") + "&grant_type=refresh_token");
            assertEquals(200, shortLived.get("/api/v3/cities", "Authorization", "Bearer " + refreshed.text("access_token")).status());
        }
    }

    @Test
    void loginWhenPostedInsteadOfQueryThenRefusedWithJsonError() throws Exception {
        server.post("/api/v3/login", "grant_type=client_credentials", "Content-Type", "application/x-www-form-urlencoded")
                .assertError(400, "invalid_request");
    }
}
