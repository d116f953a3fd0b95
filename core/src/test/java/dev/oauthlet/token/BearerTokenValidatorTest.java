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
    @Test
    void cacheWhenEntryUnusedForItsIdleTimeThenDroppedAtTheNextInsertAndUsedOnesKept() {
        VerifiedTokenCache cache = new VerifiedTokenCache(100, Duration.ofMinutes(2), clock, dev.oauthlet.metrics.ResourceMetrics.NONE);
        Instant now = clock.instant();
        cache.put("used", new AccessToken(ISSUER, "a", "aud", "c", Set.of(), "u", now, now.plusSeconds(3600), Map.of()));
        cache.put("idle", new AccessToken(ISSUER, "a", "aud", "c", Set.of(), "i", now, now.plusSeconds(3600), Map.of()));
        clock.advance(Duration.ofSeconds(60));
        assertEquals("u", cache.get("used").jti());

        clock.advance(Duration.ofSeconds(70));
        cache.put("new", new AccessToken(ISSUER, "a", "aud", "c", Set.of(), "n", now, now.plusSeconds(3600), Map.of()));

        assertEquals(2, cache.size(), "the entry idle for 130 s is gone, the one used 70 s ago and the new one stay");
        assertNull(cache.get("idle"));
        assertEquals("u", cache.get("used").jti());
        assertEquals("n", cache.get("new").jti());
    }

    @Test
    void cacheWhenEntriesShareValuesThenServedTokenEqualsTheVerifiedOneInScopeOrder() {
        VerifiedTokenCache cache = new VerifiedTokenCache(100, clock);
        Instant now = clock.instant();
        AccessToken writeRead = new AccessToken(ISSUER, new String("alice"), "aud", "app", new java.util.LinkedHashSet<>(java.util.List.of("write", "read")),
                "j1", now, now.plusSeconds(600), Map.of("fid", "family-1"));
        AccessToken readWrite = new AccessToken(ISSUER, new String("alice"), "aud", "app", new java.util.LinkedHashSet<>(java.util.List.of("read", "write")),
                "j2", now, now.plusSeconds(600), Map.of("fid", "family-2"));
        cache.put("t1", writeRead);
        cache.put("t2", readWrite);

        assertEquals(writeRead, cache.get("t1"));
        assertEquals(readWrite, cache.get("t2"));
        assertEquals(java.util.List.of("write", "read"), java.util.List.copyOf(cache.get("t1").scopes()), "each keeps its own order");
        assertEquals(java.util.List.of("read", "write"), java.util.List.copyOf(cache.get("t2").scopes()));
        org.junit.jupiter.api.Assertions.assertSame(cache.get("t1").subject(), cache.get("t2").subject(), "one subject string for both");
    }
}
