package dev.oauthlet.key;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oauthlet.MutableClock;
import dev.oauthlet.Storages;
import dev.oauthlet.config.StorageConfig;
import dev.oauthlet.crypto.KeyEncryptionKeys;
import dev.oauthlet.error.OutageLog;
import dev.oauthlet.internal.memory.MemoryStorage;
import dev.oauthlet.spi.Storage;
import dev.oauthlet.spi.SigningKeyStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The first key of a new store, generated while it opens: used once, and only when a key must be created. */
class AheadKeyTest {

    private static final Duration OVERLAP = Duration.ofMinutes(90);
    private final MutableClock clock = MutableClock.startingNow();

    private KeyManager manager(SigningKeyStore store, AheadKey ahead) {
        return new KeyManager(store, SigningAlgorithm.ES256, null, OVERLAP, clock,
                new OutageLog(LoggerFactory.getLogger(AheadKeyTest.class), "test"), KeyEncryptionKeys.none(), ahead);
    }

    @Test
    void takeWhenAskedTwiceThenThePairAheadOnceAndAFreshOneAfter() {
        AheadKey ahead = AheadKey.start(SigningAlgorithm.ES256);
        SigningKey first = ahead.take(SigningAlgorithm.ES256, "k1", Instant.EPOCH);
        SigningKey second = ahead.take(SigningAlgorithm.ES256, "k2", Instant.EPOCH);
        assertEquals("k1", first.kid());
        assertEquals(Instant.EPOCH, first.createdAt());
        assertNotEquals(first.publicKey(), second.publicKey());
        assertTrue(ahead.taken());
    }

    @Test
    void takeWhenAnotherAlgorithmThenGeneratedForItAndThePairAheadKept() {
        AheadKey ahead = AheadKey.start(SigningAlgorithm.ES256);
        SigningKey ed = ahead.take(SigningAlgorithm.EdDSA, "k", Instant.EPOCH);
        assertEquals(SigningAlgorithm.EdDSA, ed.algorithm());
        assertFalse(ahead.taken());
    }

    @Test
    void keyManagerWhenNewStoreThenItsFirstKeyIsThePairAhead() {
        SigningKeyStore store = new MemoryStorage().signingKeys();
        AheadKey ahead = AheadKey.start(SigningAlgorithm.ES256);
        KeyManager keys = manager(store, ahead);
        assertTrue(ahead.taken(), "the new store's first key came from the pair generated ahead");
        // Later keys are generated when needed, each its own.
        String first = keys.current().kid();
        clock.advance(Duration.ofSeconds(1));
        String rotated = keys.rotate();
        assertNotEquals(first, rotated);
        assertNotEquals(keys.publishedSigningKey(first).orElseThrow().publicKey(), keys.publishedSigningKey(rotated).orElseThrow().publicKey());
    }

    @Test
    void keyManagerWhenStoreHasAKeyThenThePairAheadIsNotTaken() {
        SigningKeyStore store = new MemoryStorage().signingKeys();
        String existing = manager(store, AheadKey.NONE).current().kid();
        AheadKey ahead = AheadKey.start(SigningAlgorithm.ES256);
        assertEquals(existing, manager(store, ahead).current().kid());
        assertFalse(ahead.taken());
    }

    @Test
    void storagesIsNewWhenMemoryOrMissingH2FileThenTrueAndOnceOpenedFalse(@TempDir Path dir) {
        assertTrue(Storages.isNew(StorageConfig.memory()));
        StorageConfig h2 = StorageConfig.jdbc("jdbc:h2:file:" + dir.resolve("oauthlet"), "", "");
        assertTrue(Storages.isNew(h2));
        try (Storage opened = Storages.open(h2)) {
            assertFalse(Storages.isNew(h2), "the file exists once the store is open");
        }
        assertFalse(Storages.isNew(h2));
        assertFalse(Storages.isNew(StorageConfig.jdbc("jdbc:postgresql://127.0.0.1/oauthlet", "", "")), "a server database is never guessed new");
    }
}
