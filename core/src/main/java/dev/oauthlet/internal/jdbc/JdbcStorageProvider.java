package dev.oauthlet.internal.jdbc;

import dev.oauthlet.config.StorageConfig;
import dev.oauthlet.spi.Storage;
import dev.oauthlet.spi.StorageProvider;

/**
 * Any {@code jdbc:} URL whose driver is on the class path — H2 by default, PostgreSQL for several
 * nodes — or a container's data source, {@code jndi:java:comp/env/jdbc/NAME}.
 */
public final class JdbcStorageProvider implements StorageProvider {

    @Override
    public boolean supports(String url) {
        return url.startsWith("jdbc:") || url.startsWith(StorageConfig.JNDI);
    }

    @Override
    public Storage open(StorageConfig config) {
        return new JdbcStorage(config);
    }

    @Override
    public int priority() {
        return 100;
    }
}
