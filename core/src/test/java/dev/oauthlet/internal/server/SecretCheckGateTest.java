package dev.oauthlet.internal.server;

import static dev.oauthlet.TestServers.assertRefused;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oauthlet.crypto.SecretHasher;
import dev.oauthlet.error.ErrorCode;
import dev.oauthlet.internal.memory.MemoryStorage;
import dev.oauthlet.user.UserAccount;
import dev.oauthlet.user.UserCredentials;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretCheckGateTest {

    private static final String HASH = new SecretHasher(1000).hash("s3cret");

    @Test
    void matchesWhenAPermitIsFreeThenChecksTheSecret() {
        SecretCheckGate gate = new SecretCheckGate(1, 4, Duration.ofMillis(20));
        assertTrue(gate.matches("s3cret", HASH));
        assertFalse(gate.matches("wrong", HASH));
    }

    @Test
    void matchesWhenEveryPermitIsHeldPastTheWaitThenTemporarilyUnavailable() {
        SecretCheckGate gate = new SecretCheckGate(1, 4, Duration.ofMillis(20));
        // The permit is held by this very thread: the inner check cannot get one, deterministically.
        gate.run(() -> assertRefused(ErrorCode.TEMPORARILY_UNAVAILABLE, () -> gate.matches("s3cret", HASH)));
        assertTrue(gate.matches("s3cret", HASH), "the permit is back once the outer check is done");
    }

    @Test
    void matchesWhenTheQueueIsFullThenTemporarilyUnavailableWithoutWaiting() {
        SecretCheckGate gate = new SecretCheckGate(1, 0, Duration.ofSeconds(30));
        long started = System.nanoTime();
        gate.run(() -> assertRefused(ErrorCode.TEMPORARILY_UNAVAILABLE, () -> gate.matches("s3cret", HASH)));
        assertTrue(System.nanoTime() - started < Duration.ofSeconds(10).toNanos(), "refused at once, not after the 30 s wait");
    }

    @Test
    void matchesWhenABurstFitsTheQueueThenEveryCheckRuns() throws Exception {
        SecretCheckGate gate = new SecretCheckGate(1, 16, Duration.ofSeconds(20));
        var pool = java.util.concurrent.Executors.newFixedThreadPool(16);
        try {
            List<java.util.concurrent.Future<Boolean>> results = new java.util.ArrayList<>();
            for (int i = 0; i < 16; i++) {
                results.add(pool.submit(() -> gate.matches("s3cret", HASH)));
            }
            for (var r : results) {
                assertTrue(r.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void authenticateWhenGateIsFullThenStoreUsersAreTemporarilyUnavailableNotWrongPassword() {
        SecretCheckGate gate = new SecretCheckGate(1, 4, Duration.ofMillis(20));
        try (MemoryStorage store = new MemoryStorage()) {
            store.users().save(new UserAccount("alice", HASH, List.of(), Map.of()));
            StoreUserAuthenticator users = new StoreUserAuthenticator(store.users(), gate);
            gate.run(() -> assertRefused(ErrorCode.TEMPORARILY_UNAVAILABLE,
                    () -> users.authenticate(new UserCredentials("alice", "s3cret", Map.of()))));
            assertTrue(users.authenticate(new UserCredentials("alice", "s3cret", Map.of())).isPresent());
        }
    }
}
