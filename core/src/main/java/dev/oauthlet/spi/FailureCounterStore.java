package dev.oauthlet.spi;

import java.time.Instant;

/**
 * Counts failures (e.g. logins) per key within a window, for brute-force limits. A check
 * reserves its failure ({@link #increment}) before it runs and hands it back ({@link #release})
 * when it succeeds, so however many checks run at once, on however many nodes, no more of them
 * run than the limit allows: each increment must be atomic in the store.
 */
public interface FailureCounterStore {

    /**
     * Adds one failure for {@code key}; a count whose window started before {@code now - window}
     * starts again at one. Returns the count after adding. Atomic: concurrent calls, from any
     * node, each get a distinct count.
     */
    int increment(String key, Instant now, java.time.Duration window);

    /** The current count for {@code key} within the window, 0 if none. */
    int count(String key, Instant now, java.time.Duration window);

    /** Takes one failure back from {@code key} (a reserved one that did not happen); never below zero. */
    void release(String key);

    void reset(String key);

    /**
     * Deletes up to {@code limit} counters whose window started before {@code before}; returns how
     * many. Pass {@code now} minus the longest window in use: older counters count zero anyway.
     */
    int purgeBefore(Instant before, int limit);
}
