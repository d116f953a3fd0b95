package dev.oauthlet.spi;

import java.time.Instant;

/**
 * The deny-list, kept until each entry would have expired: revoked access tokens by {@code jti},
 * and entries with a prefix ({@code fid:} a revoked token family, {@code sid:} an ended browser
 * session; a {@code jti} never contains {@code ':'}).
 */
public interface RevokedTokenStore {

    void revoke(String jti, Instant expiresAt);

    boolean isRevoked(String jti);

    /**
     * Every entry that has not expired at {@code now} (expiry after it): what resources keep in
     * memory so that they check tokens without a read per request. Small by nature: entries
     * live no longer than the longest access-token or session lifetime.
     */
    java.util.Set<String> activeEntries(Instant now);

    /** Deletes up to {@code limit} entries whose token expired at {@code now} (expiry not after it); returns how many. */
    int purgeExpired(Instant now, int limit);
}
