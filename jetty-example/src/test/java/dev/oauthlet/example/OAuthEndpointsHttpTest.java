package dev.oauthlet.example;

import com.fasterxml.jackson.databind.JsonNode;
import dev.oauthlet.crypto.SecretHasher;
import dev.oauthlet.example.SeedServer.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The token, revocation and introspection endpoints over real HTTP: every refusal is RFC 6749
 * §5.2 JSON with the right status and no-store headers — never a stack trace, never a 500.
 */
class OAuthEndpointsHttpTest {

    static final String FORM = "application/x-www-form-urlencoded";
    static final String JSON = "application/json";
    static final String APP = SeedServer.basic("app", "app-secret");
    static final String RS = SeedServer.basic("resource-server", "rs-secret");

    static SeedServer server;

    @BeforeAll
    static void start() throws Exception {
        SecretHasher cheap = new SecretHasher(1000);
        server = SeedServer.start(SeedServer.yaml("""
                signing: {algorithm: ES256}
                audiences: [api]
                clients:
                  - id: app
                    secret-hash: "%s"
                    grants: [client_credentials, refresh_token]
                    scopes: [read, write]
                    refresh-token-for-client-credentials: true
                  - id: resource-server
                    secret-hash: "%s"
                    grants: [client_credentials]
                    introspect-audiences: [api]
                example:
                  resources: [{path: /api/*, audience: api, filter: {revocation-check: "true"}}]
                """.formatted(cheap.hash("app-secret"), cheap.hash("rs-secret"))));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static Reply token(String body, String... headers) throws Exception {
        return server.post("/oauth/token", body, headers);
    }

    @Test
    void tokenWhenParameterSentTwiceThenInvalidRequest() throws Exception {
        Reply r = token("grant_type=client_credentials&scope=read&scope=write", "Authorization", APP, "Content-Type", FORM);
        r.assertError(400, "invalid_request");
        assertEquals("parameter 'scope' was sent more than once", r.text("error_description"));
    }

    @Test
    void tokenWhenBasicAndClientSecretInBodyThenInvalidRequest() throws Exception {
        Reply r = token("grant_type=client_credentials&client_id=app&client_secret=app-secret", "Authorization", APP,
                "Content-Type", FORM);
        r.assertError(400, "invalid_request");
        assertEquals("the client authenticated twice (Basic and client_secret); use one method", r.text("error_description"));
    }

    @Test
    void tokenWhenTwoAuthorizationHeadersThenInvalidRequest() throws Exception {
        Reply r = token("grant_type=client_credentials", "Authorization", APP, "Authorization", APP, "Content-Type", FORM);
        r.assertError(400, "invalid_request");
        assertEquals("more than one Authorization header", r.text("error_description"));
    }

    @Test
    void tokenWhenScopeNotAllowedThenInvalidScope() throws Exception {
        token("grant_type=client_credentials&scope=admin", "Authorization", APP, "Content-Type", FORM).assertError(400, "invalid_scope");
    }

    @Test
    void tokenWhenGrantTypeUnknownThenUnsupportedGrantType() throws Exception {
        token("grant_type=urn%3Aexample%3Amagic", "Authorization", APP, "Content-Type", FORM).assertError(400, "unsupported_grant_type");
    }

    @Test
    void tokenWhenClientSecretWrongThenInvalidClientWithBasicChallenge() throws Exception {
        Reply r = token("grant_type=client_credentials", "Authorization", SeedServer.basic("app", "nope"), "Content-Type", FORM);
        r.assertError(401, "invalid_client");
        assertTrue(r.header("WWW-Authenticate").startsWith("Basic realm="), r.header("WWW-Authenticate"));
    }

    @Test
    void tokenWhenMethodIsPutThen405AsJson() throws Exception {
        Reply r = server.send("PUT", "/oauth/token", "grant_type=client_credentials", "Authorization", APP, "Content-Type", FORM);
        r.assertError(405, "invalid_request");
        assertEquals("POST", r.header("Allow"));
    }

    @Test
    void tokenWhenGetOnAPathWithoutQueryFormatThen405AsJson() throws Exception {
        server.get("/oauth/token?grant_type=client_credentials&client_id=app&client_secret=app-secret").assertError(405, "invalid_request");
    }

    @Test
    void tokenWhenContentTypeUnsupportedThenUnsupportedMediaType() throws Exception {
        token("grant_type=client_credentials", "Authorization", APP, "Content-Type", "text/plain").assertError(415, "invalid_request");
    }

    @Test
    void tokenWhenJsonMalformedThenInvalidRequest() throws Exception {
        token("{\"grant_type\": ", "Authorization", APP, "Content-Type", JSON).assertError(400, "invalid_request");
    }

    @Test
    void tokenWhenJsonIsAnArrayThenInvalidRequest() throws Exception {
        token("[\"grant_type\"]", "Authorization", APP, "Content-Type", JSON).assertError(400, "invalid_request");
    }

    @Test
    void tokenWhenJsonValueIsNestedThenInvalidRequest() throws Exception {
        token("{\"grant_type\": {\"a\": 1}}", "Authorization", APP, "Content-Type", JSON).assertError(400, "invalid_request");
    }

    @Test
    void tokenWhenJsonBytesAreNotUtf8ThenInvalidRequest() throws Exception {
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.url() + "/oauth/token"))
                .header("Content-Type", JSON).header("Authorization", APP)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'}))
                .build();
        var r = java.net.http.HttpClient.newHttpClient().send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(r.body().contains("\"invalid_request\""), r.body());
    }

    @Test
    void tokenWhenPercentEncodingBrokenThenInvalidRequest() throws Exception {
        token("grant_type=client_credentials&scope=%zz", "Authorization", APP, "Content-Type", FORM).assertError(400, "invalid_request");
    }

    @Test
    void tokenWhenBodyTooLargeThenPayloadTooLarge() throws Exception {
        token("grant_type=client_credentials&scope=" + "a".repeat(20_000), "Authorization", APP, "Content-Type", FORM)
                .assertError(413, "invalid_request");
    }

    @Test
    void tokenWhenNoContentTypeAndJsonBodyThenReadAsJson() throws Exception {
        token("{\"grant_type\": \"client_credentials\"}", "Authorization", APP).assertStatus(200);
    }

    @Test
    void tokenWhenNumericJsonValueInProtocolParameterThenInvalidRequest() throws Exception {
        Reply r = token("{\"grant_type\": \"client_credentials\", \"scope\": 12}", "Authorization", APP, "Content-Type", JSON);
        r.assertError(400, "invalid_request");
        assertEquals("parameter 'scope' must be a string", r.text("error_description"));
    }

    @Test
    void revocationWhenAccessTokenRevokedThenEmpty200AndTheTokenIsDeadEverywhere() throws Exception {
        String access = token("grant_type=client_credentials", "Authorization", APP, "Content-Type", FORM).text("access_token");
        assertEquals(200, server.get("/api/me", "Authorization", "Bearer " + access).status());

        Reply revoked = server.post("/oauth/revoke", "token=" + access + "&token_type_hint=access_token", "Authorization", APP,
                "Content-Type", FORM);
        revoked.assertStatus(200);
        assertEquals("", revoked.body());

        Reply resource = server.get("/api/me", "Authorization", "Bearer " + access);
        assertEquals(401, resource.status());
        assertTrue(resource.header("WWW-Authenticate").contains("error=\"invalid_token\""));
        Reply introspected = server.post("/oauth/introspect", "token=" + access, "Authorization", RS, "Content-Type", FORM);
        introspected.assertStatus(200);
        assertEquals("{\"active\":false}", introspected.body());
    }

    @Test
    void revocationWhenRefreshTokenRevokedThenRefreshIsInvalidGrant() throws Exception {
        String refresh = token("grant_type=client_credentials", "Authorization", APP, "Content-Type", FORM).text("refresh_token");
        server.post("/oauth/revoke", "{\"token\": \"" + refresh + "\"}", "Authorization", APP, "Content-Type", JSON).assertStatus(200);
        token("grant_type=refresh_token&refresh_token=" + refresh, "Authorization", APP, "Content-Type", FORM).assertError(400, "invalid_grant");
    }

    @Test
    void revocationWhenClientNotAuthenticatedThenInvalidClient() throws Exception {
        server.post("/oauth/revoke", "token=whatever", "Content-Type", FORM).assertError(401, "invalid_client");
    }

    @Test
    void revocationWhenTokenMissingThenInvalidRequest() throws Exception {
        server.post("/oauth/revoke", "token_type_hint=access_token", "Authorization", APP, "Content-Type", FORM).assertError(400, "invalid_request");
    }

    @Test
    void introspectionWhenActiveAccessTokenThenItsClaims() throws Exception {
        String access = token("grant_type=client_credentials&scope=write", "Authorization", APP, "Content-Type", FORM).text("access_token");
        Reply r = server.post("/oauth/introspect", "token=" + access, "Authorization", RS, "Content-Type", FORM);
        r.assertStatus(200);
        JsonNode j = r.json();
        assertTrue(j.get("active").asBoolean());
        assertEquals("write", j.get("scope").asText());
        assertEquals("app", j.get("client_id").asText());
        assertEquals("api", j.get("aud").asText());
        assertEquals(server.url(), j.get("iss").asText());
    }

    @Test
    void introspectionWhenClientNotAuthenticatedThenInvalidClient() throws Exception {
        server.post("/oauth/introspect", "token=whatever", "Content-Type", FORM).assertError(401, "invalid_client");
    }

    @Test
    void metadataWhenServedThenAdvertisesRevocationAndIntrospection() throws Exception {
        Reply r = server.get("/.well-known/oauth-authorization-server");
        assertEquals(200, r.status());
        JsonNode j = r.json();
        assertEquals(server.url() + "/oauth/revoke", j.get("revocation_endpoint").asText());
        assertEquals(server.url() + "/oauth/introspect", j.get("introspection_endpoint").asText());
        assertTrue(j.get("introspection_endpoint_auth_methods_supported").toString().contains("client_secret_basic"));
        assertTrue(j.get("grant_types_supported").toString().contains("refresh_token"));
        assertFalse(j.get("introspection_endpoint_auth_methods_supported").toString().contains("none"));
    }

    /**
     * An answer sent before the request's body was read (a wrong method, an unsupported type, the
     * Bearer filter's refusal) says {@code Connection: close}, and the connection is closed: the
     * container drops only the part of the body that has arrived, so a client that kept the
     * connection for its next request would see it closed under that request instead of an answer.
     */
    @Test
    void answerSentBeforeTheBodyIsReadClosesTheConnectionAndSaysSo() throws Exception {
        assertClosingAnswer("PUT", "/oauth/token", FORM, APP, 405);
        assertClosingAnswer("POST", "/oauth/token", "text/plain", APP, 415);
        assertClosingAnswer("POST", "/api/orders", FORM, null, 401);
        assertClosingAnswer("POST", "/api/orders", FORM, "Bearer not-a-token", 401);
    }

    /** Sends only the head of a request that declares a 29-byte body, reads the answer, and expects the server to close. */
    private static void assertClosingAnswer(String method, String path, String type, String authorization, int status) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.running().port())) {
            socket.setSoTimeout(10_000);
            String head = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + type
                    + "\r\nContent-Length: 29\r\n" + (authorization == null ? "" : "Authorization: " + authorization + "\r\n") + "\r\n";
            socket.getOutputStream().write(head.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            java.io.InputStream in = socket.getInputStream();
            String answer = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
            String label = method + " " + path + ": " + answer;
            assertTrue(answer.startsWith("HTTP/1.1 " + status + " "), label);
            String headers = answer.substring(0, answer.indexOf("\r\n\r\n")).toLowerCase(java.util.Locale.ROOT);
            assertTrue(headers.contains("\r\nconnection: close"), label);
        }
    }
}
