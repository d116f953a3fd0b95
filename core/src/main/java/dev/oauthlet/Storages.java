package dev.oauthlet;

import dev.oauthlet.config.BaseDirectory;
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

    /**
     * {@code true} when {@code config} names a store that holds nothing yet: memory, or an embedded
     * H2 file that does not exist. A guess made before opening it, used only to start work that a
     * new store will need (its first signing key, {@link dev.oauthlet.key.AheadKey}); a database
     * elsewhere is never guessed new.
     */
    public static boolean isNew(StorageConfig config) {
        if (config.url().equals(StorageConfig.MEMORY)) {
            return true;
        }
        String h2 = BaseDirectory.h2File(config.url());
        if (h2 == null) {
            return false;
        }
        if (h2.startsWith("~")) {
            h2 = System.getProperty("user.home") + h2.substring(1);
        }
        return !java.nio.file.Files.exists(java.nio.file.Path.of(h2 + ".mv.db"));
    }

    /**
     * Where {@code config} keeps its data, for a start line: the absolute file of an embedded H2
     * database, else the URL without the part that may hold credentials.
     */
    public static String describe(StorageConfig config) {
        String url = config.url();
        if (url.equals(StorageConfig.MEMORY)) {
            return "memory (lost at stop)";
        }
        String h2 = BaseDirectory.h2File(url);
        if (h2 != null) {
            return "H2 file " + h2 + ".mv.db";
        }
        int cut = url.indexOf('?');
        return cut < 0 ? url : url.substring(0, cut);
    }
}
