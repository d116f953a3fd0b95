package dev.oauthlet.spi;

import java.time.Instant;

/** Counts failures (e.g. logins) per key within a window, for brute-force limits. */
public interface FailureCounterStore {

    /**
     * Adds one failure for {@code key}; a count whose window started before {@code now - window}
     * starts again at one. Returns the count after adding.
     */
    int increment(String key, Instant now, java.time.Duration window);

    /** The current count for {@code key} within the window, 0 if none. */
    int count(String key, Instant now, java.time.Duration window);

    void reset(String key);

    /**
     * Deletes up to {@code limit} counters whose window started before {@code before}; returns how
     * many. Pass {@code now} minus the longest window in use: older counters count zero anyway.
     */
    int purgeBefore(Instant before, int limit);
}
