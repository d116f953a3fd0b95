package dev.oauthlet.storage;

import dev.oauthlet.Storages;
import dev.oauthlet.spi.Storage;
import dev.oauthlet.storage.tck.StorageContract;

/** The storage contract on a real PostgreSQL, the database for several nodes; each test gets a fresh schema. */
class PostgresStorageContractTest extends StorageContract {

    @Override
    protected Storage openEmptyStorage() {
        return Storages.open(EmbeddedPostgresServer.newSchema(), getClass().getClassLoader());
    }
}
