package dev.oauthlet.token;

import dev.oauthlet.metrics.ResourceMetrics;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tokens already verified, so a client that repeats one token pays the signature check once.
 * Keyed by the SHA-256 of the token, not the token: an entry costs the same whatever the token's
 * length, and no bearer token sits in the heap for a dump to reveal. An entry is never served at
 * or after its token's {@code exp} (without clock skew: past {@code exp} the token is verified
 * afresh). Revocation is not this cache's business: {@link BearerTokenValidator} consults the
 * deny-list on every request, hit or miss.
 *
 * <p>Bounded three ways. An entry not used for {@code idle} is dropped (at the next insert once a
 * quarter of {@code idle} has passed since the last sweep), so the cache holds the tokens clients
 * are using, not every token seen within the hour of a token's life; a token used again after that
 * is verified once more. When {@code maxEntries} is reached, expired entries go first, then
 * arbitrary ones until a tenth of the room is free, so a flood of distinct tokens costs one sweep
 * per tenth of the capacity, never a sweep per request. Under concurrent inserts the size may
 * briefly exceed the bound by the number of inserting threads. Sweeps happen on insert only: a hit
 * reads the map and, at most once a second per entry, writes its last-use time.
 *
 * <p>Memory: an entry keeps what the filter needs — the digest as four {@code long}s, the verified
 * token with its subject, audience, client id, scope set and claim names shared with the other
 * entries that have the same ones (a small pool, cleared when it reaches {@value #SHARED_MAX}
 * values), its own {@code jti}, times and claim values. Measured by {@code VerifiedTokenCacheSizeTest}
 * (JOL, 64-bit JVM with compressed references): about 390 bytes an entry for a token with two
 * scopes and a refresh-family claim, some 4 MB for the default 10,000 entries; the verifier's
 * token as it was kept before, under a wrapped digest, took about 750.
 */
public final class VerifiedTokenCache {

    /** How long an unused entry stays when no other is given: the filter's {@code cache-idle} default. */
    public static final Duration DEFAULT_IDLE = Duration.ofMinutes(2);

    /** The most distinct shared values (subjects, audiences, client ids, scope sets, claim names) kept for sharing. */
    static final int SHARED_MAX = 1024;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

    private final int maxEntries;
    private final long idleSeconds;
    private final Clock clock;
    private final ResourceMetrics metrics;
    private final Map<Key, Entry> entries = new ConcurrentHashMap<>();
    /** Equal subjects, audiences, client ids, scope sets and claim names, kept once. */
    private final Map<Object, Object> shared = new ConcurrentHashMap<>();
    /** Epoch second from which the next insert sweeps out idle entries. */
    private volatile long nextSweep;

    /**
     * Entries unused for {@link #DEFAULT_IDLE} are dropped.
     *
     * @param maxEntries the most tokens kept; {@code 0} keeps none
     * @param clock      the clock that decides expiry
     */
    public VerifiedTokenCache(int maxEntries, Clock clock) {
        this(maxEntries, DEFAULT_IDLE, clock, ResourceMetrics.NONE);
    }

    /** As above; a {@link #get} that finds nothing is a miss in {@code metrics}. */
    public VerifiedTokenCache(int maxEntries, Clock clock, ResourceMetrics metrics) {
        this(maxEntries, DEFAULT_IDLE, clock, metrics);
    }

    /**
     * @param maxEntries the most tokens kept; {@code 0} keeps none
     * @param idle       how long an entry stays without being used; at least a second
     * @param clock      the clock that decides expiry and idleness
     * @param metrics    a {@link #get} that finds nothing is a miss there
     */
    public VerifiedTokenCache(int maxEntries, Duration idle, Clock clock, ResourceMetrics metrics) {
        if (maxEntries < 0) {
            throw new IllegalArgumentException("maxEntries must not be negative");
        }
        if (idle.getSeconds() < 1) {
            throw new IllegalArgumentException("idle must be at least a second");
        }
        this.maxEntries = maxEntries;
        this.idleSeconds = idle.getSeconds();
        this.clock = clock;
        this.metrics = metrics;
        this.nextSweep = clock.instant().getEpochSecond() + sweepInterval();
    }

    /** The verified token, or {@code null} when it is not here or has expired. */
    public AccessToken get(String token) {
        return maxEntries == 0 ? null : get(key(token));
    }

    /**
     * The key {@code token} is kept under (its SHA-256), for {@link #get(Key)} and then
     * {@link #put(Key, AccessToken)} on a miss without hashing the token twice; {@code null} when
     * this cache keeps nothing.
     */
    Key keyOf(String token) {
        return maxEntries == 0 ? null : key(token);
    }

    /** {@link #get(String)} under a key from {@link #keyOf}. */
    AccessToken get(Key key) {
        Entry e = entries.get(key);
        if (e != null) {
            Instant now = clock.instant();
            if (e.token.isExpired(now)) {
                entries.remove(key, e);
                e = null;
            } else {
                long second = now.getEpochSecond();
                // A racy write is harmless: at worst a sweep sees an older time and the token is verified once more.
                if (e.lastUsed != second) {
                    e.lastUsed = second;
                }
            }
        }
        if (e == null) {
            metrics.cacheMiss();
            return null;
        }
        return e.token;
    }

    /** Remembers that {@code token} verified to {@code verified}. */
    public void put(String token, AccessToken verified) {
        if (maxEntries != 0) {
            put(key(token), verified);
        }
    }

    /** {@link #put(String, AccessToken)} under a key from {@link #keyOf}. */
    void put(Key key, AccessToken verified) {
        Instant now = clock.instant();
        if (verified.isExpired(now)) {
            return;
        }
        long second = now.getEpochSecond();
        if (second >= nextSweep || entries.size() >= maxEntries) {
            makeRoom(now);
        }
        entries.put(key, new Entry(compact(verified), second));
    }

    /** Forgets {@code token}, e.g. once it is known to be revoked. */
    public void remove(String token) {
        entries.remove(key(token));
    }

    /** How many tokens are kept now. */
    public int size() {
        return entries.size();
    }

    private long sweepInterval() {
        return Math.max(1, idleSeconds / 4);
    }

    private synchronized void makeRoom(Instant now) {
        long second = now.getEpochSecond();
        if (second >= nextSweep) {
            nextSweep = second + sweepInterval();
            entries.values().removeIf(e -> e.token.isExpired(now) || second - e.lastUsed >= idleSeconds);
        }
        if (entries.size() < maxEntries) {
            return;
        }
        entries.values().removeIf(e -> e.token.isExpired(now));
        int target = maxEntries - Math.max(1, maxEntries / 10);
        for (Iterator<Key> it = entries.keySet().iterator(); it.hasNext() && entries.size() > target; ) {
            it.next();
            it.remove();
        }
    }

    /** The same token with the values many entries have in common taken from {@link #shared}. */
    private AccessToken compact(AccessToken t) {
        Map<String, Object> claims = t.claims();
        if (!claims.isEmpty()) {
            Map<String, Object> named = new HashMap<>();
            claims.forEach((name, value) -> named.put(share(name), value));
            claims = named;
        }
        if (shared.size() >= SHARED_MAX) {
            shared.clear();
        }
        return new AccessToken(share(t.issuer()), share(t.subject()), share(t.audience()), share(t.clientId()), shareScopes(t.scopes()),
                t.jti(), t.issuedAt(), t.expiresAt(), claims);
    }

    private String share(String s) {
        return (String) shared.computeIfAbsent(s, k -> k);
    }

    /** By the scopes in order, since the order is what {@link AccessToken#scopes()} iterates in. */
    private Set<String> shareScopes(Set<String> scopes) {
        @SuppressWarnings("unchecked")
        Set<String> s = (Set<String>) shared.computeIfAbsent(new ArrayList<>(scopes), k -> scopes);
        return s;
    }

    private static Key key(String token) {
        byte[] d = SHA256.get().digest(token.getBytes(StandardCharsets.US_ASCII));
        return new Key((long) LONGS.get(d, 0), (long) LONGS.get(d, 8), (long) LONGS.get(d, 16), (long) LONGS.get(d, 24));
    }

    /** A SHA-256 digest: 48 bytes where a wrapped array took 96. */
    record Key(long a, long b, long c, long d) {

        @Override
        public int hashCode() {
            return (int) a;
        }
    }

    private static final class Entry {

        final AccessToken token;
        /** Epoch second of the last hit (or of the insert). */
        long lastUsed;

        Entry(AccessToken token, long lastUsed) {
            this.token = token;
            this.lastUsed = lastUsed;
        }
    }
}
