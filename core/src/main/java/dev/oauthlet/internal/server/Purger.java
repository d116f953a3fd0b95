package dev.oauthlet.internal.server;

import dev.oauthlet.spi.Storage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntUnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes expired authorization codes, refresh tokens, deny-list entries and failure counters
 * every {@code storage.purge-interval}, on one daemon thread. Each store is drained in batches
 * of {@link #BATCH} rows, so no statement holds locks for long, however much has piled up.
 * Every node may run one: deleting what another node already deleted is harmless.
 */
public final class Purger implements AutoCloseable {

    /** Rows deleted per statement. */
    public static final int BATCH = 500;

    /**
     * How long failure counters are kept after their window started. It must be at least the
     * longest failure window in use: a counter older than its window counts zero anyway.
     */
    public static final Duration COUNTER_RETENTION = Duration.ofDays(1);

    private static final Logger LOG = LoggerFactory.getLogger(Purger.class);
    private static final String THREAD_NAME = "oauthlet-purge";

    private final Storage storage;
    private final Duration clockSkew;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private volatile boolean closed;

    /** What one pass deleted, per store. */
    public record Pass(int codes, int refreshTokens, int revokedTokens, int failureCounters, int usedJtis) {
        public int total() {
            return codes + refreshTokens + revokedTokens + failureCounters + usedJtis;
        }
    }

    private Purger(Storage storage, Duration clockSkew, Clock clock, ScheduledExecutorService scheduler) {
        this.storage = storage;
        this.clockSkew = clockSkew;
        this.clock = clock;
        this.scheduler = scheduler;
    }

    /** A purger that runs only when {@link #purgeOnce} is called. */
    static Purger manual(Storage storage, Duration clockSkew, Clock clock) {
        return new Purger(storage, clockSkew, clock, null);
    }

    /**
     * Starts purging every {@code interval}, the first pass one interval from now.
     *
     * @param interval  {@link Duration#ZERO} (or negative) turns purging off: nothing is started
     * @param clockSkew the verifier's tolerance: a revoked token stays on the deny-list that much past its expiry
     */
    public static Purger start(Storage storage, Duration interval, Duration clockSkew, Clock clock) {
        if (interval.isZero() || interval.isNegative()) {
            return manual(storage, clockSkew, clock);
        }
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread t = new Thread(task, THREAD_NAME);
            // Purging must never keep the JVM alive after the application is done.
            t.setDaemon(true);
            return t;
        });
        Purger purger = new Purger(storage, clockSkew, clock, scheduler);
        long millis = Math.max(1, interval.toMillis());
        scheduler.scheduleWithFixedDelay(purger::scheduledPass, millis, millis, TimeUnit.MILLISECONDS);
        return purger;
    }

    /** {@code true} while a background thread purges. */
    public boolean running() {
        return scheduler != null && !closed;
    }

    /**
     * One pass over every store, now. Never throws: a store that fails is logged and skipped
     * until the next pass; the others are purged regardless.
     */
    public Pass purgeOnce() {
        Instant now = clock.instant();
        Pass pass = new Pass(
                drain("authorization codes", limit -> storage.authorizationCodes().purgeExpired(now, limit)),
                drain("refresh tokens", limit -> storage.refreshTokens().purgeExpired(now, limit)),
                // The verifier accepts a token until clock skew past its expiry; so must the deny-list refuse it.
                drain("revoked access tokens", limit -> storage.revokedTokens().purgeExpired(now.minus(clockSkew), limit)),
                drain("failure counters", limit -> storage.failureCounters().purgeBefore(now.minus(COUNTER_RETENTION), limit)),
                drain("used jtis", limit -> storage.usedJtis().purgeExpired(now, limit)));
        if (pass.total() > 0) {
            LOG.debug("purged {}", pass);
        }
        return pass;
    }

    private int drain(String what, IntUnaryOperator purgeBatch) {
        int total = 0;
        try {
            int deleted;
            do {
                deleted = purgeBatch.applyAsInt(BATCH);
                total += deleted;
            } while (deleted >= BATCH && !closed);
        } catch (RuntimeException e) {
            // One line per store and pass (every purge-interval), the stack trace only at DEBUG: an outage must not flood the log.
            LOG.warn("purging expired {} failed; the next pass tries again: {}", what, e.toString());
            LOG.debug("purging expired {} failed", what, e);
        }
        return total;
    }

    private void scheduledPass() {
        try {
            purgeOnce();
        } catch (Throwable e) {
            // Whatever escapes a scheduled task silently cancels every later run; a store that
            // threw an Error once (a provider compiled against another version, say) may work next time.
            LOG.error("purge pass failed; the next pass runs as scheduled", e);
        }
    }

    /** Stops the background thread, letting a running pass finish its current batch first. */
    @Override
    public void close() {
        closed = true;
        if (scheduler == null) {
            return;
        }
        scheduler.shutdown();
        try {
            if (!scheduler.awaitTermination(5, TimeUnit.SECONDS)) {
                scheduler.shutdownNow();
            }
        } catch (InterruptedException e) {
            scheduler.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
