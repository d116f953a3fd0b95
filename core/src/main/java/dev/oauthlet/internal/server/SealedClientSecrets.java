package dev.oauthlet.internal.server;

import dev.oauthlet.client.ClientKeys;
import dev.oauthlet.client.ClientRegistration;
import dev.oauthlet.crypto.KeyEncryptionKeys;
import dev.oauthlet.spi.ClientStore;
import dev.oauthlet.spi.StorageException;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The secrets of {@code client_secret_jwt} clients kept in the store, sealed under the
 * key-encryption key ({@link ClientKeys#sealSecret}): opened to verify an assertion, and at start
 * checked against the configured KEKs and re-sealed under the current one after a KEK rotation.
 */
public final class SealedClientSecrets {

    private static final Logger LOG = LoggerFactory.getLogger(SealedClientSecrets.class);

    private SealedClientSecrets() {
    }

    /**
     * The HMAC secret that verifies {@code client}'s assertions: the configuration file's, else the
     * store's opened with the KEK that sealed it.
     */
    public static Optional<String> secret(ClientRegistration client, Map<String, String> fileSecrets, KeyEncryptionKeys keks) {
        String fromFile = fileSecrets.get(client.id());
        if (fromFile != null) {
            return Optional.of(fromFile);
        }
        if (client.keys().sealedSecret() == null) {
            return Optional.empty();
        }
        Optional<String> opened = client.keys().openSecret(client.id(), keks);
        if (opened.isEmpty()) {
            // The start refused unknown KEKs, so this is a row changed since, or moved from another client.
            LOG.warn("the stored client_secret_jwt secret of client {} does not decrypt under key-encryption key {}",
                    client.id(), client.keys().sealedUnder().orElse("?"));
        }
        return opened;
    }

    /**
     * At start: refuses, with one line, sealed secrets under a KEK that is not configured; re-seals
     * those under a previous KEK under the current one. A secret rotated through the administration
     * API in the same instant on another node is not overwritten: each client is re-read just before.
     */
    public static void migrate(ClientStore clients, KeyEncryptionKeys keks) {
        java.util.List<ClientRegistration> sealed = clients.findAll().stream().filter(c -> c.keys().sealedSecret() != null).toList();
        Set<String> unknown = new LinkedHashSet<>();
        for (ClientRegistration c : sealed) {
            c.keys().sealedUnder().filter(id -> keks.byId(id).isEmpty()).ifPresent(unknown::add);
        }
        if (!unknown.isEmpty()) {
            throw new StorageException("signing.key-encryption-key: the client_secret_jwt secrets in the store were encrypted under "
                    + "key-encryption key " + String.join(", ", unknown) + "; "
                    + (keks.configured() ? "the configured one is " + keks.describe() : "none is configured")
                    + " (configure that key, or list it under signing.previous-key-encryption-keys)", null);
        }
        int resealed = 0;
        for (ClientRegistration c : sealed) {
            Optional<String> under = c.keys().sealedUnder();
            if (under.equals(Optional.of(keks.current().id()))) {
                continue;
            }
            String secret = c.keys().openSecret(c.id(), keks).orElseThrow(() -> new StorageException("signing.key-encryption-key: "
                    + "the client_secret_jwt secret of client " + c.id() + " in the store does not decrypt under key-encryption key "
                    + under.get() + ": the row was changed (remove the client and add it anew)", null));
            Optional<ClientRegistration> now = clients.findById(c.id());
            if (now.isPresent() && under.equals(now.get().keys().sealedUnder())) {
                clients.save(now.get().withKeys(ClientKeys.sealSecret(c.id(), secret, keks), now.get().dpop()));
                resealed++;
            }
        }
        if (resealed > 0) {
            LOG.info("re-encrypted {} client_secret_jwt secret(s) in the store under key-encryption key {}", resealed, keks.current().id());
        }
    }
}
