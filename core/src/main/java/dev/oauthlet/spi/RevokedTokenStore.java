package dev.oauthlet.spi;

import java.time.Instant;

/** The deny-list of revoked access tokens, by {@code jti}, kept until each would have expired. */
public interface RevokedTokenStore {

    void revoke(String jti, Instant expiresAt);

    boolean isRevoked(String jti);

    /** Deletes up to {@code limit} entries whose token expired at {@code now} (expiry not after it); returns how many. */
    int purgeExpired(Instant now, int limit);
}
