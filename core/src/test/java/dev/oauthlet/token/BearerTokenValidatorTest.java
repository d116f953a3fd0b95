package dev.oauthlet.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.oauthlet.MutableClock;
import dev.oauthlet.internal.memory.MemoryStorage;
import dev.oauthlet.key.KeyManager;
import dev.oauthlet.key.KeyResolver;
import dev.oauthlet.key.SigningAlgorithm;
import dev.oauthlet.spi.RevokedTokenStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The resource-side checks and the verified-token cache, without HTTP. */
class BearerTokenValidatorTest {

    private static final String ISSUER = "https://as.example";

    private final MutableClock clock = MutableClock.startingNow();
    private final MemoryStorage storage = new MemoryStorage();
    private final KeyManager keys = new KeyManager(storage.signingKeys(), SigningAlgorithm.ES256, null, Duration.ofHours(1), clock);
    private final AtomicInteger keyLookups = new AtomicInteger();
    /** Counts key look-ups: one per signature check. */
    private final KeyResolver counting = kid -> {
        keyLookups.incrementAndGet();
        return keys.resolve(kid);
    };
    private final AccessTokenVerifier verifier = new AccessTokenVerifier(counting, Set.of(SigningAlgorithm.ES256), ISSUER, Duration.ZERO, clock);

    private String sign(String audience, Duration ttl) {
        Instant now = clock.instant();
        return new AccessTokenIssuer(keys).sign(new AccessToken(ISSUER, "alice", audience, "app", Set.of("orders:read"),
                "jti-" + System.nanoTime(), now, now.plus(ttl), Map.of()));
    }

    private BearerTokenValidator validator(VerifiedTokenCache cache, RevokedTokenStore revoked) {
        return new BearerTokenValidator(verifier, "back-office", cache, revoked);
    }

    @Test
    void validateWhenTheSameTokenRepeatsThenTheSignatureIsCheckedOnce() {
        BearerTokenValidator v = validator(new VerifiedTokenCache(100, clock), null);
        String token = sign("back-office", Duration.ofMinutes(5));

        for (int i = 0; i < 5; i++) {
            assertEquals("alice", v.validate(token).subject());
        }

        assertEquals(1, keyLookups.get());
    }

    @Test
    void validateWhenCachedTokenReachesExpThenVerifiedAfreshAndRefused() {
        BearerTokenValidator v = validator(new VerifiedTokenCache(100, clock), null);
        String token = sign("back-office", Duration.ofMinutes(5));
        v.validate(token);

        clock.advance(Duration.ofMinutes(5));

        TokenVerificationException e = assertThrows(TokenVerificationException.class, () -> v.validate(token));
        assertEquals(TokenVerificationException.Reason.EXPIRED, e.reason());
    }

    @Test
    void validateWhenCachedTokenIsRevokedThenRefused() {
        RevokedTokenStore revoked = storage.revokedTokens();
        BearerTokenValidator v = validator(new VerifiedTokenCache(100, clock), revoked);
        String token = sign("back-office", Duration.ofMinutes(5));
        AccessToken t = v.validate(token);

        revoked.revoke(t.jti(), t.expiresAt());

        assertEquals(TokenVerificationException.Reason.REVOKED,
                assertThrows(TokenVerificationException.class, () -> v.validate(token)).reason());
    }

    @Test
    void validateWhenCachedTokenIsForAnotherAudienceThenStillRefused() {
        VerifiedTokenCache shared = new VerifiedTokenCache(100, clock);
        String storefront = sign("storefront", Duration.ofMinutes(5));
        new BearerTokenValidator(verifier, "storefront", shared, null).validate(storefront);

        assertEquals(TokenVerificationException.Reason.WRONG_AUDIENCE,
                assertThrows(TokenVerificationException.class, () -> validator(shared, null).validate(storefront)).reason());
    }

    @Test
    void cacheWhenFullThenStaysBoundedAndDropsExpiredEntriesFirst() {
        VerifiedTokenCache cache = new VerifiedTokenCache(100, clock);
        Instant now = clock.instant();
        for (int i = 0; i < 50; i++) {
            cache.put("short-" + i, new AccessToken(ISSUER, "a", "aud", "c", Set.of(), "s" + i, now, now.plusSeconds(10), Map.of()));
        }
        for (int i = 0; i < 50; i++) {
            cache.put("long-" + i, new AccessToken(ISSUER, "a", "aud", "c", Set.of(), "l" + i, now, now.plusSeconds(600), Map.of()));
        }
        clock.advance(Duration.ofSeconds(11));

        for (int i = 0; i < 1000; i++) {
            cache.put("more-" + i, new AccessToken(ISSUER, "a", "aud", "c", Set.of(), "m" + i, now, now.plusSeconds(600), Map.of()));
        }

        assertEquals(100, cache.size(), "bounded");
        assertNull(cache.get("short-1"), "expired entries are never served");
    }
}
