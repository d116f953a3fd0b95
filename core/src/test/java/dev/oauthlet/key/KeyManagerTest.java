package dev.oauthlet.key;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oauthlet.MutableClock;
import dev.oauthlet.internal.memory.MemoryStorage;
import dev.oauthlet.spi.SigningKeyStore;
import java.time.Duration;
import java.time.Instant;
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

    /** 2026-12-01T00:00:00Z plus {@code offset}: a multiple of one day (and of 20 s) since the epoch. */
    private static MutableClock clockAt(Duration offset) {
        return new MutableClock(Instant.parse("2026-12-01T00:00:00Z").plus(offset));
    }

    @Test
    void currentWhenRotationPeriodHasPassedThenTheNextPeriodsKeySignsFromItsStart() {
        MutableClock at = clockAt(Duration.ofDays(1).plusHours(5));
        KeyManager keys = new KeyManager(store, SigningAlgorithm.ES256, Duration.ofDays(30), OVERLAP, at);
        String first = keys.current().kid();
        // The periods are the multiples of 30 days since the epoch; the next one starts at 2026-12-27T00:00Z.
        Instant boundary = Instant.ofEpochMilli(Math.floorDiv(at.instant().toEpochMilli(), Duration.ofDays(30).toMillis()) * Duration.ofDays(30).toMillis())
                .plus(Duration.ofDays(30));

        at.advance(Duration.between(at.instant(), boundary).minusMillis(1));
        assertEquals(first, keys.current().kid());
        at.advance(Duration.ofMillis(1));

        assertNotEquals(first, keys.current().kid());
        assertTrue(kids(keys.published()).contains(first));
    }

    @Test
    void publishedWhenNextPeriodIsWithinTheLeadThenItsKeyIsPublishedBeforeItSigns() {
        Duration period = Duration.ofSeconds(20);
        MutableClock at = clockAt(Duration.ofSeconds(1));
        KeyManager keys = new KeyManager(store, SigningAlgorithm.ES256, period, OVERLAP, at);
        String first = keys.current().kid();
        assertEquals(Duration.ofSeconds(10), keys.publicationLead());
        assertEquals(List.of(first), kids(keys.published()));

        at.advance(Duration.ofSeconds(9)); // 10 s before the boundary at 20 s
        List<String> published = kids(keys.published());

        assertEquals(2, published.size(), "the next key is published 10 s ahead");
        assertEquals(first, published.get(0), "and does not sign yet");
        assertEquals(first, keys.current().kid());
        String next = published.get(1);
        at.advance(Duration.ofSeconds(10));
        assertEquals(next, keys.current().kid(), "it signs from the boundary");
        assertEquals(List.of(next, first), kids(keys.published()));
    }

    /**
     * An RSA key takes a good part of a second to generate: the next period's is made on a thread of
     * its own long before it is due, so the request that publishes it only inserts it.
     */
    @Test
    void publishedWhenAnRsaKeyIsDueThenItWasGeneratedAheadAndNotByTheRequestThatPublishesIt() throws Exception {
        Duration period = Duration.ofSeconds(20);
        MutableClock at = clockAt(Duration.ofSeconds(1));
        KeyManager keys = new KeyManager(store, SigningAlgorithm.RS256, period, OVERLAP, at);
        String first = keys.current().kid();
        Instant prepared = at.instant();
        at.advance(Duration.ofSeconds(9)); // the lead of the boundary at 20 s

        List<SigningKey> published = keys.publishedKeys();
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (published.size() < 2 && System.nanoTime() < deadline) {
            // The pair is still being made (a cold JVM, a busy machine): the request goes on with the current key.
            assertEquals(List.of(first), published.stream().map(SigningKey::kid).toList());
            Thread.sleep(20);
            published = keys.publishedKeys();
        }

        assertEquals(2, published.size(), "the next key is published once its pair is ready");
        assertEquals(first, published.get(0).kid(), "and does not sign yet");
        assertEquals(prepared, published.get(1).createdAt(), "made when this node first served in that period, not when due");
        at.advance(Duration.ofSeconds(10));
        assertEquals(published.get(1).kid(), keys.current().kid(), "it signs from the boundary");
    }

    @Test
    void publishWhenTwoNodesReachTheLeadThenOneKeyForThePeriodAndBothSignWithIt() {
        Duration period = Duration.ofSeconds(20);
        MutableClock at = clockAt(Duration.ofSeconds(1));
        KeyManager nodeA = new KeyManager(store, SigningAlgorithm.ES256, period, OVERLAP, at);
        KeyManager nodeB = new KeyManager(store, SigningAlgorithm.ES256, period, OVERLAP, at);
        assertEquals(1, store.findAll().size(), "the second node uses the first key");

        for (int i = 0; i < 5; i++) {
            at.advance(Duration.ofSeconds(11)); // into the lead of the next boundary
            nodeA.published();
            nodeB.published();
            at.advance(Duration.ofSeconds(9)); // past the boundary
            assertEquals(nodeA.current().kid(), nodeB.current().kid());
            assertEquals(kids(nodeA.published()), kids(nodeB.published()), "identical JWKS");
        }

        assertEquals(6, store.findAll().size(), "one key per period: the first and five more");
    }

    @Test
    void insertWhenNodesRaceForThePeriodsKeyThenExactlyOneIsStored() throws Exception {
        Duration period = Duration.ofSeconds(20);
        MutableClock at = clockAt(Duration.ofSeconds(1));
        List<KeyManager> nodes = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            nodes.add(new KeyManager(store, SigningAlgorithm.ES256, period, OVERLAP, at));
        }
        at.advance(Duration.ofSeconds(12));

        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(nodes.size());
        try {
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<List<String>>> jwks = new java.util.ArrayList<>();
            for (KeyManager node : nodes) {
                jwks.add(pool.submit(() -> {
                    go.await();
                    return kids(node.published());
                }));
            }
            go.countDown();
            java.util.Set<List<String>> distinct = new java.util.HashSet<>();
            for (var f : jwks) {
                distinct.add(f.get());
            }
            assertEquals(1, distinct.size(), "every node publishes the same keys: " + distinct);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(2, store.findAll().size());
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
