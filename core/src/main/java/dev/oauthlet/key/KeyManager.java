package dev.oauthlet.key;

import dev.oauthlet.crypto.Hashes;
import dev.oauthlet.spi.SigningKeyRecord;
import dev.oauthlet.spi.SigningKeyStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's signing keys: the current one signs; retired ones keep verifying (and stay in the
 * JWKS) until every token they signed has expired. Keys live in a {@link SigningKeyStore}, so a
 * restart, and every node sharing the store, uses the same keys. Each node re-reads the store at
 * least every {@link #REFRESH_INTERVAL}, so a rotation on one node is followed by all within it.
 */
public final class KeyManager implements SigningKeys {

    private static final Logger LOG = LoggerFactory.getLogger(KeyManager.class);
    private static final Duration RELOAD_INTERVAL = Duration.ofSeconds(1);
    /**
     * How stale this node's copy of the store may get: another node may rotate (retiring the key
     * this one signs with) or publish a new key, and nothing else would tell this node.
     */
    static final Duration REFRESH_INTERVAL = Duration.ofSeconds(15);

    private final SigningKeyStore store;
    private final SigningAlgorithm algorithm;
    private final Duration rotation;
    private final Duration overlap;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile List<SigningKey> keys = List.of();
    private volatile Instant lastReload = Instant.EPOCH;

    /**
     * @param rotation how long a key signs; {@code null} never rotates automatically
     * @param overlap  how long a retired key stays published: the longest access-token lifetime plus clock skew
     */
    public KeyManager(SigningKeyStore store, SigningAlgorithm algorithm, Duration rotation, Duration overlap, Clock clock) {
        this.store = store;
        this.algorithm = algorithm;
        this.rotation = rotation;
        this.overlap = overlap;
        this.clock = clock;
        reload();
        if (currentOrNull() == null) {
            rotateNow();
        }
    }

    /**
     * The key that signs now; rotates first when the current one has served its time. Re-reads the
     * store every {@link #REFRESH_INTERVAL}, so a rotation on another node is followed here.
     */
    @Override
    public SigningKey current() {
        refreshIfDue();
        SigningKey k = currentOrNull();
        if (k == null || (rotation != null && !k.createdAt().plus(rotation).isAfter(clock.instant()))) {
            lock.lock();
            try {
                reload();
                k = currentOrNull();
                if (k == null || (rotation != null && !k.createdAt().plus(rotation).isAfter(clock.instant()))) {
                    return rotateNow();
                }
            } finally {
                lock.unlock();
            }
        }
        return k;
    }

    /**
     * Re-reads the store when the copy here is older than {@link #REFRESH_INTERVAL}. The hot path
     * costs one clock read; one thread reloads while the others go on with the keys they have.
     */
    private void refreshIfDue() {
        if (clock.instant().isBefore(lastReload.plus(REFRESH_INTERVAL)) || !lock.tryLock()) {
            return;
        }
        try {
            if (!clock.instant().isBefore(lastReload.plus(REFRESH_INTERVAL))) {
                reload();
            }
        } catch (RuntimeException e) {
            // A store that cannot be read now must not stop signing with the keys known; try again later.
            lastReload = clock.instant();
            LOG.warn("cannot re-read the signing keys: {}", e.toString());
        } finally {
            lock.unlock();
        }
    }

    private SigningKey currentOrNull() {
        for (SigningKey k : keys) {
            if (k.isActive() && k.algorithm() == algorithm) {
                return k;
            }
        }
        return null;
    }

    @Override
    public String rotate() {
        return rotateNow().kid();
    }

    @Override
    public Duration overlap() {
        return overlap;
    }

    /** Makes a new key current and retires the old one, which stays published for the overlap. */
    private SigningKey rotateNow() {
        lock.lock();
        try {
            Instant now = clock.instant();
            for (SigningKey k : keys) {
                if (k.isActive()) {
                    store.save(k.retired(now, now.plus(overlap)).toRecord());
                }
            }
            SigningKey fresh = algorithm.generate(Hashes.randomToken(12), now);
            store.save(fresh.toRecord());
            LOG.info("new {} signing key {} is current", algorithm, fresh.kid());
            reload();
            return fresh;
        } finally {
            lock.unlock();
        }
    }

    /** Keys a verifier should trust now: the current one and retired ones still within their overlap. */
    public List<SigningKey> publishedKeys() {
        refreshIfDue();
        Instant now = clock.instant();
        List<SigningKey> out = new ArrayList<>();
        for (SigningKey k : keys) {
            if (isPublished(k, now)) {
                out.add(k);
            }
        }
        return out;
    }

    @Override
    public List<VerificationKey> published() {
        List<VerificationKey> out = new ArrayList<>();
        for (SigningKey k : publishedKeys()) {
            out.add(k.toVerificationKey());
        }
        return out;
    }

    private static boolean isPublished(SigningKey k, Instant now) {
        return k.publishedUntil() == null || k.publishedUntil().isAfter(now);
    }

    @Override
    public Optional<VerificationKey> resolve(String kid) {
        return publishedSigningKey(kid).map(SigningKey::toVerificationKey);
    }

    @Override
    public Optional<SigningKey> publishedSigningKey(String kid) {
        Optional<SigningKey> found = find(kid);
        if (found.isEmpty() && clock.instant().isAfter(lastReload.plus(RELOAD_INTERVAL))) {
            // Another node may have rotated, or started first and generated the key: look again, at most once a second.
            lock.lock();
            try {
                if (clock.instant().isAfter(lastReload.plus(RELOAD_INTERVAL))) {
                    reload();
                }
            } finally {
                lock.unlock();
            }
            found = find(kid);
        }
        return found;
    }

    private Optional<SigningKey> find(String kid) {
        // The verification path: no list copies, a handful of keys at most.
        Instant now = clock.instant();
        for (SigningKey k : keys) {
            if (k.kid().equals(kid) && isPublished(k, now)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }

    /** Re-reads the store, and deletes keys that left the JWKS long ago. */
    public void reload() {
        Instant now = clock.instant();
        List<SigningKey> loaded = new ArrayList<>();
        for (SigningKeyRecord r : store.findAll()) {
            if (r.publishedUntil() != null && r.publishedUntil().plus(overlap).isBefore(now)) {
                store.delete(r.kid());
                continue;
            }
            loaded.add(SigningKey.fromRecord(r));
        }
        // Signing keys first (the newest wins if two nodes rotated at once), then the newest retired ones:
        // creation times alone cannot order two keys made within one clock tick.
        loaded.sort(Comparator.comparing((SigningKey k) -> !k.isActive())
                .thenComparing(Comparator.comparing(SigningKey::createdAt).reversed())
                .thenComparing(SigningKey::kid));
        keys = List.copyOf(loaded);
        lastReload = now;
    }
}
