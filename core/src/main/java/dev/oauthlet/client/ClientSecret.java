package dev.oauthlet.client;

import java.time.Instant;
import java.util.Objects;

/**
 * One of a client's secrets, as a hash. A client may hold several at once, so a secret can be
 * rotated with an overlap: the new one works at once, the old one until its expiry.
 *
 * @param hash      the secret as a {@link dev.oauthlet.crypto.SecretHasher} hash ({@code pbkdf2-sha256$…} for
 *                  secrets people chose, {@code sha256$…} for the 256-bit secrets the server generates)
 * @param expiresAt when the secret stops working; {@code null} for never
 */
public record ClientSecret(String hash, Instant expiresAt) {

    public ClientSecret {
        Objects.requireNonNull(hash, "hash");
    }

    /** A secret that never expires. */
    public static ClientSecret of(String hash) {
        return new ClientSecret(hash, null);
    }

    /** {@code true} while the secret works: it has no expiry, or its expiry is after {@code now}. */
    public boolean isValidAt(Instant now) {
        return expiresAt == null || expiresAt.isAfter(now);
    }
}
