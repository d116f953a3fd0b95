package dev.oauthlet.error;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oauthlet.MutableClock;
import dev.oauthlet.spi.StorageException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

class OutageLogTest {

    private final MutableClock clock = MutableClock.startingNow();
    private final RecordingLogger log = new RecordingLogger(Level.INFO);
    private final OutageLog outages = new OutageLog(log, "the store", Duration.ofSeconds(30), clock);
    private final StorageException failure = new StorageException("database operation failed: connection refused",
            new ConnectException("Connection refused"));

    @Test
    void failedWhenOutageLastsAMinuteAtAThousandFailuresASecondThenOneLinePerIntervalAndOneWhenBack() {
        for (int ms = 0; ms < 65_000; ms++) {
            outages.failed(failure);
            clock.advance(Duration.ofMillis(1));
        }
        outages.succeeded();
        outages.succeeded();

        List<RecordingLogger.Line> lines = log.lines();
        assertEquals(4, lines.size(), lines.toString());
        assertEquals(Level.WARN, lines.get(0).level());
        assertEquals("the store is unreachable: dev.oauthlet.spi.StorageException: database operation failed: connection refused;"
                + " caused by java.net.ConnectException: Connection refused", lines.get(0).message());
        assertEquals("the store is still unreachable after 30 s: 30000 failures in the last 30 s; last: dev.oauthlet.spi.StorageException:"
                + " database operation failed: connection refused; caused by java.net.ConnectException: Connection refused",
                lines.get(1).message());
        assertTrue(lines.get(2).message().startsWith("the store is still unreachable after 60 s: 30000 failures"), lines.get(2).message());
        assertEquals(Level.INFO, lines.get(3).level());
        assertEquals("the store is reachable again after 65000 ms (65000 failures)", lines.get(3).message());
        assertTrue(lines.stream().noneMatch(RecordingLogger.Line::withStackTrace), "stack traces only at DEBUG");
    }

    @Test
    void failedWhenDebugEnabledThenEachFailureCarriesItsStackTraceThere() {
        RecordingLogger debug = new RecordingLogger(Level.DEBUG);
        OutageLog o = new OutageLog(debug, "the store", Duration.ofSeconds(30), clock);

        o.failed(failure);
        o.failed(failure);

        assertEquals(List.of(Level.WARN, Level.DEBUG, Level.DEBUG), debug.lines().stream().map(RecordingLogger.Line::level).toList());
        assertTrue(debug.lines().get(1).withStackTrace());
    }

    @Test
    void succeededWhenNothingFailedThenSilent() {
        outages.succeeded();
        assertEquals(List.of(), log.lines());
        assertFalse(outages.isDown());
    }

    @Test
    void failedWhenASecondOutageFollowsARecoveryThenItIsToldAgain() {
        outages.failed(failure);
        outages.succeeded();
        clock.advance(Duration.ofSeconds(5));
        outages.failed(failure);

        assertEquals(List.of(Level.WARN, Level.INFO, Level.WARN), log.lines().stream().map(RecordingLogger.Line::level).toList());
        assertTrue(outages.isDown());
    }
}
