package dev.oauthlet.storage.tck;

import static dev.oauthlet.storage.tck.StoreRecords.NOW;
import static dev.oauthlet.storage.tck.StoreRecords.assertSameToken;
import static dev.oauthlet.storage.tck.StoreRecords.refreshToken;
import static dev.oauthlet.storage.tck.StoreRecords.sealed;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oauthlet.spi.RefreshTokenRecord.State;
import dev.oauthlet.spi.RefreshTokenRecord;
import dev.oauthlet.spi.RefreshTokenStore;
import dev.oauthlet.spi.Storage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@link RefreshTokenStore}: rotation is one compare-and-set that stores the successor with it,
 * family revocation reaches every token of the family, and purging is bounded.
 */
interface RefreshTokenStoreContract {

    Storage storage();

    private RefreshTokenStore tokens() {
        return storage().refreshTokens();
    }

    private State stateOf(RefreshTokenRecord token) {
        return tokens().findByHash(token.hash()).orElseThrow().state();
    }

    @Test
    default void findByHashWhenSavedThenEveryFieldAndClaimComesBack() {
        RefreshTokenRecord token = refreshToken("family-1");
        tokens().save(token);

        assertSameToken(token, tokens().findByHash(token.hash()).orElseThrow());
    }

    @Test
    default void findByHashWhenUnknownThenEmpty() {
        tokens().save(refreshToken("family-1"));

        assertTrue(tokens().findByHash("no-such-hash").isEmpty());
    }

    @Test
    default void findByHashWhenSavedWithoutClaimsThenClaimsEmpty() {
        RefreshTokenRecord t = refreshToken("family-1");
        RefreshTokenRecord bare = new RefreshTokenRecord(t.hash(), t.familyId(), t.clientId(), t.subject(), Set.of(), Map.of(),
                t.issuedAt(), t.expiresAt(), State.ACTIVE, null, null);
        tokens().save(bare);

        assertSameToken(bare, tokens().findByHash(bare.hash()).orElseThrow());
    }

    @Test
    default void saveWhenSecondTokenOfSameFamilyThenBothFoundWithTheFamilyClaims() {
        RefreshTokenRecord first = refreshToken("family-1");
        RefreshTokenRecord second = refreshToken("family-1");

        tokens().save(first);
        tokens().save(second);

        assertSameToken(first, tokens().findByHash(first.hash()).orElseThrow());
        assertSameToken(second, tokens().findByHash(second.hash()).orElseThrow());
    }

    @Test
    default void rotateWhenActiveThenMarksItRotatedWithSealedSuccessorAndStoresTheSuccessor() {
        RefreshTokenRecord token = refreshToken("family-1");
        RefreshTokenRecord successor = refreshToken("family-1");
        tokens().save(token);

        assertTrue(tokens().rotate(token.hash(), NOW, sealed("one"), successor));

        RefreshTokenRecord rotated = tokens().findByHash(token.hash()).orElseThrow();
        assertEquals(State.ROTATED, rotated.state());
        assertEquals(NOW, rotated.rotatedAt());
        assertArrayEquals(sealed("one"), rotated.sealedSuccessor());
        assertSameToken(successor, tokens().findByHash(successor.hash()).orElseThrow());
    }

    @Test
    default void rotateWhenAlreadyRotatedThenFalseAndTheSecondSuccessorIsNotStored() {
        RefreshTokenRecord token = refreshToken("family-1");
        RefreshTokenRecord first = refreshToken("family-1");
        RefreshTokenRecord second = refreshToken("family-1");
        tokens().save(token);
        tokens().rotate(token.hash(), NOW, sealed("first"), first);

        assertFalse(tokens().rotate(token.hash(), NOW.plusSeconds(1), sealed("second"), second));

        RefreshTokenRecord rotated = tokens().findByHash(token.hash()).orElseThrow();
        assertEquals(NOW, rotated.rotatedAt());
        assertArrayEquals(sealed("first"), rotated.sealedSuccessor());
        assertTrue(tokens().findByHash(second.hash()).isEmpty());
    }

    @Test
    default void rotateWhenRevokedThenFalseAndTheSuccessorIsNotStored() {
        RefreshTokenRecord token = refreshToken("family-1");
        RefreshTokenRecord successor = refreshToken("family-1");
        tokens().save(token);
        tokens().revokeFamily("family-1");

        assertFalse(tokens().rotate(token.hash(), NOW, sealed("one"), successor));

        assertEquals(State.REVOKED, stateOf(token));
        assertTrue(tokens().findByHash(successor.hash()).isEmpty());
    }

    @Test
    default void rotateWhenUnknownHashThenFalseAndTheSuccessorIsNotStored() {
        RefreshTokenRecord successor = refreshToken("family-1");

        assertFalse(tokens().rotate("no-such-hash", NOW, sealed("one"), successor));

        assertTrue(tokens().findByHash(successor.hash()).isEmpty());
    }

    @Test
    default void rotateWhenFiftyThreadsRotateOneTokenThenExactlyOneWinsAndOnlyItsSuccessorIsStored() throws Exception {
        RefreshTokenRecord token = refreshToken("family-1");
        tokens().save(token);
        List<RefreshTokenRecord> successors = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            successors.add(refreshToken("family-1"));
        }
        AtomicInteger next = new AtomicInteger();

        List<Boolean> won = Race.run(50, () -> {
            int i = next.getAndIncrement();
            return tokens().rotate(token.hash(), NOW, sealed("by " + i), successors.get(i));
        });

        assertEquals(1, won.stream().filter(w -> w).count());
        long stored = successors.stream().filter(s -> tokens().findByHash(s.hash()).isPresent()).count();
        assertEquals(1, stored);
    }

    @Test
    default void revokeFamilyWhenTwoFamiliesThenRevokesEveryTokenOfThatFamilyOnly() {
        RefreshTokenRecord rotated = refreshToken("family-1");
        RefreshTokenRecord active = refreshToken("family-1");
        RefreshTokenRecord other = refreshToken("family-2");
        tokens().save(rotated);
        tokens().rotate(rotated.hash(), NOW, sealed("one"), active);
        tokens().save(other);

        assertEquals(2, tokens().revokeFamily("family-1"));

        assertEquals(State.REVOKED, stateOf(rotated));
        assertEquals(State.REVOKED, stateOf(active));
        assertEquals(State.ACTIVE, stateOf(other));
    }

    @Test
    default void revokeClientWhenTokensOfSeveralClientsThenRevokesEveryFamilyOfThatClientOnly() {
        Instant expiry = NOW.plus(Duration.ofDays(30));
        RefreshTokenRecord rotated = refreshToken("family-1", "app", "alice", expiry);
        RefreshTokenRecord active = refreshToken("family-1", "app", "alice", expiry);
        RefreshTokenRecord otherFamily = refreshToken("family-2", "app", "bob", expiry);
        RefreshTokenRecord otherClient = refreshToken("family-3", "other", "alice", expiry);
        tokens().save(rotated);
        tokens().rotate(rotated.hash(), NOW, sealed("one"), active);
        tokens().save(otherFamily);
        tokens().save(otherClient);

        assertEquals(3, tokens().revokeClient("app"));

        assertEquals(State.REVOKED, stateOf(rotated));
        assertEquals(State.REVOKED, stateOf(active));
        assertEquals(State.REVOKED, stateOf(otherFamily));
        assertEquals(State.ACTIVE, stateOf(otherClient));
        assertEquals(0, tokens().revokeClient("app"));
    }

    @Test
    default void revokeSubjectWhenTokensOfSeveralUsersThenRevokesThatUsersTokensAtEveryClientOnly() {
        Instant expiry = NOW.plus(Duration.ofDays(30));
        RefreshTokenRecord atApp = refreshToken("family-1", "app", "alice", expiry);
        RefreshTokenRecord atOther = refreshToken("family-2", "other", "alice", expiry);
        RefreshTokenRecord bobs = refreshToken("family-3", "app", "bob", expiry);
        tokens().save(atApp);
        tokens().save(atOther);
        tokens().save(bobs);

        assertEquals(2, tokens().revokeSubject("alice"));

        assertEquals(State.REVOKED, stateOf(atApp));
        assertEquals(State.REVOKED, stateOf(atOther));
        assertEquals(State.ACTIVE, stateOf(bobs));
    }

    @Test
    default void revokeFamilyWhenAlreadyRevokedThenCountsNothing() {
        tokens().save(refreshToken("family-1"));
        tokens().revokeFamily("family-1");

        assertEquals(0, tokens().revokeFamily("family-1"));
    }

    /**
     * Reuse detection revokes a family while the legitimate client may be rotating its newest
     * token: whichever commits first, no token of the family may be left active.
     */
    @Test
    default void revokeFamilyWhenRacingARotationThenNoTokenOfTheFamilyStaysActive() throws Exception {
        for (int round = 0; round < 30; round++) {
            String family = "family-" + round;
            RefreshTokenRecord token = refreshToken(family);
            RefreshTokenRecord successor = refreshToken(family);
            tokens().save(token);
            AtomicInteger turn = new AtomicInteger();

            Race.run(2, () -> turn.getAndIncrement() == 0
                    ? tokens().rotate(token.hash(), NOW, sealed("one"), successor)
                    : tokens().revokeFamily(family));

            String where = "round " + round;
            assertEquals(State.REVOKED, stateOf(token), where);
            tokens().findByHash(successor.hash()).ifPresent(s -> assertEquals(State.REVOKED, s.state(), "successor, " + where));
        }
    }

    @Test
    default void purgeExpiredWhenSomeExpiredThenDeletesOnlyThoseAndKeepsTheFamilyClaimsOfTheRest() {
        RefreshTokenRecord expired = refreshToken("family-1", NOW.minusSeconds(1));
        RefreshTokenRecord live = refreshToken("family-1", NOW.plusSeconds(1));
        RefreshTokenRecord otherExpired = refreshToken("family-2", NOW.minusSeconds(3600));
        tokens().save(expired);
        tokens().save(live);
        tokens().save(otherExpired);

        assertEquals(2, tokens().purgeExpired(NOW, 500));

        assertTrue(tokens().findByHash(expired.hash()).isEmpty());
        assertTrue(tokens().findByHash(otherExpired.hash()).isEmpty());
        assertSameToken(live, tokens().findByHash(live.hash()).orElseThrow());
    }

    /** {@link RefreshTokenRecord#isExpired} counts a token as expired from its expiry instant on; purging agrees. */
    @Test
    default void purgeExpiredWhenExpiryIsExactlyNowThenDeletesIt() {
        RefreshTokenRecord token = refreshToken("family-1", NOW);
        tokens().save(token);

        assertEquals(1, tokens().purgeExpired(NOW, 500));

        assertTrue(tokens().findByHash(token.hash()).isEmpty());
    }

    @Test
    default void purgeExpiredRefreshTokensWhenMoreExpiredThanTheLimitThenDeletesOnlyTheLimitPerCall() {
        List<RefreshTokenRecord> expired = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            RefreshTokenRecord t = refreshToken("family-" + i, NOW.minusSeconds(10 + i));
            expired.add(t);
            tokens().save(t);
        }

        assertEquals(3, tokens().purgeExpired(NOW, 3));
        assertEquals(3, tokens().purgeExpired(NOW, 3));
        assertEquals(1, tokens().purgeExpired(NOW, 3));
        assertEquals(0, tokens().purgeExpired(NOW, 3));

        assertTrue(expired.stream().allMatch(t -> tokens().findByHash(t.hash()).isEmpty()));
    }
}
