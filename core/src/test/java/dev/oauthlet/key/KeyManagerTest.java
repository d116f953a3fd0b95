package dev.oauthlet.key;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oauthlet.MutableClock;
import dev.oauthlet.internal.memory.MemoryStorage;
import dev.oauthlet.spi.SigningKeyStore;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Generation, persistence and rotation of stored keys. ES256: generating P-256 keys is fast. */
class KeyManagerTest {

    private static final Duration OVERLAP = Duration.ofMinutes(90);

    private final MutableClock clock = MutableClock.startingNow();
    private final SigningKeyStore store = new MemoryStorage().signingKeys();

    private KeyManager keys(Duration rotation) {
        return new KeyManager(store, SigningAlgorithm.ES256, rotation, OVERLAP, clock);
    }

    private static List<String> kids(List<VerificationKey> keys) {
        return keys.stream().map(VerificationKey::kid).toList();
    }

    @Test
    void rotateWhenCalledThenNewKeySignsAndOldStaysPublishedUntilItsTokensHaveExpired() {
        KeyManager keys = keys(null);
        String old = keys.current().kid();

        String fresh = keys.rotate();

        assertNotEquals(old, fresh);
        assertEquals(fresh, keys.current().kid());
        assertEquals(List.of(fresh, old), kids(keys.published()));
        assertTrue(keys.resolve(old).isPresent());
        clock.advance(OVERLAP.minusSeconds(1));
        assertEquals(List.of(fresh, old), kids(keys.published()), "still within the overlap");
        clock.advance(Duration.ofSeconds(2));
        assertEquals(List.of(fresh), kids(keys.published()), "every token the old key signed has expired");
        assertTrue(keys.resolve(old).isEmpty());
    }

    @Test
    void currentWhenAnotherNodeRotatedThenThisNodeSignsWithTheNewKeyWithinTheRefreshInterval() {
        KeyManager here = keys(null);
        KeyManager other = keys(null);
        String old = here.current().kid();

        String fresh = other.rotate();
        clock.advance(KeyManager.REFRESH_INTERVAL);

        assertNotEquals(old, fresh);
        assertEquals(fresh, here.current().kid(), "a key the store has retired must not keep signing");
        assertEquals(List.of(fresh, old), kids(here.published()));
    }

    @Test
    void currentWhenRefreshIntervalNotYetPassedThenTheStoreIsNotReadOnEveryCall() {
        KeyManager here = keys(null);
        KeyManager other = keys(null);
        String old = here.current().kid();

        other.rotate();
        clock.advance(KeyManager.REFRESH_INTERVAL.minusSeconds(1));

        assertEquals(old, here.current().kid(), "the hot path only reads the clock");
    }

    @Test
    void currentWhenRotationPeriodHasPassedThenANewKeySigns() {
        KeyManager keys = keys(Duration.ofDays(30));
        String first = keys.current().kid();

        clock.advance(Duration.ofDays(29));
        assertEquals(first, keys.current().kid());
        clock.advance(Duration.ofDays(1));

        assertNotEquals(first, keys.current().kid());
        assertTrue(kids(keys.published()).contains(first));
    }

    @Test
    void resolveWhenAnotherNodeRotatedThenFindsTheNewKeyInTheSharedStore() {
        KeyManager nodeA = keys(null);
        KeyManager nodeB = keys(null);
        assertEquals(nodeA.current().kid(), nodeB.current().kid(), "the second node uses the key the first generated");

        String fresh = nodeA.rotate();
        clock.advance(Duration.ofSeconds(2));

        assertTrue(nodeB.resolve(fresh).isPresent());
        assertEquals(fresh, nodeB.current().kid());
    }

    @Test
    void reloadWhenRetiredKeyLongGoneThenDeletedFromTheStore() {
        KeyManager keys = keys(null);
        String old = keys.current().kid();
        keys.rotate();

        clock.advance(OVERLAP.multipliedBy(2).plusSeconds(1));
        keys.reload();

        assertTrue(store.findAll().stream().noneMatch(r -> r.kid().equals(old)));
    }
}
