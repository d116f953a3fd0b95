package dev.oauthlet.token;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oauthlet.MutableClock;
import dev.oauthlet.internal.memory.MemoryStorage;
import dev.oauthlet.spi.RevokedTokenStore;
import dev.oauthlet.spi.StorageException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The in-memory deny-list: what one node sees of its own and other nodes' revocations, and when the store is down. */
class RevocationsTest {

    private final MutableClock clock = new MutableClock();
    private final ReadFailingStore store = new ReadFailingStore(new MemoryStorage().revokedTokens());
    private final Revocations here = new Revocations(store, clock);

    @Test
    void familyRevokedThroughThisNodeWhenCheckedAtOnceThenRevokedWithoutWaitingForTheNextRead() {
        AccessToken token = token("j1", "family-1");
        assertFalse(here.isRevoked(token));

        here.revokeFamily("family-1", clock.instant().plusSeconds(60));

        assertTrue(here.isRevoked(token));
        assertFalse(here.isRevoked(token("j2", "family-2")));
    }

    @Test
    void tokenRevokedByAnotherNodeWhenCheckedThenSeenHereOnlyOnceTheSnapshotIsOlderThanRefresh() {
        Revocations there = new Revocations(store, clock);
        AccessToken token = token("j1", null);
        assertFalse(here.isRevoked(token));

        there.revokeToken("j1", clock.instant().plusSeconds(60));

        assertFalse(here.isRevoked(token), "within REFRESH this node answers from the snapshot it read");
        clock.advance(Revocations.REFRESH);
        assertTrue(here.isRevoked(token));
    }

    @Test
    void storeUnreadableWhenSnapshotSlightlyStaleThenItServesAndWhenTooStaleThenItRefuses() {
        here.revokeToken("j1", clock.instant().plusSeconds(600));
        clock.advance(Revocations.REFRESH);
        assertTrue(here.isRevoked(token("j1", null)));
        store.readsFail = true;

        clock.advance(Revocations.REFRESH.plusSeconds(1));
        assertTrue(here.isRevoked(token("j1", null)), "a snapshot up to twice REFRESH old still answers");

        clock.advance(Revocations.REFRESH);
        assertThrows(StorageException.class, () -> here.isRevoked(token("j2", null)));
    }

    @Test
    void entryOfThisNodeWhenItExpiresBeforeAnyReadSucceedsThenDroppedAtTheNextRead() {
        AccessToken token = token("j1", null);
        assertFalse(here.isRevoked(token));
        store.readsFail = true;
        here.revokeToken("j1", clock.instant().plusSeconds(10));

        clock.advance(Duration.ofSeconds(20));
        assertThrows(StorageException.class, () -> here.isRevoked(token));
        store.readsFail = false;
        clock.advance(Duration.ofSeconds(2));

        // Expired in the store and nowhere else: kept by this node, it would stay for as long as the node runs.
        assertFalse(here.isRevoked(token));
    }

    private static AccessToken token(String jti, String familyId) {
        Instant now = Instant.parse("2026-11-22T10:00:00Z");
        Map<String, Object> claims = familyId == null ? Map.of() : Map.of(Revocations.FAMILY_CLAIM, Revocations.familyClaim(familyId));
        return new AccessToken("https://issuer.test", "alice", "api", "svc", Set.of("read"), jti, now, now.plusSeconds(600), claims);
    }

    /** The real in-memory deny-list, whose reads of every active entry can be made to fail as a database that is down. */
    private static final class ReadFailingStore implements RevokedTokenStore {
        private final RevokedTokenStore delegate;
        volatile boolean readsFail;

        ReadFailingStore(RevokedTokenStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public void revoke(String jti, Instant expiresAt) {
            delegate.revoke(jti, expiresAt);
        }

        @Override
        public boolean isRevoked(String jti) {
            return delegate.isRevoked(jti);
        }

        @Override
        public Set<String> activeEntries(Instant now) {
            if (readsFail) {
                throw new StorageException("the database is down", null);
            }
            return delegate.activeEntries(now);
        }

        @Override
        public int purgeExpired(Instant now, int limit) {
            return delegate.purgeExpired(now, limit);
        }
    }
}
