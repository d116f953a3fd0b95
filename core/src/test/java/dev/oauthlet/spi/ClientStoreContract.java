package dev.oauthlet.spi;

import static dev.oauthlet.spi.TestStoreRecords.confidentialClient;
import static dev.oauthlet.spi.TestStoreRecords.publicClient;
import static dev.oauthlet.spi.TestStoreRecords.NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oauthlet.client.ClientAuthMethod;
import dev.oauthlet.client.ClientKeys;
import dev.oauthlet.client.ClientRegistration;
import dev.oauthlet.client.DpopMode;
import dev.oauthlet.client.ClientSecret;
import dev.oauthlet.client.Origin;
import dev.oauthlet.crypto.Hashes;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link ClientStore}: what is saved comes back whole, secrets and origin included; saving an id again replaces it. */
abstract class ClientStoreContract {

    abstract Storage storage();

    private ClientStore clients() {
        return storage().clients();
    }

    @Test
    void findByIdWhenConfidentialClientSavedThenEverySettingComesBack() {
        ClientRegistration client = confidentialClient("app");
        clients().save(client);

        assertEquals(Optional.of(client), clients().findById("app"));
    }

    @Test
    void findByIdWhenPublicClientWithoutOptionalSettingsSavedThenComesBackWithoutThem() {
        ClientRegistration client = publicClient("spa");
        clients().save(client);

        assertEquals(Optional.of(client), clients().findById("spa"));
    }

    @Test
    void findByIdWhenPrivateKeyJwtClientWithDpopSavedThenMethodKeysAndDpopComeBack() {
        ClientRegistration client = keyed("b2b", new ClientKeys(
                ClientAuthMethod.PRIVATE_KEY_JWT, "{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"x\",\"y\":\"y\"}]}", null,
                null), DpopMode.REQUIRED);
        ClientRegistration byUri = keyed("b2b-uri", new ClientKeys(
                ClientAuthMethod.PRIVATE_KEY_JWT, null, URI.create("https://b2b.example.com/jwks.json"), null), DpopMode.ALLOWED);
        clients().save(client);
        clients().save(byUri);

        assertEquals(Optional.of(client), clients().findById("b2b"));
        assertEquals(Optional.of(byUri), clients().findById("b2b-uri"));
    }

    /** HMAC needs the secret itself; it stays in the configuration, and no store keeps it. */
    @Test
    void findByIdWhenClientSecretJwtClientSavedThenItsSecretIsNotKept() {
        ClientRegistration client = keyed("hmac", new ClientKeys(
                ClientAuthMethod.CLIENT_SECRET_JWT, null, null, "a-secret-of-at-least-thirty-two-bytes!"), DpopMode.OFF);
        clients().save(client);

        ClientRegistration found = clients().findById("hmac").orElseThrow();
        assertEquals(ClientAuthMethod.CLIENT_SECRET_JWT, found.keys().method());
        assertEquals(null, found.keys().sharedSecret());
        assertEquals(client.withKeys(client.keys().withoutSecret(), DpopMode.OFF), found);
    }

    /** A client_secret_jwt client of the administration API: its secret sealed under the KEK is kept, byte for byte. */
    @Test
    void findByIdWhenClientSecretJwtClientWithSealedSecretSavedThenTheSealedSecretComesBack() {
        dev.oauthlet.crypto.KeyEncryptionKeys keks = dev.oauthlet.crypto.KeyEncryptionKeys.of(dev.oauthlet.crypto.KeyEncryptionKey.generate());
        ClientRegistration client = keyed("hmac-stored", ClientKeys.sealSecret("hmac-stored", "a-secret-of-at-least-thirty-two-bytes!",
                keks), DpopMode.OFF);
        clients().save(client);

        ClientRegistration found = clients().findById("hmac-stored").orElseThrow();
        assertEquals(client, found);
        assertEquals(Optional.of("a-secret-of-at-least-thirty-two-bytes!"), found.keys().openSecret("hmac-stored", keks));
    }

    /** {@link TestStoreRecords#confidentialClient}'s settings, authenticating with a JWT instead of a secret. */
    private static ClientRegistration keyed(String id, ClientKeys keys, DpopMode dpop) {
        ClientRegistration c = confidentialClient(id);
        return new ClientRegistration(id, c.name(), List.of(), false, c.grants(), c.audience(), c.audiences(), c.scopes(), c.defaultScopes(),
                c.tokens(), c.redirectUris(), c.firstParty(), c.origin(), keys, dpop);
    }

    @Test
    void findByIdWhenUnknownThenEmpty() {
        clients().save(publicClient("spa"));

        assertTrue(clients().findById("other").isEmpty());
    }

    @Test
    void saveWhenIdExistsThenReplacesTheRegistration() {
        clients().save(confidentialClient("app"));
        ClientRegistration replacement = new ClientRegistration("app", "Renamed", null, true, Set.of("password"),
                "api://billing", Set.of("billing"), Set.of(), null, List.of(), false);

        clients().save(replacement);

        assertEquals(Optional.of(replacement), clients().findById("app"));
    }

    /** Every node saves the configured clients when it starts; nodes that start together must not fail. */
    @Test
    void saveWhenManyThreadsSaveOneIdAtOnceThenNoneFailsAndOneRegistrationRemains() throws Exception {
        ClientRegistration client = confidentialClient("app");

        Race.run(20, () -> {
            clients().save(client);
            return null;
        });

        assertEquals(Optional.of(client), clients().findById("app"));
    }

    @Test
    void saveWhenSecretsChangeThenExactlyTheNewSecretsComeBackInOrder() {
        ClientRegistration client = confidentialClient("app");
        clients().save(client);
        List<ClientSecret> rotated = List.of(ClientSecret.of("sha256$" + Hashes.sha256("third")),
                new ClientSecret(client.secrets().get(0).hash(), NOW.plusSeconds(3600)));

        clients().save(client.withSecrets(rotated));

        assertEquals(rotated, clients().findById("app").orElseThrow().secrets());
    }

    @Test
    void saveWhenOriginChangesThenTheNewOriginComesBack() {
        clients().save(confidentialClient("app"));

        clients().save(confidentialClient("app").withOrigin(Origin.REGISTRATION));

        assertEquals(Origin.REGISTRATION, clients().findById("app").orElseThrow().origin());
    }

    @Test
    void findAllWhenSeveralSavedThenEachWholeOrderedById() {
        ClientRegistration b = confidentialClient("b-app");
        ClientRegistration a = publicClient("a-spa");
        ClientRegistration c = confidentialClient("c-app").withOrigin(Origin.ADMIN);
        clients().save(b);
        clients().save(c);
        clients().save(a);

        assertEquals(List.of(a, b, c), clients().findAll());
    }

    @Test
    void findAllWhenEmptyThenEmpty() {
        assertEquals(List.of(), clients().findAll());
    }

    @Test
    void deleteWhenSavedThenGoneWithItsSecretsAndTheOthersStay() {
        clients().save(confidentialClient("app"));
        clients().save(confidentialClient("other"));

        assertTrue(clients().delete("app"));

        assertTrue(clients().findById("app").isEmpty());
        assertEquals(List.of(confidentialClient("other")), clients().findAll());
        // Saved again, the id starts afresh: no secret of the removed client lingers.
        ClientRegistration again = publicClient("app");
        clients().save(again);
        assertEquals(Optional.of(again), clients().findById("app"));
    }

    @Test
    void deleteWhenUnknownThenFalse() {
        clients().save(confidentialClient("app"));

        assertFalse(clients().delete("other"));
        assertTrue(clients().findById("app").isPresent());
    }

    @Test
    void registrationTokenHashWhenSetThenReadBackKeptBySaveAndGoneWithTheClient() {
        ClientRegistration client = publicClient("registered").withOrigin(Origin.REGISTRATION);
        clients().save(client);
        assertEquals(Optional.empty(), clients().registrationTokenHash("registered"), "none until set");

        assertTrue(clients().saveRegistrationTokenHash("registered", Hashes.sha256("token-a")));
        clients().save(client.withOrigin(Origin.REGISTRATION));
        assertEquals(Optional.of(Hashes.sha256("token-a")), clients().registrationTokenHash("registered"), "a save keeps it");

        assertTrue(clients().delete("registered"));
        clients().save(client);
        assertEquals(Optional.empty(), clients().registrationTokenHash("registered"), "a new client of the same id has none");
    }

    @Test
    void saveRegistrationTokenHashWhenNoSuchClientThenFalseAndNothingStored() {
        assertFalse(clients().saveRegistrationTokenHash("nobody", Hashes.sha256("token")));
        assertEquals(Optional.empty(), clients().registrationTokenHash("nobody"));
    }
}
