package dev.oauthlet.key;

import java.security.KeyPair;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The first signing key of a new store, generated while the store opens instead of after it.
 *
 * <p>An RSA key is a search for two random primes: 0.1–0.3 CPU-seconds on a fresh JVM, whose
 * big-integer code is not yet compiled, and more on a busy machine. On a new store the server
 * needs one before it can sign, and it learns so only once the store is open and migrated. When
 * the configuration says the store is new (see {@code Storages.isNew}), the builder starts the
 * search on a thread of its own before it opens the store, and {@link KeyManager} takes the pair
 * if it has to create a key; otherwise nothing is waited for and the pair is dropped. A pair taken
 * is taken once: every later key (a rotation, another period) is generated when it is needed.
 */
public final class AheadKey {

    /** No key ahead: every key is generated when it is needed. */
    public static final AheadKey NONE = new AheadKey(null, null);

    private final SigningAlgorithm algorithm;
    private final CompletableFuture<KeyPair> pair;
    private final AtomicBoolean taken = new AtomicBoolean();

    private AheadKey(SigningAlgorithm algorithm, CompletableFuture<KeyPair> pair) {
        this.algorithm = algorithm;
        this.pair = pair;
    }

    /** Starts generating a pair for {@code algorithm} on a daemon thread; {@link #NONE} for HS256, whose key costs nothing. */
    public static AheadKey start(SigningAlgorithm algorithm) {
        if (algorithm == SigningAlgorithm.HS256) {
            return NONE;
        }
        CompletableFuture<KeyPair> pair = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                pair.complete(algorithm.generatePair());
            } catch (RuntimeException e) {
                pair.completeExceptionally(e);
            }
        }, "oauthlet-first-key");
        t.setDaemon(true);
        t.start();
        return new AheadKey(algorithm, pair);
    }

    /** {@code true} once a key manager took the pair generated ahead. */
    boolean taken() {
        return taken.get();
    }

    /**
     * A new key named {@code kid}: the pair generated ahead, the first time it is asked for one of
     * its algorithm (waiting for it if the search still runs), otherwise one generated now.
     */
    SigningKey take(SigningAlgorithm alg, String kid, Instant now) {
        if (pair != null && alg == algorithm && taken.compareAndSet(false, true)) {
            try {
                return alg.withPair(kid, now, pair.join());
            } catch (java.util.concurrent.CompletionException e) {
                // The thread could not generate one: as if there had been none ahead.
                return alg.generate(kid, now);
            }
        }
        return alg.generate(kid, now);
    }
}
