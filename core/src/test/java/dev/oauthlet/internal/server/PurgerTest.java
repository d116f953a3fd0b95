package dev.oauthlet.internal.server;

import static dev.oauthlet.spi.TestStoreRecords.NOW;
import static dev.oauthlet.spi.TestStoreRecords.code;
import static dev.oauthlet.spi.TestStoreRecords.refreshToken;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oauthlet.spi.AuthorizationCodeRecord;
import dev.oauthlet.spi.RefreshTokenRecord;
import dev.oauthlet.spi.StorageException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PurgerTest {

    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final Duration SKEW = Duration.ofSeconds(30);
    private static final Duration WINDOW = Duration.ofMinutes(15);

    private final ProbedStorage storage = new ProbedStorage();
    private Purger purger;

    @AfterEach
    void stop() {
        if (purger != null) {
            purger.close();
        }
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 5 s");
            }
            Thread.sleep(5);
        }
    }

    @Test
    void purgeOnceWhenEveryStoreHoldsExpiredRowsThenDeletesThoseAndKeepsLiveOnes() {
        AuthorizationCodeRecord expiredCode = code(NOW.minusSeconds(1));
        AuthorizationCodeRecord liveCode = code(NOW.plusSeconds(60));
        RefreshTokenRecord expiredToken = refreshToken("family-1", NOW.minusSeconds(1));
        RefreshTokenRecord liveToken = refreshToken("family-1", NOW.plusSeconds(60));
        storage.authorizationCodes().save(expiredCode);
        storage.authorizationCodes().save(liveCode);
        storage.refreshTokens().save(expiredToken);
        storage.refreshTokens().save(liveToken);
        storage.revokedTokens().revoke("long-expired", NOW.minus(SKEW).minusSeconds(1));
        storage.revokedTokens().revoke("within-skew", NOW.minusSeconds(1));
        storage.failureCounters().increment("stale", NOW.minus(Purger.COUNTER_RETENTION).minusSeconds(1), WINDOW);
        storage.failureCounters().increment("recent", NOW.minusSeconds(1), WINDOW);
        storage.usedJtis().markUsed("old-proof", NOW.minusSeconds(1), NOW.minusSeconds(300));
        storage.usedJtis().markUsed("live-proof", NOW.plusSeconds(60), NOW);

        Purger.Pass pass = Purger.manual(storage, SKEW, CLOCK).purgeOnce();

        assertEquals(new Purger.Pass(1, 1, 1, 1, 1), pass);
        assertFalse(storage.usedJtis().markUsed("live-proof", NOW.plusSeconds(60), NOW));
        assertTrue(storage.authorizationCodes().consume(expiredCode.hash()).isEmpty());
        assertTrue(storage.authorizationCodes().consume(liveCode.hash()).isPresent());
        assertTrue(storage.refreshTokens().findByHash(expiredToken.hash()).isEmpty());
        assertTrue(storage.refreshTokens().findByHash(liveToken.hash()).isPresent());
        assertFalse(storage.revokedTokens().isRevoked("long-expired"));
        // Still refused: the verifier would accept it for the rest of the skew.
        assertTrue(storage.revokedTokens().isRevoked("within-skew"));
        assertEquals(1, storage.failureCounters().count("recent", NOW, WINDOW));
    }

    @Test
    void purgeOnceWhenMoreExpiredThanOneBatchThenDeletesBatchAfterBatchUntilAllAreGone() {
        for (int i = 0; i < 2 * Purger.BATCH + 234; i++) {
            storage.refreshTokens().save(refreshToken("family-" + i, NOW.minusSeconds(1)));
        }

        Purger.Pass pass = Purger.manual(storage, SKEW, CLOCK).purgeOnce();

        assertEquals(2 * Purger.BATCH + 234, pass.refreshTokens());
        assertEquals(List.of(Purger.BATCH, Purger.BATCH, Purger.BATCH),
                storage.refreshPurges.stream().map(ProbedStorage.PurgeCall::limit).toList());
    }

    @Test
    void purgeOnceWhenOneStoreFailsThenNoThrowAndTheOtherStoresAreStillPurged() {
        storage.failures.add(new StorageException("database unreachable", null));
        storage.authorizationCodes().save(code(NOW.minusSeconds(1)));
        storage.revokedTokens().revoke("jti", NOW.minus(Duration.ofHours(1)));

        Purger.Pass pass = Purger.manual(storage, SKEW, CLOCK).purgeOnce();

        assertEquals(new Purger.Pass(1, 0, 1, 0, 0), pass);
    }

    @Test
    void startWhenIntervalSetThenPassesRunRepeatedlyOnADaemonThread() throws InterruptedException {
        purger = Purger.start(storage, Duration.ofMillis(10), SKEW, CLOCK);

        await(() -> storage.refreshPurges.size() >= 3);

        assertTrue(purger.running());
        Thread thread = storage.refreshPurges.get(0).thread();
        assertEquals("oauthlet-purge", thread.getName());
        assertTrue(thread.isDaemon());
    }

    @Test
    void startWhenAPassThrowsThenLaterPassesStillRun() throws InterruptedException {
        storage.failures.add(new StorageException("database unreachable", null));
        storage.failures.add(new NoSuchMethodError("a provider built against another version"));
        RefreshTokenRecord expired = refreshToken("family-1", NOW.minusSeconds(1));
        storage.refreshTokens().save(expired);

        purger = Purger.start(storage, Duration.ofMillis(10), SKEW, CLOCK);

        await(() -> storage.refreshTokens().findByHash(expired.hash()).isEmpty());
        assertTrue(storage.refreshPurges.size() >= 3);
    }

    @Test
    void startWhenIntervalZeroThenNothingRuns() throws InterruptedException {
        purger = Purger.start(storage, Duration.ZERO, SKEW, CLOCK);

        Thread.sleep(100);

        assertFalse(purger.running());
        assertEquals(List.of(), storage.refreshPurges);
    }

    @Test
    void closeWhenRunningThenTheThreadEndsAndNoPassFollows() throws InterruptedException {
        purger = Purger.start(storage, Duration.ofMillis(10), SKEW, CLOCK);
        await(() -> !storage.refreshPurges.isEmpty());

        purger.close();

        Thread thread = storage.refreshPurges.get(0).thread();
        thread.join(5_000);
        assertFalse(thread.isAlive());
        int passes = storage.refreshPurges.size();
        Thread.sleep(50);
        assertEquals(passes, storage.refreshPurges.size());
        assertFalse(purger.running());
    }
}
