package dev.oauthlet.example;

import dev.oauthlet.example.SeedServer.Reply;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Replays every request of seed 004 (shared/seeds/004_5a13fa557b85c057.txt) against the example
 * started with examples/seed-004.yml: the JSON client-credentials request, then GET /api/users;
 * and the documented refusal — a back-office token at the storefront API — with the curl commands
 * of the file's header, run as printed.
 */
class Seed004ReplayTest {

    static final String BODY = """
            {
                "grant_type": "client_credentials",
                "client_id": "your client identifier",
                "client_secret": "your client secret"
            }""";

    static SeedServer server;

    @BeforeAll
    static void start() throws Exception {
        server = SeedServer.start("seed-004.yml");
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void clientCredentialsWhenRequestedAsPrintedThenDocumentedResponse() throws Exception {
        Reply r = server.post("/oauth2-token", BODY, "Content-Type", "application/json");
        r.assertStatus(200);
        assertEquals(Set.of("token_type", "expires_in", "access_token"), r.members());
        assertEquals("Bearer", r.text("token_type"));
        assertEquals(3600, r.json().get("expires_in").asInt());
        assertEquals("back-office", SeedServer.jwtClaims(r.text("access_token")).get("aud").asText());
    }

    @Test
    void clientCredentialsWhenJsonApiMediaTypeThenAcceptedToo() throws Exception {
        server.post("/oauth2-token", BODY, "Content-Type", "application/vnd.api+json").assertStatus(200);
    }

    @Test
    void apiRequestWhenMadeAsPrintedThenServedAndTheTokenUsableMultipleTimes() throws Exception {
        String access = server.post("/oauth2-token", BODY, "Content-Type", "application/json").text("access_token");
        for (int i = 0; i < 2; i++) {
            Reply r = server.get("/api/users", "Content-Type", "application/vnd.api+json", "Authorization", "Bearer " + access);
            assertEquals(200, r.status(), r.body());
        }
    }

    @Test
    void apiRequestWhenStorefrontTokenAtBackOfficeApiThenRefused() throws Exception {
        Reply login = server.post("/oauth2-token", """
                {"grant_type": "client_credentials", "client_id": "storefront client", "client_secret": "storefront secret"}""",
                "Content-Type", "application/json");
        login.assertStatus(200);
        Reply r = server.get("/api/users", "Content-Type", "application/vnd.api+json", "Authorization", "Bearer " + login.text("access_token"));
        assertEquals(401, r.status());
        assertTrue(r.header("WWW-Authenticate").contains("error=\"invalid_token\""), r.header("WWW-Authenticate"));
    }

    @Test
    void apiRequestWhenBackOfficeTokenAtStorefrontApiThenAccessDenied() throws Exception {
        String access = server.post("/oauth2-token", BODY, "Content-Type", "application/json").text("access_token");
        Reply r = server.get("/storefront/api/users", "Content-Type", "application/vnd.api+json", "Authorization", "Bearer " + access);
        assertEquals(401, r.status());
        assertEquals("Bearer realm=\"oauthlet\", error=\"invalid_token\", error_description=\"the token is not meant for this resource\"",
                r.header("WWW-Authenticate"));
    }

    @Test
    void apiRequestWhenStorefrontTokenAtStorefrontApiThenServed() throws Exception {
        Reply login = server.post("/oauth2-token", """
                {"grant_type": "client_credentials", "client_id": "storefront client", "client_secret": "storefront secret"}""",
                "Content-Type", "application/json");
        Reply r = server.get("/storefront/api/users", "Authorization", "Bearer " + login.text("access_token"));
        assertEquals(200, r.status(), r.body());
        assertEquals("storefront", r.json().get("aud").asText());
    }

    @Test
    void headerCommandsWhenRunAsPrintedThenTheStorefrontDeniesTheBackOfficeTokenAndTheBackOfficeServesIt() throws Exception {
        String script = ShellSnippets.headerCommands(java.nio.file.Path.of(System.getProperty("basedir", "."), "examples", "seed-004.yml"));
        assertEquals(3, script.lines().filter(l -> l.contains("curl ")).count(), script);
        String out = ShellSnippets.run(script, server.running().port());
        assertTrue(out.startsWith("HTTP/1.1 401 "), out);
        assertTrue(out.contains("WWW-Authenticate: Bearer realm=\"oauthlet\", error=\"invalid_token\", error_description=\"the token is "
                + "not meant for this resource\""), out);
        assertTrue(out.endsWith("{\"sub\":\"your client identifier\",\"client_id\":\"your client identifier\",\"aud\":\"back-office\","
                + "\"scope\":\"\"}"), out);
    }

    @Test
    void clientCredentialsWhenSecretWrongThenInvalidClient() throws Exception {
        server.post("/oauth2-token", BODY.replace("your client secret", "a guess"), "Content-Type", "application/json")
                .assertError(401, "invalid_client");
    }
}
