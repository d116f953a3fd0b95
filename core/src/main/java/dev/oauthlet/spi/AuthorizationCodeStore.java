package dev.oauthlet.spi;

import java.time.Instant;
import java.util.Optional;

/** Authorization codes: single use, enforced atomically by {@link #consume}. */
public interface AuthorizationCodeStore {

    void save(AuthorizationCodeRecord code);

    /**
     * Atomically marks the code used and returns it with {@code firstUse}; a code that was used
     * before comes back with {@code firstUse == false} so the caller can revoke what it yielded.
     * Empty when there is no such code.
     */
    Optional<Redemption> consume(String hash);

    /**
     * Records the refresh-token family the first redemption yielded, for operators tracing a code's
     * tokens. Revocation on a second use does not depend on it: the grant derives the family id
     * from the code's hash.
     */
    void attachFamily(String hash, String familyId);

    /** Deletes up to {@code limit} codes expired at {@code now} (expiry not after it); returns how many. */
    int purgeExpired(Instant now, int limit);

    /** A consumed code and whether this was its first use. */
    record Redemption(AuthorizationCodeRecord code, boolean firstUse) {
    }
}
