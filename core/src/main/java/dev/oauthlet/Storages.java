package dev.oauthlet;

import dev.oauthlet.config.ConfigException;
import dev.oauthlet.config.StorageConfig;
import dev.oauthlet.internal.server.StorageProviders;
import dev.oauthlet.spi.Storage;
import dev.oauthlet.spi.StorageProvider;

/**
 * Opens the storage a configuration names, as the server does at start: for tools that work on
 * the store without running a server (a command line that lists clients or rotates a key, say).
 */
public final class Storages {

    private Storages() {
    }

    /** As {@link #open(StorageConfig, ClassLoader)} with the class loader that loaded Oauthlet. */
    public static Storage open(StorageConfig config) {
        return open(config, Storages.class.getClassLoader());
    }

    /**
     * Opens storage for {@code config.url()} through the first {@link StorageProvider} that
     * {@code loader} finds for it. The caller closes it.
     *
     * @throws ConfigException when no provider supports the URL
     */
    public static Storage open(StorageConfig config, ClassLoader loader) {
        return StorageProviders.open(config, loader);
    }
}
