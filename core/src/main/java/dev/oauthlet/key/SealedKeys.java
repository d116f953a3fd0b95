package dev.oauthlet.key;

import dev.oauthlet.crypto.KeyEncryptionKey;
import dev.oauthlet.crypto.KeyEncryptionKeys;
import dev.oauthlet.spi.SigningKeyRecord;
import dev.oauthlet.spi.SigningKeyStore;
import dev.oauthlet.spi.SigningKeyStore.Reseal;
import dev.oauthlet.spi.StorageException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Private signing keys at rest: sealed under the current key-encryption key before they are
 * stored, opened after they are read. A key's kid, algorithm and KEK id are its associated data,
 * so a ciphertext moved to another row, or relabelled, does not open.
 *
 * <p>At start, {@link #migrate} encrypts in place what is stored in plain (a store written before a
 * KEK was configured) or under a previous KEK (a KEK rotation), in one transaction of conditional
 * updates; and it refuses to start, with one line, when the store holds keys under a KEK that is
 * not configured, instead of quietly making a new key.
 *
 * <p>Opened keys are kept by kid: a key's material never changes, so another node re-encrypting
 * it under a new KEK does not stop this node, which may still only know the old one, from using it.
 */
final class SealedKeys {

    private static final Logger LOG = LoggerFactory.getLogger(SealedKeys.class);

    private final KeyEncryptionKeys keks;
    private volatile Map<String, byte[]> openedByKid = Map.of();

    SealedKeys(KeyEncryptionKeys keks) {
        this.keks = keks;
    }

    /** The record to store for a new key: its private part sealed under the current KEK, if one is configured. */
    SigningKeyRecord seal(SigningKeyRecord plain) {
        KeyEncryptionKey kek = keks.current();
        return kek == null ? plain : plain.withPrivateKey(kek.seal(plain.privateKey(), aad(plain, kek.id())), kek.id());
    }

    /**
     * The records with their private parts in plain, as {@link SigningKey#fromRecord} reads them.
     *
     * @throws StorageException naming the KEK the store wants, or the key that does not open
     */
    List<SigningKeyRecord> open(List<SigningKeyRecord> stored) {
        Map<String, byte[]> known = openedByKid;
        Map<String, byte[]> opened = new HashMap<>();
        List<SigningKeyRecord> out = new ArrayList<>(stored.size());
        for (SigningKeyRecord r : stored) {
            if (r.keyEncryptionKeyId() == null) {
                out.add(r);
                continue;
            }
            byte[] plain = known.get(r.kid());
            if (plain == null) {
                plain = openOne(r);
            }
            opened.put(r.kid(), plain);
            out.add(r.withPrivateKey(plain, null));
        }
        openedByKid = Map.copyOf(opened);
        return out;
    }

    private byte[] openOne(SigningKeyRecord r) {
        KeyEncryptionKey kek = keks.byId(r.keyEncryptionKeyId()).orElseThrow(() -> mismatch(Set.of(r.keyEncryptionKeyId())));
        try {
            return kek.open(r.privateKey(), aad(r, kek.id()));
        } catch (GeneralSecurityException e) {
            throw new StorageException("signing.key-encryption-key: the signing key " + r.kid() + " in the store does not decrypt "
                    + "under key-encryption key " + kek.id() + ": its ciphertext, kid or algorithm was changed (restore the row "
                    + "from a backup, or delete it and let a new key be made)", null);
        }
    }

    /**
     * At start: refuses keys under a KEK not configured; encrypts plain keys and keys under a previous
     * KEK under the current one, in one transaction; says once when keys stay in plain.
     */
    void migrate(SigningKeyStore store) {
        List<SigningKeyRecord> stored = store.findAll();
        Set<String> unknown = new LinkedHashSet<>();
        for (SigningKeyRecord r : stored) {
            if (r.keyEncryptionKeyId() != null && keks.byId(r.keyEncryptionKeyId()).isEmpty()) {
                unknown.add(r.keyEncryptionKeyId());
            }
        }
        if (!unknown.isEmpty()) {
            throw mismatch(unknown);
        }
        KeyEncryptionKey kek = keks.current();
        if (kek == null) {
            LOG.warn("signing keys are stored unencrypted: set signing.key-encryption-key to keep them encrypted at rest "
                    + "(docs/security.md#keys-at-rest)");
            return;
        }
        List<Reseal> changes = new ArrayList<>();
        for (SigningKeyRecord r : stored) {
            if (kek.id().equals(r.keyEncryptionKeyId())) {
                continue;
            }
            byte[] plain = r.keyEncryptionKeyId() == null ? r.privateKey() : openOne(r);
            changes.add(new Reseal(r.kid(), r.keyEncryptionKeyId(), kek.seal(plain, aad(r, kek.id())), kek.id()));
        }
        if (!changes.isEmpty()) {
            int changed = store.reseal(changes);
            if (changed > 0) {
                LOG.info("encrypted {} signing key(s) in the store under key-encryption key {}", changed, kek.id());
            }
        }
    }

    private StorageException mismatch(Set<String> storedUnder) {
        String configured = keks.configured() ? "the configured one is " + keks.describe() : "none is configured";
        String fix = keks.configured()
                ? "configure that key again, or to rotate give the new one as signing.key-encryption-key and the old one under "
                        + "signing.previous-key-encryption-keys"
                : "set signing.key-encryption-key to that key";
        return new StorageException("signing.key-encryption-key: the signing keys in the store were encrypted under key-encryption key "
                + String.join(", ", storedUnder) + "; " + configured + " (" + fix + ")", null);
    }

    /** What a sealed key is bound to: its row's identity and the KEK's id. */
    private static byte[] aad(SigningKeyRecord r, String kekId) {
        return ("oauthlet signing key\0" + r.kid() + "\0" + r.algorithm() + "\0" + kekId).getBytes(StandardCharsets.UTF_8);
    }
}
