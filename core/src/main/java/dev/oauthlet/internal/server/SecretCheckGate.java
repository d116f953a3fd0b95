package dev.oauthlet.internal.server;

import dev.oauthlet.crypto.SecretHasher;
import dev.oauthlet.error.OAuthException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Caps how many PBKDF2 checks (client secrets, user passwords, and the timing-equalising dummy
 * runs) one server runs at once. Each check costs a CPU a quarter of a second, so without a cap a
 * few wrong secrets per second would take every core and starve token issuance. Beyond the cap, a
 * short bounded queue absorbs a burst (a restart under traffic): up to {@code maxQueued} checks
 * wait up to {@code wait} for their turn; a check that finds the queue full, or waits out its
 * time, is answered {@code temporarily_unavailable} (503). Requests that need no PBKDF2 (a client
 * whose secret is remembered, signing, refresh) never wait here.
 */
public final class SecretCheckGate {

    private final Semaphore permits;
    private final int maxQueued;
    private final AtomicInteger queued = new AtomicInteger();
    private final long waitNanos;

    /**
     * @param maxConcurrent checks that may run at once (at least 1)
     * @param maxQueued     checks that may wait for a permit at once (0: none wait)
     * @param wait          how long a check waits for a permit
     */
    public SecretCheckGate(int maxConcurrent, int maxQueued, Duration wait) {
        if (maxConcurrent < 1 || maxQueued < 0) {
            throw new IllegalArgumentException("maxConcurrent must be at least 1 and maxQueued not negative");
        }
        this.permits = new Semaphore(maxConcurrent, true);
        this.maxQueued = maxQueued;
        this.waitNanos = wait.toNanos();
    }

    /** {@code maxConcurrent} at once, eight times as many waiting up to two seconds. */
    public SecretCheckGate(int maxConcurrent) {
        this(maxConcurrent, 8 * maxConcurrent, Duration.ofSeconds(2));
    }

    /**
     * {@link SecretHasher#matches} under a permit.
     *
     * @throws OAuthException {@code temporarily_unavailable} when no permit came within the wait
     */
    public boolean matches(String secret, String hash) {
        return run(() -> SecretHasher.matches(secret, hash));
    }

    /** {@link SecretHasher#spendEqualTime} under a permit; refused like {@link #matches}. */
    public void spendEqualTime(String secret) {
        spendEqualTime(secret, SecretHasher.DEFAULT_ITERATIONS);
    }

    /** {@link SecretHasher#spendEqualTime(String, int)} under a permit; refused like {@link #matches}. */
    public void spendEqualTime(String secret, int iterations) {
        run(() -> {
            SecretHasher.spendEqualTime(secret, iterations);
            return null;
        });
    }

    /** Runs {@code check} holding a permit. */
    <T> T run(Supplier<T> check) {
        acquire();
        try {
            return check.get();
        } finally {
            permits.release();
        }
    }

    private void acquire() {
        if (permits.tryAcquire()) {
            return;
        }
        if (queued.incrementAndGet() <= maxQueued) {
            try {
                if (permits.tryAcquire(waitNanos, TimeUnit.NANOSECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                queued.decrementAndGet();
            }
        } else {
            queued.decrementAndGet();
        }
        throw OAuthException.temporarilyUnavailable("too many credential checks at once; try again shortly", null);
    }
}
