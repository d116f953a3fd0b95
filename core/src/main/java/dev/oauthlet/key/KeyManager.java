package dev.oauthlet.key;

import dev.oauthlet.error.OutageLog;
import dev.oauthlet.crypto.Hashes;
import dev.oauthlet.crypto.KeyEncryptionKeys;
import dev.oauthlet.spi.SigningKeyRecord;
import dev.oauthlet.spi.SigningKeyStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's signing keys, kept in a {@link SigningKeyStore} so that a restart, and every node
 * sharing the store, uses the same keys.
 *
 * <p>With a rotation period {@code P}, keys change at the multiples of {@code P} since the epoch
 * (UTC), the same instants on every node. The key of the period starting at {@code B} is published
 * first: the first node to serve a request after {@code B - lead} inserts it with
 * {@code activeFrom = B}, a conditional insert that only one node can win
 * ({@link SigningKeyStore#insertIfAbsent}); every node re-reads the store at that moment, so all
 * publish it; at {@code B} all switch to it, without a further read. A retired key stays published
 * for the overlap. Each node also re-reads the store at least every {@link #REFRESH_INTERVAL}, which
 * is how an unscheduled {@link #rotate()} on one node reaches the others.
 *
 * <p>No request waits for a scheduled key to be generated: an RSA key takes a good part of a second
 * on a busy machine, and the request that happened to publish it would carry that, holding a JWKS
 * response half made meanwhile. The key of the next period is generated on a thread of its own,
 * right after the last publication (or, after a start, a lead before its publication), and only
 * inserted when due; until it is ready, requests go on with the keys they have and the node looks
 * again every {@link #GENERATION_POLL}. (P-256 and Ed25519 keys take well under a millisecond and
 * are made when due.)
 */
public final class KeyManager implements SigningKeys {

    private static final Logger LOG = LoggerFactory.getLogger(KeyManager.class);
    private static final Duration RELOAD_INTERVAL = Duration.ofSeconds(1);
    /** How stale this node's copy of the store may get: another node may rotate on demand. */
    static final Duration REFRESH_INTERVAL = Duration.ofSeconds(15);
    /** How often a node due to publish looks again while the next period's key is still being generated, or was published elsewhere. */
    static final Duration GENERATION_POLL = Duration.ofMillis(100);
    /** The longest a key is published before it signs. */
    static final Duration MAX_LEAD = Duration.ofMinutes(10);

    private final SigningKeyStore store;
    private final SigningAlgorithm algorithm;
    private final Duration rotation;
    private final Duration lead;
    private final Duration overlap;
    private final Clock clock;
    private final OutageLog outages;
    private final SealedKeys sealed;
    private final AheadKey ahead;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile KeyRing ring;
    private volatile Instant lastReload = Instant.EPOCH;
    /** When this node next looks for (or publishes) the next period's key. */
    private volatile Instant nextPublication = Instant.EPOCH;
    /** The next period's key, being generated or ready; taken when published. Written under {@link #lock}. */
    private CompletableFuture<SigningKey> nextKey;

    /**
     * @param rotation how long a key signs; {@code null} never rotates automatically
     * @param overlap  how long a retired key stays published: the longest access-token lifetime plus clock skew
     */
    public KeyManager(SigningKeyStore store, SigningAlgorithm algorithm, Duration rotation, Duration overlap, Clock clock) {
        this(store, algorithm, rotation, overlap, clock, new OutageLog(LOG, "the signing-key store"));
    }

    /** @param outages where a store that cannot be re-read is reported: the server's one log of store outages */
    public KeyManager(SigningKeyStore store, SigningAlgorithm algorithm, Duration rotation, Duration overlap, Clock clock,
                      OutageLog outages) {
        this(store, algorithm, rotation, overlap, clock, outages, KeyEncryptionKeys.none());
    }

    /**
     * @param keks the key-encryption keys private keys are stored under; at start, keys stored in plain or under a
     *             previous KEK are encrypted under the current one
     * @throws dev.oauthlet.spi.StorageException one line, when the store holds keys under a KEK not configured
     */
    public KeyManager(SigningKeyStore store, SigningAlgorithm algorithm, Duration rotation, Duration overlap, Clock clock,
                      OutageLog outages, KeyEncryptionKeys keks) {
        this(store, algorithm, rotation, overlap, clock, outages, keks, AheadKey.NONE);
    }

    /** @param ahead a first key being generated while the store opened, used if this manager must create one */
    public KeyManager(SigningKeyStore store, SigningAlgorithm algorithm, Duration rotation, Duration overlap, Clock clock,
                      OutageLog outages, KeyEncryptionKeys keks, AheadKey ahead) {
        this.ahead = ahead;
        this.sealed = new SealedKeys(keks);
        this.outages = outages;
        this.store = store;
        this.algorithm = algorithm;
        this.rotation = rotation;
        this.lead = rotation == null ? Duration.ZERO : min(rotation.dividedBy(2), MAX_LEAD);
        this.overlap = overlap;
        this.clock = clock;
        lock.lock();
        try {
            sealed.migrate(store);
            reload();
            if (ring.signing(algorithm, clock.instant()) == null) {
                createSigningKey();
            }
        } finally {
            lock.unlock();
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** The key that signs now. The hot path reads the clock and this node's copy of the keys. */
    @Override
    public SigningKey current() {
        Instant now = clock.instant();
        maintain(now);
        SigningKey k = ring.signing(algorithm, now);
        if (k != null) {
            return k;
        }
        lock.lock();
        try {
            reload();
            k = ring.signing(algorithm, now);
            return k != null ? k : createSigningKey();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Re-reads the store when the copy here is older than {@link #REFRESH_INTERVAL}, or when the next
     * period's key is due to be published. One thread does it while the others go on with the keys
     * they have.
     */
    private void maintain(Instant now) {
        if ((now.isBefore(lastReload.plus(REFRESH_INTERVAL)) && now.isBefore(nextPublication)) || !lock.tryLock()) {
            return;
        }
        try {
            if (!now.isBefore(nextPublication)) {
                publishNextPeriodKey(now);
            } else if (!now.isBefore(lastReload.plus(REFRESH_INTERVAL))) {
                reload();
            }
        } catch (RuntimeException e) {
            // A store that cannot be read now must not stop signing with the keys known; try again later.
            lastReload = now;
            Instant retry = now.plus(RELOAD_INTERVAL);
            if (retry.isBefore(nextPublication)) {
                nextPublication = retry;
            }
            outages.failed(e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Within {@code lead} of the next period boundary: makes sure the store holds that period's key,
     * inserting it unless another node already did, and reads the store so this node publishes it.
     */
    private void publishNextPeriodKey(Instant now) {
        reload();
        if (rotation == null) {
            nextPublication = Instant.MAX;
            return;
        }
        Instant boundary = boundaryAfter(now);
        Instant publishAt = boundary.minus(lead);
        if (now.isBefore(publishAt)) {
            Instant prepareAt = publishAt.minus(lead);
            if (now.isBefore(prepareAt)) {
                nextPublication = prepareAt;
            } else {
                prepareNextKey();
                nextPublication = publishAt;
            }
            return;
        }
        if (!ring.hasKeyFrom(boundary)) {
            CompletableFuture<SigningKey> ready = prepareNextKey();
            if (!ready.isDone()) {
                // Another node may publish meanwhile; this one looks again soon, and signs with what it has.
                nextPublication = now.plus(GENERATION_POLL);
                return;
            }
            SigningKey fresh = take(ready, now);
            if (store.insertIfAbsent(record(fresh, boundary))) {
                LOG.info("published {} signing key {}; it signs from {}", algorithm, fresh.kid(), boundary);
            }
            reload();
        }
        // The key for the period after: generated now, while nothing waits for it. A key another node published
        // leaves the one generated here for that next period.
        prepareNextKey();
        nextPublication = boundary.plus(rotation).minus(lead);
    }

    /** The next period's key, started on a thread of its own unless it is being made or ready. Called under {@link #lock}. */
    private CompletableFuture<SigningKey> prepareNextKey() {
        if (nextKey == null) {
            if (algorithm != SigningAlgorithm.RS256) {
                // A P-256 or Ed25519 pair, or an HMAC secret: well under a millisecond, made where it is needed.
                nextKey = CompletableFuture.completedFuture(algorithm.generate(Hashes.randomToken(12), clock.instant()));
            } else {
                CompletableFuture<SigningKey> made = new CompletableFuture<>();
                // Once it is ready, the next request looks again at once rather than at the next poll.
                made.whenComplete((k, e) -> nextPublication = Instant.EPOCH);
                Instant asked = clock.instant();
                Thread t = new Thread(() -> {
                    try {
                        made.complete(algorithm.generate(Hashes.randomToken(12), asked));
                    } catch (RuntimeException e) {
                        made.completeExceptionally(e);
                    }
                }, "oauthlet-next-key");
                t.setDaemon(true);
                t.start();
                nextKey = made;
            }
        }
        return nextKey;
    }

    /** The generated key, or one generated now when that thread failed; either way it is used once. */
    private SigningKey take(CompletableFuture<SigningKey> ready, Instant now) {
        nextKey = null;
        try {
            return ready.join();
        } catch (CompletionException e) {
            LOG.warn("generating the next {} signing key ahead failed; generating it now", algorithm, e.getCause());
            return algorithm.generate(Hashes.randomToken(12), now);
        }
    }

    /** The first multiple of the rotation period since the epoch that is after {@code t}. */
    private Instant boundaryAfter(Instant t) {
        long period = rotation.toMillis();
        return Instant.ofEpochMilli(Math.floorDiv(t.toEpochMilli(), period) * period + period);
    }

    @Override
    public String rotate() {
        lock.lock();
        try {
            return createSigningKey().kid();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Duration overlap() {
        return overlap;
    }

    @Override
    public Duration publicationLead() {
        return lead;
    }

    /**
     * A key that signs from now on (the first key, a rotation on demand, a new algorithm). On an
     * empty store the first key of a period is keyed to the period's start, so nodes that start
     * together on it agree on one; otherwise to this instant.
     */
    private SigningKey createSigningKey() {
        Instant now = clock.instant();
        SigningKey fresh = ahead.take(algorithm, Hashes.randomToken(12), now);
        Instant from;
        if (ring.isEmpty()) {
            from = rotation == null ? Instant.EPOCH : boundaryAfter(now).minus(rotation);
            if (store.insertIfAbsent(record(fresh, from))) {
                LOG.info("new {} signing key {} is current", algorithm, fresh.kid());
            }
            // Else another node stored the first key at the same moment: that one is current.
        } else {
            from = now;
            // Two rotations on demand within one millisecond, on two nodes: the later moves on by a millisecond.
            int attempts = 0;
            while (!store.insertIfAbsent(record(fresh, from))) {
                if (++attempts == 10) {
                    throw new IllegalStateException("the store refuses every new signing key");
                }
                from = from.plusMillis(1);
            }
            LOG.info("new {} signing key {} is current", algorithm, fresh.kid());
        }
        reload();
        SigningKey k = ring.signing(algorithm, from.isAfter(now) ? from : now);
        if (k == null) {
            throw new IllegalStateException("no " + algorithm + " signing key could be stored");
        }
        return k;
    }

    /** The row for a new key, its private part sealed when a key-encryption key is configured. */
    private SigningKeyRecord record(SigningKey k, Instant activeFrom) {
        SigningKeyRecord r = k.toRecord();
        return sealed.seal(new SigningKeyRecord(r.kid(), r.algorithm(), r.privateKey(), r.publicKey(), r.createdAt(), null, null,
                activeFrom));
    }

    /** Keys a verifier should trust now: the current one, the next period's once published, and retired ones within their overlap. */
    public List<SigningKey> publishedKeys() {
        Instant now = clock.instant();
        maintain(now);
        return ring.published(algorithm, now);
    }

    @Override
    public List<VerificationKey> published() {
        List<VerificationKey> out = new ArrayList<>();
        for (SigningKey k : publishedKeys()) {
            out.add(k.toVerificationKey());
        }
        return out;
    }

    @Override
    public Optional<VerificationKey> resolve(String kid) {
        return publishedSigningKey(kid).map(SigningKey::toVerificationKey);
    }

    @Override
    public Optional<SigningKey> publishedSigningKey(String kid) {
        Instant now = clock.instant();
        // A node that only verifies must read the next period's key in its window too.
        maintain(now);
        Optional<SigningKey> found = ring.find(kid, now);
        if (found.isEmpty() && now.isAfter(lastReload.plus(RELOAD_INTERVAL))) {
            // A rotation on demand at another node, or a node that generated the first key: look again, at most once a second.
            lock.lock();
            try {
                if (clock.instant().isAfter(lastReload.plus(RELOAD_INTERVAL))) {
                    reload();
                }
            } finally {
                lock.unlock();
            }
            found = ring.find(kid, clock.instant());
        }
        return found;
    }

    /** Re-reads the store, and deletes keys that left the JWKS long ago. */
    public void reload() {
        Instant now = clock.instant();
        List<SigningKeyRecord> records = sealed.open(store.findAll());
        KeyRing loaded = KeyRing.of(records, overlap);
        List<String> gone = loaded.longGone(now, overlap);
        if (!gone.isEmpty()) {
            gone.forEach(store::delete);
            loaded = KeyRing.of(records.stream().filter(r -> !gone.contains(r.kid())).toList(), overlap);
        }
        ring = loaded;
        lastReload = now;
        outages.succeeded();
    }
}
