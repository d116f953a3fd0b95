package dev.oauthlet.spi;

import java.time.Instant;

/**
 * One-time identifiers seen recently — the {@code jti} of DPoP proofs (RFC 9449 §11.1) and of
 * client assertions (RFC 7523 §3) — so that a replay is refused on every node. Keys are hashes
 * chosen by the caller; an entry is kept until its expiry, after which the same key is new again.
 */
public interface UsedJtiStore {

    /**
     * Records {@code key} as used until {@code expiresAt}, atomically: of two nodes recording one key
     * at once, exactly one gets {@code true}.
     *
     * @return {@code false} when the key is already recorded and not yet expired: a replay
     */
    boolean markUsed(String key, Instant expiresAt, Instant now);

    /** Deletes up to {@code limit} entries expired at {@code now}; returns how many. */
    int purgeExpired(Instant now, int limit);
}
