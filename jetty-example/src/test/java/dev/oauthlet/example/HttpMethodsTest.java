package dev.oauthlet.example;

import dev.oauthlet.example.SeedServer.Reply;
import dev.oauthlet.crypto.SecretHasher;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Every Oauthlet servlet refuses the methods it does not serve with {@code 405}, an {@code Allow}
 * header and RFC 6749 JSON — TRACE above all, which {@code HttpServlet} would answer by echoing
 * the request, session cookie included (cross-site tracing) — and no answer names the server's version.
 */
class HttpMethodsTest {

    /** Each path with the {@code Allow} it must answer. */
    static final List<String[]> PATHS = List.of(
            new String[] {"/oauth/token", "POST"},
            new String[] {"/oauth/refresh", "POST"},
            new String[] {"/oauth/revoke", "POST"},
            new String[] {"/oauth/introspect", "POST"},
            new String[] {"/oauth/authorize", "GET, POST"},
            new String[] {"/oauth/logout", "GET, POST"},
            new String[] {"/oauth/jwks", "GET, HEAD"},
            new String[] {"/.well-known/oauth-authorization-server", "GET, HEAD"},
            new String[] {"/.well-known/openid-configuration", "GET, HEAD"},
            new String[] {"/oauth/userinfo", "GET, POST"});

    static SeedServer server;

    @BeforeAll
    static void start() throws Exception {
        SecretHasher cheap = new SecretHasher(1000);
        server = SeedServer.start(SeedServer.yaml("""
                audiences: [api]
                endpoints: {refresh: /oauth/refresh}
                clients:
                  - id: web
                    secret-hash: "%s"
                    grants: [authorization_code, refresh_token]
                    redirect-uris: [https://app.example/cb]
                example:
                  resources: [{path: /api/*, audience: api}]
                """.formatted(cheap.hash("web-secret"))));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void serviceWhenTraceThen405WithAllowAndNoEcho() throws Exception {
        for (String[] p : PATHS) {
            Reply r = server.send("TRACE", p[0], null, "Cookie", "oauthlet_session=secret-session-value");
            r.assertError(405, "invalid_request");
            assertEquals(p[1], r.header("Allow"), p[0]);
            assertFalse(r.body().contains("secret-session-value"), p[0] + " echoed the request: " + r.body());
        }
    }

    @Test
    void serviceWhenMethodNotServedThen405WithAllow() throws Exception {
        for (String method : List.of("OPTIONS", "PUT", "DELETE", "PATCH")) {
            for (String[] p : PATHS) {
                Reply r = server.send(method, p[0], method.equals("OPTIONS") || method.equals("DELETE") ? null : "x=y");
                r.assertError(405, "invalid_request");
                assertEquals(p[1], r.header("Allow"), method + " " + p[0]);
            }
        }
    }

    @Test
    void serviceWhenHeadOnJwksThenServedWithoutBody() throws Exception {
        Reply r = server.send("HEAD", "/oauth/jwks", null);
        assertEquals(200, r.status());
        assertEquals("", r.body());
    }

    @Test
    void resourceWhenTraceWithoutTokenThenRefusedBeforeAnyEcho() throws Exception {
        Reply r = server.send("TRACE", "/api/me", null, "Cookie", "c=secret-session-value");
        assertEquals(401, r.status());
        assertFalse(r.body().contains("secret-session-value"));
    }

    @Test
    void anyAnswerWhenServedThenNoServerVersion() throws Exception {
        assertNull(server.get("/oauth/jwks").header("Server"));
        assertNull(server.send("TRACE", "/oauth/token", null).header("Server"));
        assertNull(server.get("/nowhere").header("Server"));
    }
}
