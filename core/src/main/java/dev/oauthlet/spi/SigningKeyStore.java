package dev.oauthlet.spi;

import java.util.List;
import java.util.Objects;

/** Signing keys, current and retired. */
public interface SigningKeyStore {

    /** Every stored key, newest first. */
    List<SigningKeyRecord> findAll();

    /** Inserts or replaces the key with this kid. */
    void save(SigningKeyRecord key);

    /**
     * Atomically: inserts {@code key} unless the store already holds a key with its kid or with its
     * {@link SigningKeyRecord#activeFrom() activeFrom}. Nodes sharing a store each try to insert the
     * key of the next rotation period, all with the period's start as {@code activeFrom}; exactly one
     * insert must win, across threads and across processes (a unique index does it).
     *
     * @return {@code true} if this call inserted it; {@code false} if another key holds that instant
     */
    boolean insertIfAbsent(SigningKeyRecord key);

    /**
     * One change of {@link #reseal}: the private key of {@code kid}, now sealed under {@code kekId}, replacing
     * the stored one only if that is still under {@code expectedKekId} ({@code null}: stored in plain).
     */
    record Reseal(String kid, String expectedKekId, byte[] privateKey, String kekId) {
        public Reseal {
            Objects.requireNonNull(kid, "kid");
            Objects.requireNonNull(privateKey, "privateKey");
        }
    }

    /**
     * Replaces private keys as re-encrypted at start (plain ones under a newly configured key-encryption
     * key, or one KEK's under the next), all in one transaction: each change applies only where the
     * row is still under its {@code expectedKekId}. Nodes that start together all try; each row changes
     * once, and the others find nothing left to do. Stores of this version do it atomically; the
     * default, for providers written before it, applies the changes one by one.
     *
     * @return how many rows this call changed
     */
    default int reseal(List<Reseal> changes) {
        int changed = 0;
        for (Reseal r : changes) {
            for (SigningKeyRecord k : findAll()) {
                if (k.kid().equals(r.kid()) && Objects.equals(k.keyEncryptionKeyId(), r.expectedKekId())) {
                    save(k.withPrivateKey(r.privateKey(), r.kekId()));
                    changed++;
                }
            }
        }
        return changed;
    }

    /** Removes a key that no longer signs and that no live token refers to. */
    void delete(String kid);
}
