package dev.oauthlet;

import static dev.oauthlet.spi.TestStoreRecords.refreshToken;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oauthlet.config.OauthletConfig;
import dev.oauthlet.config.StorageConfig;
import dev.oauthlet.internal.memory.MemoryStorage;
import dev.oauthlet.spi.RefreshTokenRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** The server purges expired rows while it runs, every {@code storage.purge-interval}, and stops when closed. */
class OauthletPurgeTest {

    private static OauthletConfig configPurgingEvery(Duration interval) {
        StorageConfig storage = new StorageConfig(StorageConfig.MEMORY, "", "", 1, null, interval);
        return OauthletConfig.builder().issuer("https://auth.example").storage(storage).build();
    }

    private static boolean eventually(BooleanSupplier condition, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(10);
        }
        return condition.getAsBoolean();
    }

    @Test
    void buildWhenPurgeIntervalSetThenExpiredRowsDisappearWhileRunningAndNoLongerAfterClose() throws InterruptedException {
        MemoryStorage storage = new MemoryStorage();
        Instant past = Instant.now().minusSeconds(60);
        RefreshTokenRecord before = refreshToken("family-1", past);
        storage.refreshTokens().save(before);

        Oauthlet server = Oauthlet.builder().config(configPurgingEvery(Duration.ofMillis(20))).storage(storage).build();
        try {
            assertTrue(eventually(() -> storage.refreshTokens().findByHash(before.hash()).isEmpty(), Duration.ofSeconds(5)));
        } finally {
            server.close();
        }

        RefreshTokenRecord after = refreshToken("family-2", past);
        storage.refreshTokens().save(after);
        assertFalse(eventually(() -> storage.refreshTokens().findByHash(after.hash()).isEmpty(), Duration.ofMillis(200)),
                "purged after close");
    }

    @Test
    void buildWhenPurgeIntervalZeroThenExpiredRowsStay() throws InterruptedException {
        MemoryStorage storage = new MemoryStorage();
        RefreshTokenRecord expired = refreshToken("family-1", Instant.now().minusSeconds(60));
        storage.refreshTokens().save(expired);

        Oauthlet server = Oauthlet.builder().config(configPurgingEvery(Duration.ZERO)).storage(storage).build();
        try {
            assertFalse(eventually(() -> storage.refreshTokens().findByHash(expired.hash()).isEmpty(), Duration.ofMillis(200)),
                    "purged although purging is off");
        } finally {
            server.close();
        }
    }
}
