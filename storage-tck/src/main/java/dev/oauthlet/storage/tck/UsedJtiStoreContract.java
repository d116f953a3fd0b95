package dev.oauthlet.storage.tck;

import static dev.oauthlet.storage.tck.StoreRecords.NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oauthlet.spi.Storage;
import dev.oauthlet.spi.UsedJtiStore;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link UsedJtiStore}: one-time identifiers, so a replayed DPoP proof or client assertion is refused on every node. */
interface UsedJtiStoreContract {

    Storage storage();

    private UsedJtiStore jtis() {
        return storage().usedJtis();
    }

    @Test
    default void markUsedWhenKeyNewThenTrueAndWhenRepeatedThenFalse() {
        assertTrue(jtis().markUsed("k1", NOW.plusSeconds(300), NOW));

        assertFalse(jtis().markUsed("k1", NOW.plusSeconds(300), NOW));
        assertTrue(jtis().markUsed("k2", NOW.plusSeconds(300), NOW));
    }

    @Test
    default void markUsedWhenEarlierEntryExpiredButNotPurgedThenTrueAgain() {
        jtis().markUsed("k1", NOW.minusSeconds(1), NOW.minusSeconds(300));

        assertTrue(jtis().markUsed("k1", NOW.plusSeconds(300), NOW));
        assertFalse(jtis().markUsed("k1", NOW.plusSeconds(300), NOW.plusSeconds(1)));
    }

    /** Two nodes receiving one replayed proof at once: exactly one may accept it. */
    @Test
    default void markUsedWhenManyThreadsMarkOneKeyAtOnceThenExactlyOneWins() throws Exception {
        List<Boolean> results = Race.run(20, () -> jtis().markUsed("k1", NOW.plusSeconds(300), NOW));

        assertEquals(1, results.stream().filter(b -> b).count());
    }

    @Test
    default void purgeExpiredJtisWhenSomeExpiredThenDeletesOnlyThose() {
        jtis().markUsed("expired", NOW.minusSeconds(1), NOW.minusSeconds(10));
        jtis().markUsed("at-now", NOW, NOW.minusSeconds(10));
        jtis().markUsed("live", NOW.plusSeconds(1), NOW.minusSeconds(10));

        assertEquals(2, jtis().purgeExpired(NOW, 500));

        assertFalse(jtis().markUsed("live", NOW.plusSeconds(60), NOW));
    }
}
