package dev.oauthlet.storage.tck;

import static dev.oauthlet.storage.tck.StoreRecords.NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oauthlet.spi.RevokedTokenStore;
import dev.oauthlet.spi.Storage;
import org.junit.jupiter.api.Test;

/** {@link RevokedTokenStore}: the access-token deny-list, kept until each token would have expired. */
interface RevokedTokenStoreContract {

    Storage storage();

    private RevokedTokenStore revoked() {
        return storage().revokedTokens();
    }

    @Test
    default void isRevokedWhenRevokedThenTrueAndOtherJtisFalse() {
        revoked().revoke("jti-1", NOW.plusSeconds(3600));

        assertTrue(revoked().isRevoked("jti-1"));
        assertFalse(revoked().isRevoked("jti-2"));
    }

    @Test
    default void revokeWhenAlreadyRevokedThenStillRevokedWithoutError() {
        revoked().revoke("jti-1", NOW.plusSeconds(3600));

        revoked().revoke("jti-1", NOW.plusSeconds(3600));

        assertTrue(revoked().isRevoked("jti-1"));
    }

    /** Several nodes may revoke one token at once (a user logging out everywhere); none may fail. */
    @Test
    default void revokeWhenManyThreadsRevokeOneJtiAtOnceThenNoneFails() throws Exception {
        Race.run(20, () -> {
            revoked().revoke("jti-1", NOW.plusSeconds(3600));
            return null;
        });

        assertTrue(revoked().isRevoked("jti-1"));
    }

    @Test
    default void purgeExpiredRevocationsWhenSomeExpiredThenDeletesOnlyThose() {
        revoked().revoke("expired", NOW.minusSeconds(1));
        revoked().revoke("at-now", NOW);
        revoked().revoke("live", NOW.plusSeconds(1));

        assertEquals(2, revoked().purgeExpired(NOW, 500));

        assertFalse(revoked().isRevoked("expired"));
        assertFalse(revoked().isRevoked("at-now"));
        assertTrue(revoked().isRevoked("live"));
    }

    @Test
    default void purgeExpiredRevocationsWhenMoreExpiredThanTheLimitThenDeletesOnlyTheLimitPerCall() {
        for (int i = 0; i < 5; i++) {
            revoked().revoke("jti-" + i, NOW.minusSeconds(10 + i));
        }

        assertEquals(4, revoked().purgeExpired(NOW, 4));
        assertEquals(1, revoked().purgeExpired(NOW, 4));
        assertEquals(0, revoked().purgeExpired(NOW, 4));
    }
}
