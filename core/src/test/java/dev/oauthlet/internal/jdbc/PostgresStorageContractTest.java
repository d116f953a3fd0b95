package dev.oauthlet.internal.jdbc;

import dev.oauthlet.spi.Storage;
import dev.oauthlet.spi.StorageContractTest;
import dev.oauthlet.spi.StorageProviders;

/** The storage contract on a real PostgreSQL, the database for several nodes; each test gets a fresh schema. */
class PostgresStorageContractTest extends StorageContractTest {

    @Override
    protected Storage openEmptyStorage() {
        return StorageProviders.open(EmbeddedPostgresServer.newSchema(), getClass().getClassLoader());
    }
}
