package dev.oauthlet.spi;

import java.util.List;

/** Signing keys, current and retired. */
public interface SigningKeyStore {

    /** Every stored key, newest first. */
    List<SigningKeyRecord> findAll();

    /** Inserts or replaces the key with this kid. */
    void save(SigningKeyRecord key);

    /** Removes a key that no longer signs and that no live token refers to. */
    void delete(String kid);
}
