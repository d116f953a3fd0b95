package dev.oauthlet.storage;

import dev.oauthlet.Storages;
import dev.oauthlet.config.StorageConfig;
import dev.oauthlet.spi.Storage;
import dev.oauthlet.storage.tck.StorageContract;
import java.util.concurrent.atomic.AtomicInteger;

/** The storage contract on H2, the default database; each test gets a fresh in-memory database. */
class H2StorageContractTest extends StorageContract {

    private static final AtomicInteger DATABASES = new AtomicInteger();

    @Override
    protected Storage openEmptyStorage() {
        String url = "jdbc:h2:mem:contract-" + DATABASES.incrementAndGet();
        return Storages.open(StorageConfig.jdbc(url, "sa", ""), getClass().getClassLoader());
    }
}
