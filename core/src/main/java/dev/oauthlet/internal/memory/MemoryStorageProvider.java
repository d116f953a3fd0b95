package dev.oauthlet.internal.memory;

import dev.oauthlet.config.StorageConfig;
import dev.oauthlet.spi.Storage;
import dev.oauthlet.spi.StorageProvider;

/** {@code storage.url: memory}. */
public final class MemoryStorageProvider implements StorageProvider {

    @Override
    public boolean supports(String url) {
        return StorageConfig.MEMORY.equals(url);
    }

    @Override
    public Storage open(StorageConfig config) {
        return new MemoryStorage();
    }

    @Override
    public int priority() {
        return 100;
    }
}
