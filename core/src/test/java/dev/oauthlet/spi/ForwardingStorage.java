package dev.oauthlet.spi;

import java.time.Instant;
import java.util.Optional;

/**
 * A {@link Storage} that hands every call to another one: a test overrides just the store it
 * wants to watch or disturb.
 */
public class ForwardingStorage implements Storage {

    private final Storage delegate;

    public ForwardingStorage(Storage delegate) {
        this.delegate = delegate;
    }

    @Override
    public ClientStore clients() {
        return delegate.clients();
    }

    @Override
    public UserStore users() {
        return delegate.users();
    }

    @Override
    public RefreshTokenStore refreshTokens() {
        return delegate.refreshTokens();
    }

    @Override
    public AuthorizationCodeStore authorizationCodes() {
        return delegate.authorizationCodes();
    }

    @Override
    public ConsentStore consents() {
        return delegate.consents();
    }

    @Override
    public SigningKeyStore signingKeys() {
        return delegate.signingKeys();
    }

    @Override
    public RevokedTokenStore revokedTokens() {
        return delegate.revokedTokens();
    }

    @Override
    public UsedJtiStore usedJtis() {
        return delegate.usedJtis();
    }

    @Override
    public FailureCounterStore failureCounters() {
        return delegate.failureCounters();
    }

    @Override
    public void close() {
        delegate.close();
    }

    /** A {@link RefreshTokenStore} that hands every call to another one. */
    public static class ForwardingRefreshTokenStore implements RefreshTokenStore {

        private final RefreshTokenStore delegate;

        public ForwardingRefreshTokenStore(RefreshTokenStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public void save(RefreshTokenRecord token) {
            delegate.save(token);
        }

        @Override
        public Optional<RefreshTokenRecord> findByHash(String hash) {
            return delegate.findByHash(hash);
        }

        @Override
        public boolean rotate(String hash, Instant at, byte[] sealedSuccessor, RefreshTokenRecord successor) {
            return delegate.rotate(hash, at, sealedSuccessor, successor);
        }

        @Override
        public int revokeFamily(String familyId) {
            return delegate.revokeFamily(familyId);
        }

        @Override
        public int revokeClient(String clientId) {
            return delegate.revokeClient(clientId);
        }

        @Override
        public int revokeSubject(String subject) {
            return delegate.revokeSubject(subject);
        }

        @Override
        public int purgeExpired(Instant now, int limit) {
            return delegate.purgeExpired(now, limit);
        }
    }
}
