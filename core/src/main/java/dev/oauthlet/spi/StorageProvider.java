package dev.oauthlet.spi;

import dev.oauthlet.config.StorageConfig;

/**
 * Opens a {@link Storage} for a {@code storage.url}. Implementations are found through
 * {@link java.util.ServiceLoader} ({@code META-INF/services/dev.oauthlet.spi.StorageProvider});
 * the first whose {@link #supports} says yes opens the storage. A third party can ship its own,
 * a Redis store say, in a jar on the class path.
 */
public interface StorageProvider {

    /** {@code true} if this provider handles {@code url}, e.g. {@code memory} or {@code jdbc:h2:...}. */
    boolean supports(String url);

    Storage open(StorageConfig config);

    /** Lower runs first when several providers support one URL; built-ins use 100. */
    default int priority() {
        return 0;
    }
}
