package dev.oauthlet.key;

import dev.oauthlet.spi.SigningKeyRecord;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.PublicKey;
import java.time.Instant;
import java.util.Objects;

/**
 * A usable signing key.
 *
 * @param kid            key id
 * @param algorithm      the JWS algorithm
 * @param signingKey     the private key (or HMAC secret)
 * @param publicKey      the public key; {@code null} for HS256
 * @param createdAt      when it was made
 * @param activeUntil    when it stopped signing; {@code null} while current
 * @param publishedUntil when it leaves the JWKS; {@code null} while current
 */
public record SigningKey(String kid, SigningAlgorithm algorithm, Key signingKey, PublicKey publicKey,
                         Instant createdAt, Instant activeUntil, Instant publishedUntil) {

    public SigningKey {
        Objects.requireNonNull(kid, "kid");
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(signingKey, "signingKey");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** The key that verifies this key's signatures. */
    public Key verificationKey() {
        return algorithm.symmetric() ? signingKey : publicKey;
    }

    /** This key as a verifier needs it. */
    public VerificationKey toVerificationKey() {
        return new VerificationKey(kid, algorithm, verificationKey());
    }

    public boolean isActive() {
        return activeUntil == null;
    }

    public SigningKey retired(Instant at, Instant publishUntil) {
        return new SigningKey(kid, algorithm, signingKey, publicKey, createdAt, at, publishUntil);
    }

    public SigningKeyRecord toRecord() {
        return new SigningKeyRecord(kid, algorithm.name(), signingKey.getEncoded(),
                publicKey == null ? null : publicKey.getEncoded(), createdAt, activeUntil, publishedUntil);
    }

    public static SigningKey fromRecord(SigningKeyRecord r) {
        SigningAlgorithm alg = SigningAlgorithm.fromJws(r.algorithm());
        if (alg == null) {
            throw new IllegalStateException("stored key " + r.kid() + " has unknown algorithm " + r.algorithm());
        }
        try {
            return new SigningKey(r.kid(), alg, alg.decodePrivate(r.privateKey()),
                    r.publicKey() == null ? null : alg.decodePublic(r.publicKey()), r.createdAt(), r.activeUntil(),
                    r.publishedUntil());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("stored key " + r.kid() + " cannot be decoded", e);
        }
    }

    @Override
    public String toString() {
        return "SigningKey[kid=" + kid + ", algorithm=" + algorithm + ", createdAt=" + createdAt + ", activeUntil=" + activeUntil + "]";
    }
}
