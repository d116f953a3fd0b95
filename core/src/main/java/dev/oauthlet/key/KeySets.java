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
 * sees only its own set, so one set's rotation never retires the other's key. ID-token keys are
 * stored with a kid prefix no generated kid has ({@code .} is not base64url), and one millisecond
 * after the rotation instants of the access-token keys, since the store keeps one key per instant.
 */
public final class KeySets {

    /** The kid prefix of ID-token keys. */
    static final String ID_TOKEN_PREFIX = "idt.";

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

        @Override
        public List<SigningKeyRecord> findAll() {
            return store.findAll().stream().filter(r -> r.kid().startsWith(ID_TOKEN_PREFIX) == idTokens).map(this::read).toList();
        }

        @Override
        public void save(SigningKeyRecord key) {
            store.save(write(key));
        }

        @Override
        public boolean insertIfAbsent(SigningKeyRecord key) {
            return store.insertIfAbsent(write(key));
        }

        @Override
        public void delete(String kid) {
            if (kid.startsWith(ID_TOKEN_PREFIX) == idTokens) {
                store.delete(kid);
            }
        }

        private SigningKeyRecord write(SigningKeyRecord r) {
            if (!idTokens) {
                return r;
            }
            String kid = r.kid().startsWith(ID_TOKEN_PREFIX) ? r.kid() : ID_TOKEN_PREFIX + r.kid();
            return new SigningKeyRecord(kid, r.algorithm(), r.privateKey(), r.publicKey(), r.createdAt(), r.activeUntil(),
                    r.publishedUntil(), shift(r.activeFrom(), 1));
        }

        private SigningKeyRecord read(SigningKeyRecord r) {
            return !idTokens ? r : new SigningKeyRecord(r.kid(), r.algorithm(), r.privateKey(), r.publicKey(), r.createdAt(),
                    r.activeUntil(), r.publishedUntil(), shift(r.activeFrom(), -1));
        }

        private static Instant shift(Instant t, long millis) {
            return t == null ? null : t.plusMillis(millis);
        }
    }
}
