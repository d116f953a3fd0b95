package dev.oauthlet.storage.tck;

import static dev.oauthlet.storage.tck.StoreRecords.NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.oauthlet.spi.FailureCounterStore;
import dev.oauthlet.spi.Storage;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** {@link FailureCounterStore}: counts within a window, atomically, however many requests fail at once. */
interface FailureCounterStoreContract {

    static final Duration WINDOW = Duration.ofMinutes(15);

    Storage storage();

    private FailureCounterStore counters() {
        return storage().failureCounters();
    }

    @Test
    default void incrementWhenRepeatedWithinTheWindowThenReturnsTheRunningCount() {
        assertEquals(1, counters().increment("login:alice", NOW, WINDOW));
        assertEquals(2, counters().increment("login:alice", NOW.plusSeconds(60), WINDOW));
        assertEquals(3, counters().increment("login:alice", NOW.plus(WINDOW), WINDOW));

        assertEquals(3, counters().count("login:alice", NOW.plus(WINDOW), WINDOW));
        assertEquals(0, counters().count("login:bob", NOW, WINDOW));
    }

    @Test
    default void incrementWhenTheWindowHasPassedThenStartsAgainAtOne() {
        counters().increment("login:alice", NOW, WINDOW);
        counters().increment("login:alice", NOW, WINDOW);

        Duration later = WINDOW.plusMillis(1);
        assertEquals(1, counters().increment("login:alice", NOW.plus(later), WINDOW));
        assertEquals(2, counters().increment("login:alice", NOW.plus(later), WINDOW));
    }

    @Test
    default void countWhenTheWindowHasPassedThenZero() {
        counters().increment("login:alice", NOW, WINDOW);

        assertEquals(1, counters().count("login:alice", NOW.plus(WINDOW), WINDOW));
        assertEquals(0, counters().count("login:alice", NOW.plus(WINDOW).plusMillis(1), WINDOW));
    }

    @Test
    default void releaseWhenCountedThenOneLessAndNeverBelowZero() {
        counters().increment("login:alice", NOW, WINDOW);
        counters().increment("login:alice", NOW, WINDOW);

        counters().release("login:alice");
        assertEquals(1, counters().count("login:alice", NOW, WINDOW));
        counters().release("login:alice");
        counters().release("login:alice");
        counters().release("login:nobody");

        assertEquals(0, counters().count("login:alice", NOW, WINDOW));
        assertEquals(1, counters().increment("login:alice", NOW, WINDOW));
    }

    @Test
    default void resetWhenCountedThenZeroAndNextIncrementIsOne() {
        counters().increment("login:alice", NOW, WINDOW);
        counters().increment("login:alice", NOW, WINDOW);

        counters().reset("login:alice");

        assertEquals(0, counters().count("login:alice", NOW, WINDOW));
        assertEquals(1, counters().increment("login:alice", NOW, WINDOW));
    }

    /** A brute-force limit is only as good as its count: no failure may be lost to a race. */
    @Test
    default void incrementWhenFiftyThreadsIncrementOneKeyThenEveryFailureCountsOnce() throws Exception {
        List<Integer> counts = Race.run(50, () -> counters().increment("login:alice", NOW, WINDOW));

        assertEquals(50, counters().count("login:alice", NOW, WINDOW));
        assertEquals(IntStream.rangeClosed(1, 50).boxed().toList(), counts.stream().sorted().toList());
    }

    @Test
    default void purgeBeforeWhenSomeWindowsStartedEarlierThenDeletesOnlyThose() {
        counters().increment("old", NOW.minus(Duration.ofHours(2)), WINDOW);
        counters().increment("recent", NOW.minusSeconds(1), WINDOW);
        counters().increment("fresh", NOW, WINDOW);

        assertEquals(2, counters().purgeBefore(NOW, 500));

        Duration all = Duration.ofDays(1);
        assertEquals(0, counters().count("old", NOW, all));
        assertEquals(0, counters().count("recent", NOW, all));
        assertEquals(1, counters().count("fresh", NOW, all));
    }

    @Test
    default void purgeBeforeWhenMoreThanTheLimitThenDeletesOnlyTheLimitPerCall() {
        for (int i = 0; i < 5; i++) {
            counters().increment("key-" + i, NOW.minusSeconds(100 + i), WINDOW);
        }

        assertEquals(3, counters().purgeBefore(NOW, 3));
        assertEquals(2, counters().purgeBefore(NOW, 3));
        assertEquals(0, counters().purgeBefore(NOW, 3));
    }
}
