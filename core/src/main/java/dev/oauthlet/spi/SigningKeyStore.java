package dev.oauthlet.spi;

import java.util.List;

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

    /** Removes a key that no longer signs and that no live token refers to. */
    void delete(String kid);
}
