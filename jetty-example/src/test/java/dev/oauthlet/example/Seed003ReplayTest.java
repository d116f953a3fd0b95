package dev.oauthlet.example;

import dev.oauthlet.example.SeedServer.Reply;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * Replays the password-grant and JSON parts of seed 003 (shared/seeds/003_bcdfb943997f7623.txt)
 * against the example started with examples/seed-003.yml: JSON bodies with
 * Content-Type: application/json and the documented response. The document's authorization-code
 * requests join this test with the authorization-code flow.
 */
class Seed003ReplayTest {

    static final String JSON = "application/json";
    static final Set<String> TOKEN_MEMBERS = Set.of("access_token", "token_type", "expires_in", "refresh_token");

    static SeedServer server;

    @BeforeAll
    static void start() throws Exception {
        server = SeedServer.start("seed-003.yml");
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    static void assertDocumentedTokenResponse(Reply r) throws Exception {
        r.assertStatus(200);
        assertEquals(TOKEN_MEMBERS, r.members());
        assertEquals("bearer", r.text("token_type"));
        assertEquals(7200, r.json().get("expires_in").asInt());
    }

    static Reply login() throws Exception {
        return server.post("/oauth/token", """
                {
                  "client_id": "YOUR_CLIENT_ID",
                  "client_secret": "YOUR_CLIENT_SECRET",
                  "grant_type": "password",
                  "username": "demo-user",
                  "password": "demo-password"
                }""", "Content-Type", JSON);
    }

    @Test
    void passwordWhenJsonAsDocumentedThenDocumentedResponse() throws Exception {
        assertDocumentedTokenResponse(login());
    }

    @Test
    void refreshWhenJsonThenNewAccessAndRefreshToken() throws Exception {
        Reply login = login();
        Reply r = server.post("/oauth/token", """
                {
                  "client_id": "YOUR_CLIENT_ID",
                  "client_secret": "YOUR_CLIENT_SECRET",
                  "grant_type": "refresh_token",
                  "refresh_token": "%s"
                }""".formatted(login.text("refresh_token")), "Content-Type", JSON);
        assertDocumentedTokenResponse(r);
        assertNotEquals(login.text("refresh_token"), r.text("refresh_token"));
    }

    @Test
    void passwordWhenFormInsteadOfJsonThenRefusedWithJsonError() throws Exception {
        server.post("/oauth/token", "grant_type=password&username=demo-user&password=demo-password",
                "Content-Type", "application/x-www-form-urlencoded").assertError(415, "invalid_request");
    }

    @Test
    void passwordWhenJsonHasAMemberTwiceThenInvalidRequest() throws Exception {
        server.post("/oauth/token", """
                {"client_id": "YOUR_CLIENT_ID", "client_secret": "YOUR_CLIENT_SECRET", "grant_type": "password",
                 "username": "demo-user", "password": "demo-password", "username": "someone-else"}""", "Content-Type", JSON)
                .assertError(400, "invalid_request");
    }
}
