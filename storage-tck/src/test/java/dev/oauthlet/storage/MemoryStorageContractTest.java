package dev.oauthlet.storage;

import dev.oauthlet.Storages;
import dev.oauthlet.config.StorageConfig;
import dev.oauthlet.spi.Storage;
import dev.oauthlet.storage.tck.StorageContract;

/** The storage contract on {@code storage.url: memory}. */
class MemoryStorageContractTest extends StorageContract {

    @Override
    protected Storage openEmptyStorage() {
        return Storages.open(StorageConfig.memory(), getClass().getClassLoader());
    }
}
