package dev.oauthlet.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

    @Test
    void parseWhenShortFormsThenTheirDurations() {
        assertEquals(Duration.ofSeconds(90), Durations.parse("90s"));
        assertEquals(Duration.ofMinutes(15), Durations.parse("15m"));
        assertEquals(Duration.ofHours(1), Durations.parse("1h"));
        assertEquals(Duration.ofDays(90), Durations.parse("90d"));
        assertEquals(Duration.ofMillis(500), Durations.parse("500ms"));
    }

    @Test
    void parseWhenIsoThenTheirDurations() {
        assertEquals(Duration.ofHours(1), Durations.parse("PT1H"));
        assertEquals(Duration.ofDays(90), Durations.parse("P90D"));
        assertEquals(Duration.ofMinutes(90), Durations.parse("pt1h30m"));
    }

    @Test
    void parseWhenNotADurationThenIllegalArgument() {
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("1 week"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("h"));
    }
}
