package dev.oauthlet.storage.tck;

import static dev.oauthlet.storage.tck.StoreRecords.NOW;
import static dev.oauthlet.storage.tck.StoreRecords.code;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oauthlet.spi.AuthorizationCodeRecord;
import dev.oauthlet.spi.AuthorizationCodeStore.Redemption;
import dev.oauthlet.spi.AuthorizationCodeStore;
import dev.oauthlet.spi.Storage;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link AuthorizationCodeStore}: a code is consumed exactly once, however many try at the same time. */
interface AuthorizationCodeStoreContract {

    Storage storage();

    private AuthorizationCodeStore codes() {
        return storage().authorizationCodes();
    }

    @Test
    default void consumeWhenFirstUseThenFirstUseWithEveryFieldAndClaim() {
        AuthorizationCodeRecord code = code();
        codes().save(code);

        assertEquals(new Redemption(code, true), codes().consume(code.hash()).orElseThrow());
    }

    @Test
    default void consumeWhenSavedWithoutRedirectUriPkceOrClaimsThenComesBackWithoutThem() {
        AuthorizationCodeRecord c = code();
        AuthorizationCodeRecord bare = new AuthorizationCodeRecord(c.hash(), "app", "alice", null, Set.of("openid"), null, null,
                Map.of(), c.expiresAt(), null);
        codes().save(bare);

        assertEquals(new Redemption(bare, true), codes().consume(bare.hash()).orElseThrow());
    }

    @Test
    default void consumeWhenUsedBeforeThenNotFirstUse() {
        AuthorizationCodeRecord code = code();
        codes().save(code);
        codes().consume(code.hash());

        Redemption again = codes().consume(code.hash()).orElseThrow();

        assertFalse(again.firstUse());
        assertEquals(code, again.code());
    }

    @Test
    default void consumeWhenUnknownThenEmpty() {
        codes().save(code());

        assertTrue(codes().consume("no-such-hash").isEmpty());
    }

    @Test
    default void consumeWhenFiftyThreadsRedeemOneCodeThenExactlyOneFirstUse() throws Exception {
        AuthorizationCodeRecord code = code();
        codes().save(code);

        List<Redemption> redemptions = Race.run(50, () -> codes().consume(code.hash()).orElseThrow());

        assertEquals(1, redemptions.stream().filter(Redemption::firstUse).count());
        assertTrue(redemptions.stream().allMatch(r -> r.code().equals(code)));
    }

    @Test
    default void attachFamilyWhenFirstRedemptionYieldedAFamilyThenTheSecondRedemptionCarriesIt() {
        AuthorizationCodeRecord code = code();
        codes().save(code);
        assertNull(codes().consume(code.hash()).orElseThrow().code().familyId());

        codes().attachFamily(code.hash(), "family-1");

        Redemption replay = codes().consume(code.hash()).orElseThrow();
        assertFalse(replay.firstUse());
        assertEquals("family-1", replay.code().familyId());
    }

    @Test
    default void purgeExpiredCodesWhenSomeExpiredThenDeletesOnlyThose() {
        AuthorizationCodeRecord expired = code(NOW.minusSeconds(1));
        AuthorizationCodeRecord atNow = code(NOW);
        AuthorizationCodeRecord live = code(NOW.plusSeconds(1));
        codes().save(expired);
        codes().save(atNow);
        codes().save(live);

        assertEquals(2, codes().purgeExpired(NOW, 500));

        assertTrue(codes().consume(expired.hash()).isEmpty());
        assertTrue(codes().consume(atNow.hash()).isEmpty());
        assertEquals(new Redemption(live, true), codes().consume(live.hash()).orElseThrow());
    }

    @Test
    default void purgeExpiredCodesWhenMoreExpiredThanTheLimitThenDeletesOnlyTheLimitPerCall() {
        for (int i = 0; i < 5; i++) {
            codes().save(code(NOW.minusSeconds(10 + i)));
        }

        assertEquals(2, codes().purgeExpired(NOW, 2));
        assertEquals(2, codes().purgeExpired(NOW, 2));
        assertEquals(1, codes().purgeExpired(NOW, 2));
        assertEquals(0, codes().purgeExpired(NOW, 2));
    }
}
