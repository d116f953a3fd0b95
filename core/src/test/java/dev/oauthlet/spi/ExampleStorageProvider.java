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
    public static final class ExampleStorage extends ForwardingStorage {
        private final String url;

        public ExampleStorage(String url) {
            super(new MemoryStorage());
            this.url = url;
        }

        public String url() {
            return url;
        }
    }
}
