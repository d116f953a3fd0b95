package dev.oauthlet.spi;

import dev.oauthlet.config.StorageConfig;
import dev.oauthlet.internal.memory.MemoryStorage;

/**
 * What a third-party provider looks like: registered in this module's test
 * {@code META-INF/services/dev.oauthlet.spi.StorageProvider}, it answers {@code example:} URLs.
 * Its storage keeps everything in memory and remembers the URL it was opened for.
 */
public final class ExampleStorageProvider implements StorageProvider {

    @Override
    public boolean supports(String url) {
        return url.startsWith("example:");
    }

    @Override
    public Storage open(StorageConfig config) {
        return new ExampleStorage(config.url());
    }

    /** A storage that delegates to memory; {@link #url()} shows which configuration opened it. */
    public static final class ExampleStorage implements Storage {
        private final String url;
        private final MemoryStorage data = new MemoryStorage();

        ExampleStorage(String url) {
            this.url = url;
        }

        public String url() {
            return url;
        }

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
            return data.refreshTokens();
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
}
