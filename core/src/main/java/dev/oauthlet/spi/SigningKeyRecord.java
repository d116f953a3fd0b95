package dev.oauthlet.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * A signing key as stored.
 *
 * @param kid        the key id published in the JWKS and token headers
 * @param algorithm  the JWS algorithm, e.g. {@code RS256}
 * @param privateKey PKCS#8 encoding (for HS256: the raw secret); when {@code keyEncryptionKeyId} is set, that
 *                   encoding sealed under the key-encryption key ({@code dev.oauthlet.crypto.KeyEncryptionKey})
 * @param publicKey  X.509 SubjectPublicKeyInfo encoding; {@code null} for HS256
 * @param createdAt  when it was made
 * @param activeUntil when it stops signing, if recorded; {@code null} otherwise (the next key's
 *                   {@code activeFrom} retires it)
 * @param publishedUntil when it leaves the JWKS, if recorded; {@code null} otherwise (retirement
 *                   plus the overlap)
 * @param activeFrom when it starts signing: it is published from the moment it is stored, and signs
 *                   only from this instant on; unique per store, which is how nodes agree on one key per
 *                   rotation period; {@code null} for keys stored by earlier versions, which sign from
 *                   {@code createdAt}
 * @param keyEncryptionKeyId the id of the key-encryption key {@code privateKey} is sealed under; {@code null}
 *                   when it is stored in plain. A store keeps both columns as given; sealing is the key manager's
 */
public record SigningKeyRecord(
        String kid,
        String algorithm,
        byte[] privateKey,
        byte[] publicKey,
        Instant createdAt,
        Instant activeUntil,
        Instant publishedUntil,
        Instant activeFrom,
        String keyEncryptionKeyId) {

    /** A key stored in plain. */
    public SigningKeyRecord(String kid, String algorithm, byte[] privateKey, byte[] publicKey, Instant createdAt,
                            Instant activeUntil, Instant publishedUntil, Instant activeFrom) {
        this(kid, algorithm, privateKey, publicKey, createdAt, activeUntil, publishedUntil, activeFrom, null);
    }

    /** A key that signs from its creation. */
    public SigningKeyRecord(String kid, String algorithm, byte[] privateKey, byte[] publicKey, Instant createdAt,
                            Instant activeUntil, Instant publishedUntil) {
        this(kid, algorithm, privateKey, publicKey, createdAt, activeUntil, publishedUntil, null);
    }

    public SigningKeyRecord {
        Objects.requireNonNull(kid, "kid");
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** When it starts signing: {@link #activeFrom()}, or its creation for keys stored without one. */
    public Instant signsFrom() {
        return activeFrom != null ? activeFrom : createdAt;
    }

    /** This key with its private part replaced: sealed under {@code kekId}, or in plain when it is {@code null}. */
    public SigningKeyRecord withPrivateKey(byte[] newPrivateKey, String kekId) {
        return new SigningKeyRecord(kid, algorithm, newPrivateKey, publicKey, createdAt, activeUntil, publishedUntil, activeFrom, kekId);
    }

    /** Leaves the key material out. */
    @Override
    public String toString() {
        return "SigningKeyRecord[kid=" + kid + ", algorithm=" + algorithm + ", createdAt=" + createdAt + ", activeFrom=" + activeFrom
                + ", keyEncryptionKeyId=" + keyEncryptionKeyId + "]";
    }
}
