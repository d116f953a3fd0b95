package dev.oauthlet.internal.jdbc;

import dev.oauthlet.Storages;
import dev.oauthlet.spi.Storage;
import dev.oauthlet.spi.StorageContractTest;

/** The storage contract on a real PostgreSQL, the database for several nodes; each test gets a fresh schema. */
class PostgresStorageContractTest extends StorageContractTest {

    @Override
    protected Storage openEmptyStorage() {
        return Storages.open(EmbeddedPostgresServer.newSchema(), getClass().getClassLoader());
    }
}
