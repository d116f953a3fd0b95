package dev.oauthlet.key;

import dev.oauthlet.spi.SigningKeyRecord;
import dev.oauthlet.spi.SigningKeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Two sets of signing keys in one {@link SigningKeyStore}: the access tokens' and, when
 * {@code signing.algorithm} is not RS256, the ID tokens' own RS256 keys. Each {@link KeyManager}
 * sees only its own set, so one set's rotation never retires the other's key: the ID-token set is
 * the RS256 keys, the other every other key (after a switch away from RS256 the old RS256 keys
 * can no longer verify access tokens anyway, as the verifier takes the configured algorithm only).
 * ID-token keys are stored one millisecond after the rotation instants of the access-token keys,
 * since the store keeps one key per instant; kids stay as generated (they are part of what seals
 * a key at rest).
 */
public final class KeySets {

    private KeySets() {
    }

    /** The access tokens' keys: every stored key but the ID tokens' own. */
    public static SigningKeyStore accessTokens(SigningKeyStore store) {
        return new View(store, false);
    }

    /** The ID tokens' own keys. */
    public static SigningKeyStore idTokens(SigningKeyStore store) {
        return new View(store, true);
    }

    /**
     * Keys made on first use: an RSA key takes a good part of a second to generate, and a server
     * whose clients never ask for {@code openid} needs none. A JWKS request or the first ID token
     * makes it; every node then finds it in the store.
     */
    public static SigningKeys lazy(Supplier<SigningKeys> make) {
        return new Lazy(make);
    }

    private static final class Lazy implements SigningKeys {
        private final Supplier<SigningKeys> make;
        private volatile SigningKeys keys;

        Lazy(Supplier<SigningKeys> make) {
            this.make = make;
        }

        private SigningKeys keys() {
            SigningKeys k = keys;
            if (k == null) {
                synchronized (this) {
                    k = keys;
                    if (k == null) {
                        k = make.get();
                        keys = k;
                    }
                }
            }
            return k;
        }

        @Override
        public SigningKey current() {
            return keys().current();
        }

        @Override
        public Optional<SigningKey> publishedSigningKey(String kid) {
            return keys().publishedSigningKey(kid);
        }

        @Override
        public List<VerificationKey> published() {
            return keys().published();
        }

        @Override
        public Duration overlap() {
            return keys().overlap();
        }

        @Override
        public String rotate() {
            return keys().rotate();
        }

        @Override
        public Duration publicationLead() {
            return keys().publicationLead();
        }

        @Override
        public Optional<VerificationKey> resolve(String kid) {
            return keys().resolve(kid);
        }
    }

    private record View(SigningKeyStore store, boolean idTokens) implements SigningKeyStore {

        /** ID-token keys are the RS256 ones: this split is made only when access tokens use another algorithm. */
        private boolean mine(SigningKeyRecord r) {
            return SigningAlgorithm.RS256.name().equals(r.algorithm()) == idTokens;
        }

        @Override
        public List<SigningKeyRecord> findAll() {
            return store.findAll().stream().filter(this::mine).map(r -> shifted(r, -1)).toList();
        }

        @Override
        public void save(SigningKeyRecord key) {
            store.save(shifted(key, 1));
        }

        @Override
        public boolean insertIfAbsent(SigningKeyRecord key) {
            return store.insertIfAbsent(shifted(key, 1));
        }

        /** Kids are unique across both sets, and a reseal changes only the private key: the store does it at once. */
        @Override
        public int reseal(List<Reseal> changes) {
            return store.reseal(changes);
        }

        @Override
        public void delete(String kid) {
            store.delete(kid);
        }

        /** The ID-token keys' activeFrom as stored, one millisecond after the access-token keys' instants. */
        private SigningKeyRecord shifted(SigningKeyRecord r, long millis) {
            if (!idTokens || r.activeFrom() == null) {
                return r;
            }
            return new SigningKeyRecord(r.kid(), r.algorithm(), r.privateKey(), r.publicKey(), r.createdAt(), r.activeUntil(),
                    r.publishedUntil(), r.activeFrom().plusMillis(millis), r.keyEncryptionKeyId());
        }
    }
}
