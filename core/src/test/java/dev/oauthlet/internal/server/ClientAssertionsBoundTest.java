package dev.oauthlet.internal.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oauthlet.TestConfigs;
import dev.oauthlet.client.ClientAuthMethod;
import dev.oauthlet.client.ClientKeys;
import dev.oauthlet.client.ClientRegistration;
import dev.oauthlet.client.DpopMode;
import dev.oauthlet.client.Origin;
import dev.oauthlet.error.OAuthException;
import dev.oauthlet.internal.memory.MemoryStorage;
import dev.oauthlet.key.RemoteKeyResolver;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Jwks;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The keys {@link ClientAssertions} keeps per {@code private_key_jwt} client stay bounded however
 * many clients register themselves, and a client whose keys change gets the new ones in place of
 * the old entry.
 */
class ClientAssertionsBoundTest {

    private static final String ISSUER = TestConfigs.ISSUER;
    private static final int CAP = 8;

    private final ClientAssertions assertions = new ClientAssertions(ISSUER, null, false, new MemoryStorage().usedJtis(),
            c -> Optional.empty(), RemoteKeyResolver.Settings.defaults(), Duration.ofSeconds(30), Clock.systemUTC(), false, CAP);

    private static String jwks(KeyPair key) {
        return dev.oauthlet.protocol.Json.write(Map.of("keys", List.of(new LinkedHashMap<>(Jwks.builder().key(key.getPublic()).id("k1").build()))));
    }

    private static ClientRegistration client(String id, KeyPair key) {
        return new ClientRegistration(id, null, List.of(), false, Set.of("client_credentials"), "api", Set.of(), Set.of("read"), Set.of(),
                null, List.of(), false, Origin.REGISTRATION,
                new ClientKeys(ClientAuthMethod.PRIVATE_KEY_JWT, jwks(key), null, null), DpopMode.ALLOWED);
    }

    private static String assertion(String clientId, KeyPair key) {
        return Jwts.builder().header().keyId("k1").and().issuer(clientId).subject(clientId).audience().single(ISSUER)
                .id(UUID.randomUUID().toString()).expiration(java.util.Date.from(Instant.now().plusSeconds(60)))
                .signWith(key.getPrivate()).compact();
    }

    @Test
    void verifyWhenMoreClientsThanTheCapThenAtMostTheCapKeptAndAnEvictedClientStillVerifies() {
        KeyPair key = Jwts.SIG.ES256.keyPair().build();
        for (int i = 0; i < CAP * 5; i++) {
            String id = "registered-" + i;
            assertions.verify(client(id, key), assertion(id, key));
            assertTrue(assertions.cachedClients() <= CAP, "after " + (i + 1) + " clients: " + assertions.cachedClients());
        }
        assertEquals(CAP, assertions.cachedClients());

        // The first client's entry went long ago; its next assertion parses its keys anew and verifies.
        assertions.verify(client("registered-0", key), assertion("registered-0", key));
        assertEquals(CAP, assertions.cachedClients());
    }

    @Test
    void verifyWhenAClientsKeysChangeThenTheNewKeysReplaceItsEntryAndTheOldKeyIsRefused() {
        KeyPair before = Jwts.SIG.ES256.keyPair().build();
        KeyPair after = Jwts.SIG.ES256.keyPair().build();
        assertions.verify(client("rotating", before), assertion("rotating", before));

        ClientRegistration replaced = client("rotating", after);
        assertions.verify(replaced, assertion("rotating", after));
        assertEquals(1, assertions.cachedClients(), "one entry per client, not one per key set it ever had");
        OAuthException refused = assertThrows(OAuthException.class, () -> assertions.verify(replaced, assertion("rotating", before)));
        assertTrue(refused.description().contains("signature does not verify"), refused.description());
    }
}
