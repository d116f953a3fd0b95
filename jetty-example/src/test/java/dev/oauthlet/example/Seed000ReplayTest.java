package dev.oauthlet.example;

import dev.oauthlet.config.TokensConfig;
import dev.oauthlet.example.SeedServer.Reply;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Replays every request of seed 000 (shared/seeds/000_3a728ce131e0ae2e.txt) against the example
 * started with examples/seed-000.yml, over real HTTP, exactly as the document prints them.
 */
class Seed000ReplayTest {

    static final Set<String> TOKEN_MEMBERS = Set.of("access_token", "token_type", "expires_in", "refresh_token");
    static final String LOGIN = "grant_type=client_credentials&client_id=<ID>&client_secret=<SECRET>";

    static SeedServer server;

    @BeforeAll
    static void start() throws Exception {
        server = SeedServer.start("seed-000.yml");
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    /** The document's token response: exactly these members, "bearer", 3600 s. */
    static void assertDocumentedTokenResponse(Reply r) throws Exception {
        r.assertStatus(200);
        assertEquals(TOKEN_MEMBERS, r.members());
        assertEquals("bearer", r.text("token_type"));
        assertEquals(3600, r.json().get("expires_in").asInt());
        assertEquals(3, r.text("access_token").split("\\.").length, "a JWT, as the document's");
        assertTrue(r.text("refresh_token").length() >= 43, "at least 256 bits");
    }

    @Test
    void clientCredentialsWhenRequestedAsPrintedThenDocumentedResponse() throws Exception {
        // The document prints the form body without a Content-Type; it is sent so.
        Reply r = server.post("/v1/oauth", LOGIN);
        assertDocumentedTokenResponse(r);
    }

    @Test
    void resourceWhenCalledWithTheAccessTokenAsPrintedThenServed() throws Exception {
        String access = server.post("/v1/oauth", LOGIN).text("access_token");
        Reply r = server.post("/v1/gifts", "{\n  body\n}", "Authorization", "Bearer " + access);
        assertEquals(200, r.status(), r.body());
        assertEquals("<ID>", r.text("client_id"));
    }

    @Test
    void refreshWhenAuthenticatedByTheAccessTokenAsPrintedThenNewTokens() throws Exception {
        Reply login = server.post("/v1/oauth", LOGIN);
        Reply r = server.post("/v1/oauth", "grant_type=refresh_token&refresh_token=" + login.text("refresh_token"),
                "Authorization", "Bearer " + login.text("access_token"));
        assertDocumentedTokenResponse(r);
        assertNotEquals(login.text("refresh_token"), r.text("refresh_token"));
    }

    @Test
    void restRefreshWhenJsonAsPrintedThenNewTokens() throws Exception {
        Reply login = server.post("/v1/oauth", LOGIN);
        Reply r = server.post("/v1/auth", "{\n  \"refresh_token\": \"" + login.text("refresh_token") + "\"\n}",
                "Authorization", "Bearer " + login.text("access_token"));
        assertDocumentedTokenResponse(r);
    }

    @Test
    void refreshWhenParallelProcessesRaceAsTheDocumentWarnsThenBothGetTheSameNewRefreshToken() throws Exception {
        Reply login = server.post("/v1/oauth", LOGIN);
        String bearer = "Bearer " + login.text("access_token");
        var viaOauth = CompletableFuture.supplyAsync(() -> call(() -> server.post("/v1/oauth",
                "grant_type=refresh_token&refresh_token=" + login.text("refresh_token"), "Authorization", bearer)));
        var viaAuth = CompletableFuture.supplyAsync(() -> call(() -> server.post("/v1/auth",
                "{\"refresh_token\": \"" + login.text("refresh_token") + "\"}", "Authorization", bearer)));
        Reply a = viaOauth.get();
        Reply b = viaAuth.get();
        assertDocumentedTokenResponse(a);
        assertDocumentedTokenResponse(b);
        assertEquals(a.text("refresh_token"), b.text("refresh_token"));
    }

    @Test
    void expiredAccessTokenWhenCalledThenAuthExpiredAndARefreshWithItRetriesSuccessfully() throws Exception {
        // The same API with three-second tokens, so the test can wait one out. Not one second: exp is a
        // whole epoch second, so a token lives its TTL minus up to one second, and the refreshed token must
        // outlive the request that uses it on a loaded machine.
        try (SeedServer shortLived = SeedServer.start("seed-000.yml", c -> SeedServer.withTokens(c, t -> new TokensConfig(
                Duration.ofSeconds(3), t.refreshTokenTtl(), t.refreshRotation(), t.refreshReuseGrace(), t.authorizationCodeTtl(),
                t.expiredTokenError(), t.expiredTokenMaxAge(), Duration.ZERO, t.tokenType(), t.scopeSeparator())))) {
            Reply login = shortLived.post("/v1/oauth", LOGIN);
            String expired = login.text("access_token");
            Thread.sleep(3_100);

            Reply refused = shortLived.post("/v1/gifts", "{}", "Authorization", "Bearer " + expired);
            assertEquals(401, refused.status());
            assertEquals("auth_expired", refused.text("error"));
            assertTrue(refused.header("WWW-Authenticate").contains("error=\"auth_expired\""), refused.header("WWW-Authenticate"));

            Reply refreshed = shortLived.post("/v1/auth", "{\"refresh_token\": \"" + login.text("refresh_token") + "\"}",
                    "Authorization", "Bearer " + expired);
            refreshed.assertStatus(200);
            assertEquals(200, shortLived.post("/v1/gifts", "{}", "Authorization", "Bearer " + refreshed.text("access_token")).status());

            Reply again = shortLived.post("/v1/oauth", "grant_type=refresh_token&refresh_token=" + refreshed.text("refresh_token"),
                    "Authorization", "Bearer " + expired);
            again.assertStatus(200);
        }
    }

    @Test
    void refreshWhenBearerIsNotAGenuineAccessTokenThenInvalidClientWithBearerChallenge() throws Exception {
        Reply login = server.post("/v1/oauth", LOGIN);
        Reply r = server.post("/v1/auth", "{\"refresh_token\": \"" + login.text("refresh_token") + "\"}",
                "Authorization", "Bearer not.a.token");
        r.assertError(401, "invalid_client");
        assertTrue(r.header("WWW-Authenticate").startsWith("Bearer "), r.header("WWW-Authenticate"));
    }

    private static Reply call(java.util.concurrent.Callable<Reply> c) {
        try {
            return c.call();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
