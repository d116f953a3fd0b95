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
 * @param activeUntil when it stops signing; {@code null} while it is the current key
 * @param publishedUntil when it leaves the JWKS: after every token it signed has expired; {@code null} while active
 */
public record SigningKeyRecord(
        String kid,
        String algorithm,
        byte[] privateKey,
        byte[] publicKey,
        Instant createdAt,
        Instant activeUntil,
        Instant publishedUntil) {

    public SigningKeyRecord {
        Objects.requireNonNull(kid, "kid");
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
