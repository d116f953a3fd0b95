package dev.oauthlet.internal.server;

import dev.oauthlet.crypto.SecretHasher;
import dev.oauthlet.error.OAuthException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Caps how many PBKDF2 checks (client secrets, user passwords, and the timing-equalising dummy
 * runs) one server runs at once. Each check costs a CPU a quarter of a second, so without a cap a
 * few wrong secrets per second would take every core and starve token issuance; with it, the
 * excess waits briefly and is then answered {@code temporarily_unavailable} (503), while requests
 * that need no PBKDF2 (a client whose secret is remembered, signing, refresh) go on.
 */
public final class SecretCheckGate {

    /** How long a check waits for its turn before the request is refused. */
    public static final Duration WAIT = Duration.ofSeconds(1);

    private final Semaphore permits;
    private final long waitNanos;

    /**
     * @param maxConcurrent checks that may run at once (at least 1)
     * @param wait          how long a check waits for a permit
     */
    public SecretCheckGate(int maxConcurrent, Duration wait) {
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("maxConcurrent must be at least 1");
        }
        this.permits = new Semaphore(maxConcurrent, true);
        this.waitNanos = wait.toNanos();
    }

    public SecretCheckGate(int maxConcurrent) {
        this(maxConcurrent, WAIT);
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
        run(() -> {
            SecretHasher.spendEqualTime(secret);
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
        try {
            if (permits.tryAcquire(waitNanos, TimeUnit.NANOSECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw OAuthException.temporarilyUnavailable("too many credential checks at once; try again shortly", null);
    }
}
