package dev.oauthlet.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * A signing key as stored.
 *
 * @param kid        the key id published in the JWKS and token headers
 * @param algorithm  the JWS algorithm, e.g. {@code RS256}
 * @param privateKey PKCS#8 encoding (for HS256: the raw secret)
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
 */
public record SigningKeyRecord(
        String kid,
        String algorithm,
        byte[] privateKey,
        byte[] publicKey,
        Instant createdAt,
        Instant activeUntil,
        Instant publishedUntil,
        Instant activeFrom) {

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
}
