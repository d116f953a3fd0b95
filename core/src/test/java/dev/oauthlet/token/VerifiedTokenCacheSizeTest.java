package dev.oauthlet.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oauthlet.MutableClock;
import dev.oauthlet.internal.memory.MemoryStorage;
import dev.oauthlet.key.KeyManager;
import dev.oauthlet.key.SigningAlgorithm;
import dev.oauthlet.key.VerificationKey;
import dev.oauthlet.metrics.ResourceMetrics;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.openjdk.jol.info.GraphLayout;

/**
 * What a verified-token cache entry retains, measured with JOL over real tokens (signed, then
 * verified, as the filter caches them): the figure README.md, docs/configuration.md and
 * {@link VerifiedTokenCache}'s documentation state.
 */
class VerifiedTokenCacheSizeTest {

    static {
        // Records (AccessToken, the cache's key) hide their field offsets from Unsafe; JOL finds them another way.
        System.setProperty("jol.magicFieldOffset", "true");
    }

    private static final String ISSUER = "https://as.example";
    private static final int TOKENS = 300;

    private final MutableClock clock = MutableClock.startingNow();
    private final KeyManager keys = new KeyManager(new MemoryStorage().signingKeys(), SigningAlgorithm.ES256, null, Duration.ofHours(1), clock);
    /** The key looked up once, as a filter's resolver keeps it: the store is not what is measured here. */
    private final Map<String, Optional<VerificationKey>> resolved = new ConcurrentHashMap<>();
    private final AccessTokenVerifier verifier = new AccessTokenVerifier(kid -> resolved.computeIfAbsent(kid, keys::resolve),
            Set.of(SigningAlgorithm.ES256), ISSUER, Duration.ZERO, clock);

    /**
     * Tokens as a busy API sees them (ES256 to sign them fast; the cached content is the same for RS256): 20 users of 5 clients, two scopes, one audience, each from
     * its own refresh family ({@code fid}), a fresh {@code jti} each.
     */
    private List<String> tokens() {
        AccessTokenIssuer issuer = new AccessTokenIssuer(keys);
        Instant now = clock.instant();
        List<String> out = new ArrayList<>();
        for (int i = 0; i < TOKENS; i++) {
            out.add(issuer.sign(new AccessToken(ISSUER, "user-" + (i % 20) + "@example.com", "https://api.example.com/orders",
                    "client-" + (i % 5), Set.of("orders:read", "orders:write"), "jti-" + i + "-" + System.nanoTime(), now,
                    now.plusSeconds(3600), Map.of(Revocations.FAMILY_CLAIM, Revocations.familyClaim("family-" + i)))));
        }
        return out;
    }

    @Test
    void entryWhenRealTokensCachedThenRetainsUnder420BytesLittleMoreThanHalfOfTokenKeyedByBuffer() throws Exception {
        VerifiedTokenCache cache = new VerifiedTokenCache(TOKENS * 2, Duration.ofMinutes(2), clock, ResourceMetrics.NONE);
        long empty = GraphLayout.parseInstance(cache).totalSize();
        // What the cache kept before: the verified token as it came out of the verifier, under a wrapped digest.
        Map<ByteBuffer, AccessToken> before = new ConcurrentHashMap<>();
        long beforeEmpty = GraphLayout.parseInstance(before).totalSize();
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        for (String token : tokens()) {
            AccessToken verified = verifier.verify(token);
            cache.put(token, verified);
            before.put(ByteBuffer.wrap(sha256.digest(token.getBytes(StandardCharsets.US_ASCII))), verified);
        }
        assertEquals(TOKENS, cache.size());

        double perEntry = (GraphLayout.parseInstance(cache).totalSize() - empty) / (double) TOKENS;
        double perEntryBefore = (GraphLayout.parseInstance(before).totalSize() - beforeEmpty) / (double) TOKENS;
        System.out.printf("verified-token cache: %.0f bytes an entry (verifier's token under a wrapped digest: %.0f)%n", perEntry, perEntryBefore);

        assertTrue(perEntry < 420, () -> "an entry retains " + perEntry + " bytes");
        assertTrue(perEntry < perEntryBefore * 0.6, () -> perEntry + " bytes an entry, the verifier's token under a buffer " + perEntryBefore);
    }
}
