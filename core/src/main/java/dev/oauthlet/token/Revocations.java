package dev.oauthlet.token;

import dev.oauthlet.crypto.Hashes;
import dev.oauthlet.spi.RevokedTokenStore;
import dev.oauthlet.spi.StorageException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What is revoked, as resources check it: single access tokens (by {@code jti}) and whole grants
 * (by the {@value #FAMILY_CLAIM} claim every access token of a refresh-token family carries), read
 * from the store's deny-list into memory at most every {@link #REFRESH}, so a resource checks a
 * token without a database read. One thread at a time re-reads the store while the others go on
 * with the snapshot they have; revocations made through this node are in it at once, those of
 * other nodes within {@link #REFRESH}. Thread-safe; one per server.
 */
public final class Revocations {

    /** The claim naming an access token's refresh-token family (a hash of the family id, not the id itself). */
    public static final String FAMILY_CLAIM = "fid";
    /** The longest a revocation made on another node goes unnoticed here. */
    public static final Duration REFRESH = Duration.ofSeconds(5);

    private static final Logger LOG = LoggerFactory.getLogger(Revocations.class);
    private static final String FAMILY_PREFIX = "fid:";

    private final RevokedTokenStore store;
    private final Clock clock;
    private final ReentrantLock reading = new ReentrantLock();
    private volatile Set<String> snapshot = Set.of();
    /** What this node revoked since its last read of the store, with each entry's expiry. */
    private final Map<String, Instant> local = new ConcurrentHashMap<>();
    private volatile Instant readAt = Instant.MIN;
    private volatile Instant failedAt = Instant.MIN;

    private final boolean direct;

    /** The deny-list of {@code store}, kept in memory and re-read at most every {@link #REFRESH}. */
    public Revocations(RevokedTokenStore store, Clock clock) {
        this(store, clock, false);
    }

    private Revocations(RevokedTokenStore store, Clock clock, boolean direct) {
        this.store = store;
        this.clock = clock;
        this.direct = direct;
    }

    /** The deny-list of {@code store} read on every check, for resources that keep no copy. */
    public static Revocations direct(RevokedTokenStore store) {
        return new Revocations(store, Clock.systemUTC(), true);
    }

    /** The {@value #FAMILY_CLAIM} claim for a family id: stable, and telling nothing about the id. */
    public static String familyClaim(String familyId) {
        return Hashes.sha256("oauthlet token family\n" + familyId).substring(0, 22);
    }

    /** Puts an access token on the deny-list until it expires. */
    public void revokeToken(String jti, Instant expiresAt) {
        store.revoke(jti, expiresAt);
        local.put(jti, expiresAt);
    }

    /**
     * Puts every access token of a family on the deny-list.
     *
     * @param until when the last of them expires at the latest (now plus the longest access-token lifetime)
     */
    public void revokeFamily(String familyId, Instant until) {
        String key = FAMILY_PREFIX + familyClaim(familyId);
        store.revoke(key, until);
        local.put(key, until);
    }

    /** {@code true} when the access token {@code jti} itself is on the deny-list, read from the store. */
    public boolean isRevokedNow(String jti) {
        return store.isRevoked(jti);
    }

    /**
     * {@code true} when {@code token} or its family is revoked, read from the store: for answers
     * that must be current at once (introspection, a refresh authenticated by an access token).
     */
    public boolean isRevokedNow(AccessToken token) {
        if (store.isRevoked(token.jti())) {
            return true;
        }
        String family = family(token);
        return family != null && store.isRevoked(FAMILY_PREFIX + family);
    }

    /**
     * {@code true} when {@code token} or its family is revoked, from the in-memory snapshot
     * (re-read when older than {@link #REFRESH}).
     *
     * @throws StorageException when the store cannot be read and the snapshot is more than twice {@link #REFRESH} old
     */
    public boolean isRevoked(AccessToken token) {
        if (direct) {
            return isRevokedNow(token);
        }
        Set<String> known = current();
        String family = family(token);
        return known.contains(token.jti()) || local.containsKey(token.jti())
                || family != null && (known.contains(FAMILY_PREFIX + family) || local.containsKey(FAMILY_PREFIX + family));
    }

    private static String family(AccessToken token) {
        return token.claims().get(FAMILY_CLAIM) instanceof String s ? s : null;
    }

    private Set<String> current() {
        Instant now = clock.instant();
        if (now.isBefore(readAt.plus(REFRESH))) {
            return snapshot;
        }
        // Slightly stale: one thread re-reads, the others go on with what they have. Too stale to trust
        // (or never read): everyone waits for the read, and an unreadable store is an error.
        boolean tooStale = readAt.equals(Instant.MIN) || now.isAfter(readAt.plus(REFRESH.multipliedBy(2)));
        if (tooStale) {
            reading.lock();
        } else if (!reading.tryLock()) {
            return snapshot;
        }
        try {
            if (now.isBefore(readAt.plus(REFRESH))) {
                return snapshot;
            }
            if (tooStale && now.isBefore(failedAt.plusSeconds(1))) {
                // The read just failed for the thread before us: do not queue up behind a store that is down.
                throw new StorageException("the deny-list cannot be read", null);
            }
            try {
                snapshot = Set.copyOf(store.activeEntries(now));
                // What this node revoked before the read is in the snapshot now, and what expired before a
                // read could succeed (a store down for longer than a token lives) needs no entry at all.
                local.entrySet().removeIf(e -> snapshot.contains(e.getKey()) || !e.getValue().isAfter(now));
                readAt = now;
            } catch (StorageException e) {
                failedAt = now;
                if (tooStale) {
                    throw e;
                }
                LOG.debug("the deny-list could not be re-read; using the snapshot of {}", readAt);
            }
            return snapshot;
        } finally {
            reading.unlock();
        }
    }
}
