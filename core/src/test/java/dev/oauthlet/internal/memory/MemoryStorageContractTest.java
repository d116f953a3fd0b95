package dev.oauthlet.internal.memory;

import dev.oauthlet.config.StorageConfig;
import dev.oauthlet.spi.Storage;
import dev.oauthlet.spi.StorageContractTest;
import dev.oauthlet.spi.StorageProviders;

/** The storage contract on {@code storage.url: memory}. */
class MemoryStorageContractTest extends StorageContractTest {

    @Override
    protected Storage openEmptyStorage() {
        return StorageProviders.open(StorageConfig.memory(), getClass().getClassLoader());
    }
}
