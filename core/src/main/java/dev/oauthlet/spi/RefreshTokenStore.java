package dev.oauthlet.spi;

import java.time.Instant;
import java.util.Optional;

/** Refresh tokens, looked up by hash. Rotation is one atomic compare-and-set. */
public interface RefreshTokenStore {

    void save(RefreshTokenRecord token);

    Optional<RefreshTokenRecord> findByHash(String hash);

    /**
     * Atomically: if the token with {@code hash} is still {@code ACTIVE}, mark it {@code ROTATED}
     * at {@code at} with {@code sealedSuccessor}, and store {@code successor}. Either both happen
     * or neither does.
     *
     * @return {@code true} if this call rotated it; {@code false} if it was no longer active
     *         (another request rotated or revoked it first)
     */
    boolean rotate(String hash, Instant at, byte[] sealedSuccessor, RefreshTokenRecord successor);

    /** Revokes every token of a family. Returns how many were still active or rotated. */
    int revokeFamily(String familyId);

    /**
     * Revokes every token issued to {@code clientId}, as when the client is removed. Returns how
     * many were still active or rotated.
     */
    int revokeClient(String clientId);

    /**
     * Revokes every token whose subject is {@code subject}, for any client, as when a user is
     * removed. Returns how many were still active or rotated.
     */
    int revokeSubject(String subject);

    /**
     * Deletes up to {@code limit} tokens expired at {@code now} (expiry not after it, as
     * {@link RefreshTokenRecord#isExpired} has it); returns how many. Callers repeat until fewer than
     * {@code limit} come back.
     */
    int purgeExpired(Instant now, int limit);
}
