package dev.oauthlet.admin;

import java.time.Instant;

/**
 * A stored signing key, without its key material.
 *
 * @param kid            the key id
 * @param algorithm      the JWS algorithm
 * @param createdAt      when it was made
 * @param state          whether it signs, only verifies, or neither any more
 * @param publishedUntil when a retired key leaves the JWKS; {@code null} while it signs
 */
public record KeyInfo(String kid, String algorithm, Instant createdAt, State state, Instant publishedUntil) {

    public enum State {
        /** Signs new tokens. */
        ACTIVE,
        /** Published ahead of a scheduled rotation; signs from the start of its period. */
        NEXT,
        /** Signs no more; still verifies and is published, until every token it signed has expired. */
        RETIRED,
        /** Past its publication; the purge deletes it. */
        EXPIRED;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
