package dev.oauthlet.benchmarks;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The rule that ends a warm-up ({@link SideBySide#steady}): CPU per request of each round, in µs. */
class SteadyStateTest {

    @Test
    void theRunThatEndedTooEarlyIsNotSteadyAfterFiveRounds() {
        // 2026-12-04's example warm-up: the old rule stopped here, the last round pushed up by noise.
        assertFalse(SideBySide.steady(List.of(2277.0, 1741.0, 1449.0, 1450.0, 1681.0)));
    }

    @Test
    void aWarmUpStillFallingByMoreThanThreePercentIsNotSteadyWhateverOneRoundSays() {
        assertFalse(SideBySide.steady(List.of(1577.0, 1327.0, 1295.0, 1267.0, 1600.0, 1181.0)));
    }

    @Test
    void noisyRoundsAroundALevelAreSteady() {
        assertTrue(SideBySide.steady(List.of(1400.0, 1180.0, 1095.0, 1082.0, 1181.0, 1093.0, 1111.0, 1067.0, 1160.0)));
    }

    @Test
    void oneLowRoundAmongTheLastDoesNotMakeAFallingTrend() {
        assertTrue(SideBySide.steady(List.of(1100.0, 1090.0, 1110.0, 1095.0, 900.0, 1100.0)));
    }

    @Test
    void fewerThanTwoWindowsAreNeverSteady() {
        assertFalse(SideBySide.steady(List.of(1000.0, 1000.0, 1000.0, 1000.0, 1000.0)));
    }
}
