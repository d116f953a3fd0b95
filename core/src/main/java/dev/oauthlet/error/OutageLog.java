package dev.oauthlet.error;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;

/**
 * Tells the log about an outage of something Oauthlet depends on (the store, a remote JWKS)
 * without flooding it: one WARN with the cause when it starts failing, at most one WARN per
 * {@code interval} while it keeps failing (with how many failures there were), one INFO when it
 * works again. Stack traces go to DEBUG only. Thread-safe; the calls on the healthy path cost one
 * volatile read.
 */
public final class OutageLog {

    /** How often a lasting outage is logged again. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);

    private final Logger log;
    private final String what;
    private final Duration interval;
    private final Clock clock;
    private final Object lock = new Object();
    private volatile boolean down;
    private Instant since;
    private Instant lastLine;
    private long failures;
    private long failuresSinceLine;

    /**
     * @param log  where to write
     * @param what what failed, as the log lines name it, e.g. {@code "the store"}
     */
    public OutageLog(Logger log, String what, Duration interval, Clock clock) {
        this.log = log;
        this.what = what;
        this.interval = interval;
        this.clock = clock;
    }

    public OutageLog(Logger log, String what) {
        this(log, what, DEFAULT_INTERVAL, Clock.systemUTC());
    }

    /** An operation failed because of {@code cause}. */
    public void failed(Throwable cause) {
        Instant now = clock.instant();
        String line = null;
        long count = 0;
        Duration lasting = null;
        synchronized (lock) {
            failures++;
            failuresSinceLine++;
            if (!down) {
                down = true;
                since = now;
                lastLine = now;
                failures = 1;
                failuresSinceLine = 0;
                line = "first";
            } else if (!now.isBefore(lastLine.plus(interval))) {
                count = failuresSinceLine;
                lasting = Duration.between(since, now);
                lastLine = now;
                failuresSinceLine = 0;
                line = "again";
            }
        }
        if ("first".equals(line)) {
            log.warn("{} is unreachable: {}", what, describe(cause));
        } else if (line != null) {
            log.warn("{} is still unreachable after {} s: {} failures in the last {} s; last: {}", what, lasting.toSeconds(), count,
                    interval.toSeconds(), describe(cause));
        }
        log.debug("{} failed", what, cause);
    }

    /** An operation succeeded: if an outage was under way, it is over. */
    public void succeeded() {
        if (!down) {
            return;
        }
        long count;
        Duration lasted;
        synchronized (lock) {
            if (!down) {
                return;
            }
            down = false;
            count = failures;
            lasted = Duration.between(since, clock.instant());
        }
        log.info("{} is reachable again after {} ms ({} failures)", what, lasted.toMillis(), count);
    }

    /** {@code true} while failures have not been followed by a success. */
    public boolean isDown() {
        return down;
    }

    /** The cause and what caused it, on one line: enough to act on without the stack trace. */
    private static String describe(Throwable cause) {
        if (cause == null) {
            return "(no cause given)";
        }
        StringBuilder b = new StringBuilder(cause.toString());
        Throwable root = cause.getCause();
        for (int depth = 0; root != null && root != cause && depth < 5; depth++) {
            if (root.getCause() == null || root.getCause() == root) {
                b.append("; caused by ").append(root);
                break;
            }
            root = root.getCause();
        }
        return b.toString();
    }
}
