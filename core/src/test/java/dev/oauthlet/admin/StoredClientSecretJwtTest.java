package dev.oauthlet.admin;

import static dev.oauthlet.TestServers.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oauthlet.Oauthlet;
import dev.oauthlet.TestServers;
import dev.oauthlet.audit.Actor;
import dev.oauthlet.client.ClientAuthMethod;
import dev.oauthlet.client.ClientRegistration;
import dev.oauthlet.config.OauthletConfig;
import dev.oauthlet.crypto.KeyEncryptionKey;
import dev.oauthlet.crypto.KeyEncryptionKeys;
import dev.oauthlet.error.ErrorCode;
import dev.oauthlet.protocol.TokenRequest;
import dev.oauthlet.protocol.TokenResponse;
import io.jsonwebtoken.Jwts;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** client_secret_jwt for clients of the administration API: the secret kept sealed under the key-encryption key. */
class StoredClientSecretJwtTest {

    private static final KeyEncryptionKeys KEK = KeyEncryptionKeys.of(KeyEncryptionKey.generate());

    private static Oauthlet server(KeyEncryptionKeys keks) {
        OauthletConfig c = TestServers.config("audiences: [api]\n");
        return Oauthlet.builder().config(c.withSigning(c.signing().withKeyEncryption(keks))).issuer(TestServers.ISSUER).build();
    }

    private final Oauthlet server = server(KEK);
    private final Administration admin = server.administration(Actor.API);

    @AfterEach
    void close() {
        server.close();
    }

    private static NewClient hmacClient(String id) {
        return NewClient.confidential(id, Set.of("client_credentials")).withAuthMethod(ClientAuthMethod.CLIENT_SECRET_JWT);
    }

    private TokenResponse token(String clientId, String secret) {
        String assertion = Jwts.builder().issuer(clientId).subject(clientId).claim("aud", TestServers.ISSUER)
                .id(UUID.randomUUID().toString()).expiration(java.util.Date.from(Instant.now().plusSeconds(60)))
                .signWith(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"), Jwts.SIG.HS256).compact();
        return TestServers.token(server, "grant_type", "client_credentials", "client_assertion_type", TokenRequest.JWT_BEARER,
                "client_assertion", assertion);
    }

    @Test
    void addClientWhenClientSecretJwtThenSecretStoredOnlySealedAndItsAssertionsGetTokens() {
        CreatedClient created = admin.addClient(hmacClient("reports"));

        assertNotNull(token("reports", created.secret()).accessToken());
        ClientRegistration stored = server.storage().clients().findById("reports").orElseThrow();
        assertEquals(List.of(), stored.secrets(), "no hash: HMAC cannot verify against one");
        assertEquals(Optional.of(KEK.current().id()), stored.keys().sealedUnder());
        assertFalse(stored.keys().sealedSecret().contains(created.secret()));
        assertEquals(Optional.of(created.secret()), stored.keys().openSecret("reports", KEK));
        assertRefused(ErrorCode.INVALID_CLIENT, () -> token("reports", created.secret().replace(created.secret().charAt(0), '~')));
    }

    /** The client id is the sealed secret's associated data: another client's sealed secret does not open as its own. */
    @Test
    void tokenWhenSealedSecretCopiedFromAnotherClientThenInvalidClient() {
        CreatedClient a = admin.addClient(hmacClient("a"));
        admin.addClient(hmacClient("b"));
        ClientRegistration b = server.storage().clients().findById("b").orElseThrow();
        ClientRegistration fromA = server.storage().clients().findById("a").orElseThrow();
        server.storage().clients().save(b.withKeys(fromA.keys(), b.dpop()));

        assertRefused(ErrorCode.INVALID_CLIENT, () -> token("b", a.secret()));
        assertNotNull(token("a", a.secret()).accessToken());
    }

    @Test
    void rotateSecretWhenClientSecretJwtThenOnlyWithoutOverlapAndTheNewSecretReplacesTheOld() {
        CreatedClient created = admin.addClient(hmacClient("reports"));

        AdminException overlap = assertThrows(AdminException.class, () -> admin.rotateSecret("reports", Duration.ofHours(1)));
        assertTrue(overlap.getMessage().contains("rotate it with an overlap of 0"), overlap.getMessage());
        String fresh = admin.rotateSecret("reports", Duration.ZERO);

        assertNotNull(token("reports", fresh).accessToken());
        assertRefused(ErrorCode.INVALID_CLIENT, () -> token("reports", created.secret()));
    }

    @Test
    void addClientWhenClientSecretJwtAndNoKekThenRefusedAndNothingStored() {
        try (Oauthlet plain = server(KeyEncryptionKeys.none())) {
            AdminException e = assertThrows(AdminException.class, () -> plain.administration(Actor.API).addClient(hmacClient("reports")));

            assertEquals(AdminException.Reason.INVALID, e.reason());
            assertTrue(e.getMessage().startsWith("client_secret_jwt for a client in the store needs signing.key-encryption-key"),
                    e.getMessage());
            assertTrue(plain.storage().clients().findById("reports").isEmpty());
        }
    }

    /** A start with a KEK that does not open the stored secrets is refused, as for signing keys. */
    @Test
    void startWhenStoredSecretsSealedUnderAnotherKekThenRefusedWithTheLine() {
        admin.addClient(hmacClient("reports"));
        OauthletConfig c = TestServers.config("audiences: [api]\n");
        KeyEncryptionKeys other = KeyEncryptionKeys.of(KeyEncryptionKey.generate());

        dev.oauthlet.spi.StorageException e = assertThrows(dev.oauthlet.spi.StorageException.class, () -> Oauthlet.builder()
                .config(c.withSigning(c.signing().withKeyEncryption(other))).issuer(TestServers.ISSUER).storage(server.storage()).build());

        assertTrue(e.getMessage().startsWith("signing.key-encryption-key: the client_secret_jwt secrets in the store were encrypted under "
                + "key-encryption key " + KEK.current().id() + "; the configured one is " + other.current().id()), e.getMessage());
    }
}
