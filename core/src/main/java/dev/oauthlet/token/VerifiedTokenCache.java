package dev.oauthlet.token;

import dev.oauthlet.metrics.ResourceMetrics;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tokens already verified, so a client that repeats one token pays the signature check once.
 * Keyed by the SHA-256 of the token, not the token: an entry costs the same whatever the token's
 * length, and no bearer token sits in the heap for a dump to reveal. An entry is never served at
 * or after its token's {@code exp} (without clock skew: past {@code exp} the token is verified
 * afresh). Revocation is not this cache's business: {@link BearerTokenValidator} consults the
 * deny-list on every request, hit or miss.
 *
 * <p>Bounded: when full, expired entries go first, then arbitrary ones until a tenth of the room
 * is free, so a flood of distinct tokens costs one sweep per tenth of the capacity, never a sweep
 * per request. Under concurrent inserts the size may briefly exceed the bound by the number of
 * inserting threads.
 *
 * <p>Memory, measured on a 64-bit JVM with compressed references: about 150 bytes per entry for
 * the map node and the digest key, plus the kept {@link AccessToken}, about 480 bytes for a token
 * with two scopes and no further claims (each extra claim adds its own size). So some 0.6 KB an
 * entry, 6 MB for the default 10,000 entries. Keying by the token itself would add the token's
 * length again (700+ bytes for an RS256 token).
 */
public final class VerifiedTokenCache {

    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

    private final int maxEntries;
    private final Clock clock;
    private final ResourceMetrics metrics;
    private final Map<ByteBuffer, AccessToken> entries = new ConcurrentHashMap<>();

    /**
     * @param maxEntries the most tokens kept; {@code 0} keeps none
     * @param clock      the clock that decides expiry
     */
    public VerifiedTokenCache(int maxEntries, Clock clock) {
        this(maxEntries, clock, ResourceMetrics.NONE);
    }

    /** As above; a {@link #get} that finds nothing is a miss in {@code metrics}. */
    public VerifiedTokenCache(int maxEntries, Clock clock, ResourceMetrics metrics) {
        if (maxEntries < 0) {
            throw new IllegalArgumentException("maxEntries must not be negative");
        }
        this.maxEntries = maxEntries;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** The verified token, or {@code null} when it is not here or has expired. */
    public AccessToken get(String token) {
        if (maxEntries == 0) {
            return null;
        }
        ByteBuffer key = key(token);
        AccessToken t = entries.get(key);
        if (t != null && t.isExpired(clock.instant())) {
            entries.remove(key, t);
            t = null;
        }
        if (t == null) {
            metrics.cacheMiss();
        }
        return t;
    }

    /** Remembers that {@code token} verified to {@code verified}. */
    public void put(String token, AccessToken verified) {
        if (maxEntries == 0 || verified.isExpired(clock.instant())) {
            return;
        }
        if (entries.size() >= maxEntries) {
            makeRoom();
        }
        entries.put(key(token), verified);
    }

    /** Forgets {@code token}, e.g. once it is known to be revoked. */
    public void remove(String token) {
        entries.remove(key(token));
    }

    /** How many tokens are kept now. */
    public int size() {
        return entries.size();
    }

    private synchronized void makeRoom() {
        if (entries.size() < maxEntries) {
            return;
        }
        var now = clock.instant();
        entries.values().removeIf(t -> t.isExpired(now));
        int target = maxEntries - Math.max(1, maxEntries / 10);
        for (Iterator<ByteBuffer> it = entries.keySet().iterator(); it.hasNext() && entries.size() > target; ) {
            it.next();
            it.remove();
        }
    }

    private static ByteBuffer key(String token) {
        MessageDigest md = SHA256.get();
        return ByteBuffer.wrap(md.digest(token.getBytes(StandardCharsets.US_ASCII)));
    }
}
