package dev.oauthlet.internal;

import dev.oauthlet.internal.memory.MemoryStorage;
import dev.oauthlet.spi.AuthorizationCodeStore;
import dev.oauthlet.spi.ClientStore;
import dev.oauthlet.spi.ConsentStore;
import dev.oauthlet.spi.FailureCounterStore;
import dev.oauthlet.spi.RefreshTokenRecord;
import dev.oauthlet.spi.RefreshTokenStore;
import dev.oauthlet.spi.RevokedTokenStore;
import dev.oauthlet.spi.SigningKeyStore;
import dev.oauthlet.spi.Storage;
import dev.oauthlet.spi.UserStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Memory storage whose refresh-token purging a test can watch (which thread, what limit) and
 * make fail: each queued failure is thrown by one purge call, in order.
 */
final class ProbedStorage implements Storage {

    /** One call of {@code refreshTokens().purgeExpired}. */
    record PurgeCall(Thread thread, int limit) {
    }

    final MemoryStorage data = new MemoryStorage();
    final List<PurgeCall> refreshPurges = new CopyOnWriteArrayList<>();
    final Queue<Throwable> failures = new ConcurrentLinkedQueue<>();

    private final RefreshTokenStore refreshTokens = new RefreshTokenStore() {
        @Override
        public void save(RefreshTokenRecord token) {
            data.refreshTokens().save(token);
        }

        @Override
        public Optional<RefreshTokenRecord> findByHash(String hash) {
            return data.refreshTokens().findByHash(hash);
        }

        @Override
        public boolean rotate(String hash, Instant at, byte[] sealedSuccessor, RefreshTokenRecord successor) {
            return data.refreshTokens().rotate(hash, at, sealedSuccessor, successor);
        }

        @Override
        public int revokeFamily(String familyId) {
            return data.refreshTokens().revokeFamily(familyId);
        }

        @Override
        public int purgeExpired(Instant now, int limit) {
            refreshPurges.add(new PurgeCall(Thread.currentThread(), limit));
            Throwable failure = failures.poll();
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            if (failure instanceof Error e) {
                throw e;
            }
            return data.refreshTokens().purgeExpired(now, limit);
        }
    };

    @Override
    public ClientStore clients() {
        return data.clients();
    }

    @Override
    public UserStore users() {
        return data.users();
    }

    @Override
    public RefreshTokenStore refreshTokens() {
        return refreshTokens;
    }

    @Override
    public AuthorizationCodeStore authorizationCodes() {
        return data.authorizationCodes();
    }

    @Override
    public ConsentStore consents() {
        return data.consents();
    }

    @Override
    public SigningKeyStore signingKeys() {
        return data.signingKeys();
    }

    @Override
    public RevokedTokenStore revokedTokens() {
        return data.revokedTokens();
    }

    @Override
    public FailureCounterStore failureCounters() {
        return data.failureCounters();
    }

    @Override
    public void close() {
        data.close();
    }
}
