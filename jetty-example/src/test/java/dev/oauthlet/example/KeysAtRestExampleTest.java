package dev.oauthlet.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretJWT;
import com.nimbusds.oauth2.sdk.assertions.jwt.JWTAssertionFactory;
import com.nimbusds.oauth2.sdk.auth.JWTAuthenticationClaimsSet;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.Audience;
import com.nimbusds.oauth2.sdk.id.ClientID;
import dev.oauthlet.admin.AdminException;
import dev.oauthlet.admin.CreatedClient;
import dev.oauthlet.admin.NewClient;
import dev.oauthlet.audit.Actor;
import dev.oauthlet.client.ClientAuthMethod;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keys at rest as an operator meets them (docs/security.md#keys-at-rest): the example started from
 * a file on an H2 file, restarted with another key-encryption key, and a {@code client_secret_jwt}
 * client added through the administration API whose HMAC secret only the KEK opens.
 */
class KeysAtRestExampleTest {

    private static final String ISSUER = "https://auth.example.test";

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private static String randomKek() {
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        return Base64.getEncoder().encodeToString(raw);
    }

    /** The configuration file, with {@code signingLine} (the KEK, or nothing) under signing. */
    private Path config(String signingLine) throws Exception {
        Path file = dir.resolve("oauthlet.yml");
        Files.writeString(file, """
                issuer: %s
                storage:
                  url: jdbc:h2:file:%s
                signing:
                  algorithm: ES256
                  %s
                audiences: [orders]
                """.formatted(ISSUER, dir.resolve("data/oauthlet").toAbsolutePath(), signingLine));
        return file;
    }

    private JettyExample.Launch launch(Path config) throws Exception {
        return JettyExample.launch(new String[] {"--config", config.toString(), "--port", "0"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private HTTPResponse tokenRequest(JettyExample.Running server, String clientId, String secret) throws Exception {
        // RFC 7523bis: aud is the issuer identifier.
        JWTAuthenticationClaimsSet claims = new JWTAuthenticationClaimsSet(new ClientID(clientId), new Audience(ISSUER));
        ClientSecretJWT auth = new ClientSecretJWT(JWTAssertionFactory.create(claims, JWSAlgorithm.HS256, new Secret(secret)));
        return new TokenRequest(URI.create(server.url() + "/oauth/token"), auth, new ClientCredentialsGrant(), null).toHTTPRequest().send();
    }

    private static NewClient hmacClient(String id) {
        return new NewClient(id, null, false, Set.of("client_credentials"), "orders", List.of("orders:read"), List.of(), null, null)
                .withAuthMethod(ClientAuthMethod.CLIENT_SECRET_JWT);
    }

    @Test
    void launchWhenStoreKeysWereEncryptedUnderAnotherKekThenOneLineAndExitOne() throws Exception {
        String first = randomKek();
        JettyExample.Launch started = launch(config("key-encryption-key: " + first));
        assertEquals(0, started.exitCode(), err.toString(StandardCharsets.UTF_8));
        started.running().close();

        JettyExample.Launch refused = launch(config("key-encryption-key: " + randomKek()));

        assertEquals(1, refused.exitCode());
        assertNull(refused.running());
        List<String> lines = err.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(1, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).startsWith("signing.key-encryption-key: the signing keys in the store were encrypted under key-encryption key "
                + dev.oauthlet.crypto.KeyEncryptionKey.parse(first).id() + "; the configured one is kek-"), lines.get(0));
        assertFalse(lines.get(0).contains(first), "never the key itself");
    }

    @Test
    void tokenWhenStoredClientSecretJwtClientSignsWithItsSecretThenTokenAlsoAfterARestart() throws Exception {
        String kek = randomKek();
        Path config = config("key-encryption-key: " + kek);
        CreatedClient created;
        try (JettyExample.Running server = launch(config).running()) {
            created = server.oauthlet().administration(Actor.API).addClient(hmacClient("reports"));
            assertNotNull(created.secret());

            TokenResponse r = TokenResponse.parse(tokenRequest(server, "reports", created.secret()));
            assertTrue(r.indicatesSuccess(), () -> r.toErrorResponse().getErrorObject().toString());
            String token = r.toSuccessResponse().getTokens().getAccessToken().getValue();
            assertEquals("reports", server.oauthlet().verifier().verify(token).clientId());

            HTTPResponse wrong = tokenRequest(server, "reports", created.secret().substring(1) + "x");
            assertEquals(401, wrong.getStatusCode());
            assertEquals("invalid_client", TokenErrorResponse.parse(wrong).getErrorObject().getCode());

            try (Connection c = DriverManager.getConnection(
                    server.oauthlet().config().storage().url() + ";DB_CLOSE_ON_EXIT=FALSE", "", "");
                 ResultSet rs = c.createStatement().executeQuery(
                         "SELECT secret_hash, sealed_secret FROM oauthlet_client WHERE id = 'reports'")) {
                assertTrue(rs.next());
                assertNull(rs.getString(1), "no hash: HMAC needs the secret itself");
                String sealed = rs.getString(2);
                assertTrue(sealed.startsWith(dev.oauthlet.crypto.KeyEncryptionKey.parse(kek).id() + ":"), sealed);
                assertFalse(sealed.contains(created.secret()), "the column holds no plain secret");
            }
        }

        try (JettyExample.Running again = launch(config).running()) {
            TokenResponse r = TokenResponse.parse(tokenRequest(again, "reports", created.secret()));
            assertTrue(r.indicatesSuccess(), () -> r.toErrorResponse().getErrorObject().toString());
        }
    }

    /** {@code clients add --auth-method client_secret_jwt}, run as a user types it, goes to the running server's admin endpoint. */
    @Test
    void clientsAddWhenAuthMethodClientSecretJwtThenPrintedSecretSignsAssertionsThatGetTokens() throws Exception {
        Path config = config("key-encryption-key: " + randomKek());
        try (JettyExample.Running server = launch(config).running()) {
            ByteArrayOutputStream cliOut = new ByteArrayOutputStream();
            JettyExample.Launch cli = JettyExample.launch(new String[] {"clients", "add", "--id", "cli-hmac", "--grants",
                    "client_credentials", "--scopes", "orders:read", "--auth-method", "client_secret_jwt", "--config", config.toString()},
                    new java.io.ByteArrayInputStream(new byte[0]), new PrintStream(cliOut, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            assertEquals(0, cli.exitCode(), err.toString(StandardCharsets.UTF_8));
            String printed = cliOut.toString(StandardCharsets.UTF_8);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^secret: (\\S+)$").matcher(printed);
            assertTrue(m.find(), printed);

            TokenResponse r = TokenResponse.parse(tokenRequest(server, "cli-hmac", m.group(1)));
            assertTrue(r.indicatesSuccess(), () -> r.toErrorResponse().getErrorObject().toString());
        }
    }

    @Test
    void addClientWhenClientSecretJwtWithoutKekThenRefusedSayingWhy() throws Exception {
        try (JettyExample.Running server = launch(config("")).running()) {
            AdminException e = assertThrows(AdminException.class,
                    () -> server.oauthlet().administration(Actor.API).addClient(hmacClient("reports")));

            assertTrue(e.getMessage().startsWith("client_secret_jwt for a client in the store needs signing.key-encryption-key: HMAC "
                    + "needs the secret itself, which is kept encrypted under that key"), e.getMessage());
            assertTrue(server.oauthlet().administration(Actor.API).client("reports").isEmpty());
        }
    }
}
