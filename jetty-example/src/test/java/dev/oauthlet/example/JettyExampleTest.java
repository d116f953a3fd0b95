package dev.oauthlet.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.oauthlet.config.OauthletConfig;
import dev.oauthlet.config.StorageConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example over real HTTP: the bundled demo configuration on an H2 file database, on a free port. */
class JettyExampleTest {

    /** The demo's {@code storefront-app} secret (generated, as {@code clients add} makes them). */
    private static final String STOREFRONT_SECRET = "RYyQ7J0QfHLX_KzNKCbJg7NpBtcYlkABTLDHY1DAbuw";

    @TempDir
    static Path dir;
    private static JettyExample.Running server;
    private static String url;

    static OauthletConfig demoOn(Path db) {
        return JettyExample.demoConfig().withStorage(StorageConfig.jdbc("jdbc:h2:file:" + db.resolve("oauthlet"), "sa", ""));
    }

    @BeforeAll
    static void start() throws Exception {
        server = JettyExample.createServer(demoOn(dir), 0);
        url = server.url();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static String token(String clientId, String secret) {
        Http.Response r = Http.postForm(url + "/oauth/token", Http.basic(clientId, secret), Http.form("grant_type", "client_credentials"));
        assertEquals(200, r.status(), r.body());
        return r.json().get("access_token").asText();
    }

    private static void assertNoStore(Http.Response r) {
        assertEquals("no-store", r.header("Cache-Control"));
        assertEquals("no-cache", r.header("Pragma"));
    }

    @Test
    void tokenWhenBasicCredentialsThenRfc6749Response() {
        Http.Response r = Http.postForm(url + "/oauth/token", Http.basic("backoffice-app", JettyExample.DEMO_BACKOFFICE_SECRET),
                Http.form("grant_type", "client_credentials"));
        assertEquals(200, r.status(), r.body());
        assertTrue(r.header("Content-Type").startsWith("application/json"));
        assertNoStore(r);
        JsonNode body = r.json();
        assertEquals("Bearer", body.get("token_type").asText());
        assertEquals(3600, body.get("expires_in").asInt());
        assertEquals("orders:read orders:write", body.get("scope").asText());
        assertNull(body.get("refresh_token"));
        assertEquals(3, body.get("access_token").asText().split("\\.").length, "a JWS compact serialization");
    }

    @Test
    void tokenWhenBodyCredentialsInFormThenIssued() {
        Http.Response r = Http.postForm(url + "/oauth/token", null,
                Http.form("grant_type", "client_credentials", "client_id", "storefront-app", "client_secret", STOREFRONT_SECRET));
        assertEquals(200, r.status(), r.body());
        assertEquals("catalog:read cart:write", r.json().get("scope").asText(), "scopes are written in the client's order");
    }

    @Test
    void tokenWhenBodyCredentialsInJsonThenIssued() {
        Http.Response r = Http.post(url + "/oauth/token", null, "application/json",
                "{\"grant_type\":\"client_credentials\",\"client_id\":\"storefront-app\",\"client_secret\":\"" + STOREFRONT_SECRET + "\"}");
        assertEquals(200, r.status(), r.body());
        assertEquals("Bearer", r.json().get("token_type").asText());
    }

    @Test
    void tokenWhenSecretWrongThenInvalidClientWithBasicChallenge() {
        Http.Response r = Http.postForm(url + "/oauth/token", Http.basic("backoffice-app", "wrong"), Http.form("grant_type", "client_credentials"));
        assertEquals(401, r.status());
        assertEquals("invalid_client", r.json().get("error").asText());
        assertEquals("Basic realm=\"" + url + "\", charset=\"UTF-8\"", r.header("WWW-Authenticate"));
        assertNoStore(r);
        assertNull(r.json().get("access_token"));
    }

    @Test
    void tokenWhenBodySecretWrongThenInvalidClientWithoutChallenge() {
        Http.Response r = Http.postForm(url + "/oauth/token", null,
                Http.form("grant_type", "client_credentials", "client_id", "backoffice-app", "client_secret", "wrong"));
        assertEquals(401, r.status());
        assertEquals("invalid_client", r.json().get("error").asText());
        assertNull(r.header("WWW-Authenticate"));
    }

    @Test
    void tokenWhenGrantTypeMissingThenInvalidRequest() {
        Http.Response r = Http.postForm(url + "/oauth/token", Http.basic("backoffice-app", JettyExample.DEMO_BACKOFFICE_SECRET), Http.form("scope", "orders:read"));
        assertEquals(400, r.status());
        assertEquals("invalid_request", r.json().get("error").asText());
        assertEquals("grant_type is missing", r.json().get("error_description").asText());
        assertNoStore(r);
    }

    @Test
    void tokenWhenGrantTypeUnknownThenUnsupportedGrantType() {
        Http.Response r = Http.postForm(url + "/oauth/token", Http.basic("backoffice-app", JettyExample.DEMO_BACKOFFICE_SECRET), Http.form("grant_type", "magic"));
        assertEquals(400, r.status());
        assertEquals("unsupported_grant_type", r.json().get("error").asText());
    }

    @Test
    void tokenWhenGrantNotAllowedForClientThenUnauthorizedClient() {
        Http.Response r = Http.postForm(url + "/oauth/token", Http.basic("backoffice-app", JettyExample.DEMO_BACKOFFICE_SECRET),
                Http.form("grant_type", "password", "username", "u", "password", "p"));
        assertEquals(400, r.status());
        assertEquals("unauthorized_client", r.json().get("error").asText());
    }

    @Test
    void tokenWhenContentTypeUnsupportedThenUnsupportedMediaType() {
        Http.Response r = Http.post(url + "/oauth/token", null, "text/plain", "grant_type=client_credentials");
        assertEquals(415, r.status());
        assertEquals("invalid_request", r.json().get("error").asText());
    }

    @Test
    void tokenWhenGetAndQueryNotConfiguredThenMethodNotAllowed() {
        Http.Response r = Http.get(url + "/oauth/token?grant_type=client_credentials&client_id=backoffice-app&client_secret=" + JettyExample.DEMO_BACKOFFICE_SECRET, null);
        assertEquals(405, r.status());
        assertEquals("POST", r.header("Allow"));
        assertEquals("invalid_request", r.json().get("error").asText());
    }

    @Test
    void tokenWhenJsonMalformedThenInvalidRequestNotServerError() {
        Http.Response r = Http.post(url + "/oauth/token", null, "application/json", "{\"grant_type\": ");
        assertEquals(400, r.status());
        assertEquals("invalid_request", r.json().get("error").asText());
    }

    @Test
    void resourceWhenStorefrontTokenThenBackOfficeRefusesAndStorefrontAccepts() {
        String token = token("storefront-app", STOREFRONT_SECRET);
        Http.Response refused = Http.get(url + "/api/back-office/me", "Bearer " + token);
        assertEquals(401, refused.status());
        String challenge = refused.header("WWW-Authenticate");
        assertTrue(challenge.startsWith("Bearer realm=\"oauthlet\", error=\"invalid_token\""), challenge);

        Http.Response ok = Http.get(url + "/api/storefront/me", "Bearer " + token);
        assertEquals(200, ok.status(), ok.body());
        JsonNode me = ok.json();
        assertEquals("storefront-app", me.get("sub").asText());
        assertEquals("storefront-app", me.get("client_id").asText());
        assertEquals("storefront", me.get("aud").asText());
        assertEquals("cart:write catalog:read", me.get("scope").asText());
    }

    @Test
    void resourceWhenBackOfficeTokenThenStorefrontRefuses() {
        String token = token("backoffice-app", JettyExample.DEMO_BACKOFFICE_SECRET);
        assertEquals(200, Http.get(url + "/api/back-office/me", "Bearer " + token).status());
        assertEquals(401, Http.get(url + "/api/storefront/me", "Bearer " + token).status());
    }

    @Test
    void resourceWhenNoTokenThenBareBearerChallenge() {
        Http.Response r = Http.get(url + "/api/back-office/me", null);
        assertEquals(401, r.status());
        assertEquals("Bearer realm=\"oauthlet\"", r.header("WWW-Authenticate"));
    }

    @Test
    void resourceWhenTokenTamperedThenInvalidToken() {
        String token = token("backoffice-app", JettyExample.DEMO_BACKOFFICE_SECRET);
        String[] parts = token.split("\\.");
        String tampered = parts[0] + "." + parts[1] + "." + (parts[2].startsWith("A") ? "B" : "A") + parts[2].substring(1);
        Http.Response r = Http.get(url + "/api/back-office/me", "Bearer " + tampered);
        assertEquals(401, r.status());
        assertTrue(r.header("WWW-Authenticate").contains("error=\"invalid_token\""));
    }

    @Test
    void healthWhenServingThen200UpAndHeadAnswersTheSame() {
        Http.Response r = Http.get(url + "/health", null);
        assertEquals(200, r.status(), r.body());
        assertEquals("{\"status\":\"UP\",\"checks\":{\"store\":\"UP\",\"signing_key\":\"UP\"}}", r.body());
        assertEquals(405, Http.post(url + "/health", null, "application/json", "{}").status());
    }

    @Test
    void metadataWhenFetchedThenNamesEndpointsOfThisServer() {
        Http.Response r = Http.get(url + "/.well-known/oauth-authorization-server", null);
        assertEquals(200, r.status());
        JsonNode m = r.json();
        assertEquals(url, m.get("issuer").asText());
        assertEquals(url + "/oauth/token", m.get("token_endpoint").asText());
        assertEquals(url + "/oauth/jwks", m.get("jwks_uri").asText());
        assertTrue(m.get("grant_types_supported").toString().contains("client_credentials"));
        assertTrue(m.get("token_endpoint_auth_methods_supported").toString().contains("client_secret_basic"));
        assertTrue(m.get("scopes_supported").toString().contains("orders:read"));
    }

    @Test
    void jwksWhenFetchedThenPublishesTheSigningKeyOfIssuedTokens() throws Exception {
        String token = token("backoffice-app", JettyExample.DEMO_BACKOFFICE_SECRET);
        String header = new String(java.util.Base64.getUrlDecoder().decode(token.split("\\.")[0]), java.nio.charset.StandardCharsets.UTF_8);
        JsonNode h = new com.fasterxml.jackson.databind.ObjectMapper().readTree(header);
        assertEquals("at+jwt", h.get("typ").asText());
        assertEquals("RS256", h.get("alg").asText());
        Http.Response r = Http.get(url + "/oauth/jwks", null);
        assertEquals(200, r.status());
        JsonNode key = r.json().get("keys").get(0);
        assertEquals(h.get("kid").asText(), key.get("kid").asText());
        assertEquals("RSA", key.get("kty").asText());
        assertNotNull(key.get("n"));
        assertNull(key.get("d"), "never the private part");
    }

    @Test
    void restartWhenSameDatabaseThenTokenIssuedBeforeIsStillAccepted(@TempDir Path other) throws Exception {
        String token;
        int port;
        try (JettyExample.Running first = JettyExample.createServer(demoOn(other), 0)) {
            port = first.port();
            token = Http.postForm(first.url() + "/oauth/token", Http.basic("backoffice-app", JettyExample.DEMO_BACKOFFICE_SECRET),
                    Http.form("grant_type", "client_credentials")).json().get("access_token").asText();
        }
        // Same port, so the derived issuer is the same; the key must come back from the database.
        try (JettyExample.Running second = JettyExample.createServer(demoOn(other), port)) {
            Http.Response r = Http.get(second.url() + "/api/back-office/me", "Bearer " + token);
            assertEquals(200, r.status(), r.body());
            assertEquals("backoffice-app", r.json().get("sub").asText());
        }
    }
}
