package dev.oauthlet.internal.memory;

import dev.oauthlet.Storages;
import dev.oauthlet.config.StorageConfig;
import dev.oauthlet.spi.Storage;
import dev.oauthlet.spi.StorageContractTest;

/** The storage contract on {@code storage.url: memory}. */
class MemoryStorageContractTest extends StorageContractTest {

    @Override
    protected Storage openEmptyStorage() {
        return Storages.open(StorageConfig.memory(), getClass().getClassLoader());
    }
}
