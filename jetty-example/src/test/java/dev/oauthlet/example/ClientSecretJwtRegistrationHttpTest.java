package dev.oauthlet.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.auth.ClientSecretJWT;
import com.nimbusds.oauth2.sdk.assertions.jwt.JWTAssertionFactory;
import com.nimbusds.oauth2.sdk.auth.JWTAuthenticationClaimsSet;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.Audience;
import com.nimbusds.oauth2.sdk.id.ClientID;
import dev.oauthlet.config.ConfigLoader;
import dev.oauthlet.config.OauthletConfig;
import dev.oauthlet.crypto.SecretHasher;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dynamic registration of {@code client_secret_jwt} clients over HTTP: offered only where a
 * key-encryption key can seal the secret (the HMAC key), refused with {@code invalid_client_metadata}
 * otherwise; a registered client gets a token with an assertion made by an independent library
 * (Nimbus), and the H2 file keeps its secret sealed, never in clear.
 */
class ClientSecretJwtRegistrationHttpTest {

    private static final String INITIAL_TOKEN = "initial-access-token-for-client-secret-jwt";
    private static final String REGISTER = """
            {"client_name": "HMAC client", "grant_types": ["client_credentials"], "token_endpoint_auth_method": "client_secret_jwt"}""";

    private JettyExample.Running server;
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private static String kek() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    private static OauthletConfig config(String signing, String methods, Path store) {
        String yaml = """
                storage: {url: "jdbc:h2:file:%s"}
                signing: {algorithm: ES256%s}
                audiences: [back-office]
                scopes: {orders:read: See your orders}
                registration:
                  initial-access-token: [%s]
                  policy:
                    grants: [client_credentials]
                    token-endpoint-auth-methods: [%s]
                """.formatted(store.toString().replace('\\', '/'), signing, INITIAL_TOKEN, methods);
        return new ConfigLoader(ExampleConfigs.GRANTS, new SecretHasher(1000))
                .load("test.yml", new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    }

    private HttpResponse<String> register(String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.url() + "/oauth/register")).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + INITIAL_TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HTTPResponse tokenWithNimbusAssertion(String clientId, String secret) throws Exception {
        ClientSecretJWT assertion = new ClientSecretJWT(JWTAssertionFactory.create(new JWTAuthenticationClaimsSet(new ClientID(clientId),
                new Audience(server.oauthlet().issuer())), JWSAlgorithm.HS256, new Secret(secret)));
        return new TokenRequest(URI.create(server.url() + "/oauth/token"), assertion, new ClientCredentialsGrant(), null)
                .toHTTPRequest().send();
    }

    @Test
    void registerWhenClientSecretJwtAndAKeyEncryptionKeyThenNimbusAssertionGetsATokenAndTheSecretIsStoredSealedOnly(@TempDir Path dir)
            throws Exception {
        Path store = dir.resolve("oauthlet");
        server = JettyExample.createServer(config(", key-encryption-key: " + kek(), "client_secret_jwt, client_secret_basic", store), 0);

        HttpResponse<String> r = register(REGISTER);
        assertEquals(201, r.statusCode(), r.body());
        JsonNode reg = ExampleFixtures.json(r.body());
        assertEquals("client_secret_jwt", reg.get("token_endpoint_auth_method").asText());
        String id = reg.get("client_id").asText();
        String secret = reg.get("client_secret").asText();
        assertEquals(43, secret.length(), "256 random bits, base64url: a full HS256 key");
        assertEquals(0, reg.get("client_secret_expires_at").asLong());

        HTTPResponse token = tokenWithNimbusAssertion(id, secret);
        assertEquals(200, token.getStatusCode(), token.getBody());
        assertTrue(token.getBody().contains("\"access_token\""), token.getBody());
        HTTPResponse wrongKey = tokenWithNimbusAssertion(id, secret.substring(1) + "x");
        assertEquals(401, wrongKey.getStatusCode(), wrongKey.getBody());
        assertTrue(wrongKey.getBody().contains("invalid_client"), wrongKey.getBody());
        // The secret is the HMAC key, not a password: sent as one it does not authenticate.
        HttpResponse<String> basic = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/oauth/token"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, basic.statusCode(), basic.body());
        server.close();
        server = null;

        List<String> cells = new ArrayList<>();
        String sealed = null;
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + store, "", "");
             Statement s = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet t = s.executeQuery("SELECT table_name FROM information_schema.tables WHERE table_schema = 'PUBLIC'")) {
                while (t.next()) {
                    tables.add(t.getString(1));
                }
            }
            assertTrue(tables.size() > 5, tables.toString());
            for (String table : tables) {
                try (ResultSet rows = s.executeQuery("SELECT * FROM \"" + table + "\"")) {
                    int columns = rows.getMetaData().getColumnCount();
                    while (rows.next()) {
                        for (int i = 1; i <= columns; i++) {
                            cells.add(String.valueOf(rows.getObject(i)));
                        }
                    }
                }
            }
            try (ResultSet row = s.executeQuery("SELECT sealed_secret FROM oauthlet_client WHERE id = '" + id + "'")) {
                assertTrue(row.next(), "the registered client is stored");
                sealed = row.getString(1);
            }
        }
        assertNotNull(sealed, "the secret is kept sealed under the key-encryption key");
        assertFalse(sealed.contains(secret));
        assertTrue(cells.contains(id));
        for (String cell : cells) {
            assertFalse(cell.contains(secret), "a stored value holds the client secret in clear: " + cell);
        }
        byte[] file = Files.readAllBytes(dir.resolve("oauthlet.mv.db"));
        assertFalse(new String(file, StandardCharsets.ISO_8859_1).contains(secret), "the H2 file holds the client secret in clear");
    }

    @Test
    void registerWhenClientSecretJwtButNotOfferedThenInvalidClientMetadataNamingWhatIs(@TempDir Path dir) throws Exception {
        server = JettyExample.createServer(config(", key-encryption-key: " + kek(), "client_secret_basic, private_key_jwt",
                dir.resolve("oauthlet")), 0);

        HttpResponse<String> r = register(REGISTER);
        assertEquals(400, r.statusCode(), r.body());
        JsonNode error = ExampleFixtures.json(r.body());
        assertEquals("invalid_client_metadata", error.get("error").asText());
        assertEquals("token_endpoint_auth_method client_secret_jwt is not offered to registered clients (offered: client_secret_basic,"
                + " private_key_jwt)", error.get("error_description").asText());
        assertTrue(server.oauthlet().storage().clients().findAll().isEmpty(), "nothing was stored");
    }

    /**
     * An embedding application may build its configuration without the loader, which refuses
     * client_secret_jwt in the policy without a key-encryption key: registration then refuses it.
     */
    @Test
    void registerWhenClientSecretJwtOfferedButNoKeyEncryptionKeyThenInvalidClientMetadataAndNothingStored(@TempDir Path dir)
            throws Exception {
        OauthletConfig c = config(", key-encryption-key: " + kek(), "client_secret_jwt", dir.resolve("oauthlet"));
        server = JettyExample.createServer(c.withSigning(c.signing().withKeyEncryption(dev.oauthlet.crypto.KeyEncryptionKeys.none())), 0);

        HttpResponse<String> r = register(REGISTER);
        assertEquals(400, r.statusCode(), r.body());
        JsonNode error = ExampleFixtures.json(r.body());
        assertEquals("invalid_client_metadata", error.get("error").asText());
        assertTrue(error.get("error_description").asText().startsWith("client_secret_jwt for a client in the store needs"
                + " signing.key-encryption-key"), r.body());
        assertTrue(server.oauthlet().storage().clients().findAll().isEmpty(), "nothing was stored");
    }
}
