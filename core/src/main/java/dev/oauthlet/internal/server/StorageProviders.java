package dev.oauthlet.internal.server;

import dev.oauthlet.config.ConfigException;
import dev.oauthlet.config.StorageConfig;
import dev.oauthlet.spi.Storage;
import dev.oauthlet.spi.StorageProvider;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;

/** Finds the {@link StorageProvider} for a {@code storage.url} through {@link ServiceLoader}. */
public final class StorageProviders {

    private StorageProviders() {
    }

    /**
     * Opens storage for {@code config.url()}.
     *
     * @throws ConfigException when no provider on the class path supports the URL
     */
    public static Storage open(StorageConfig config, ClassLoader loader) {
        List<StorageProvider> providers = new ArrayList<>();
        ServiceLoader.load(StorageProvider.class, loader).forEach(providers::add);
        providers.sort(Comparator.comparingInt(StorageProvider::priority));
        for (StorageProvider p : providers) {
            if (p.supports(config.url())) {
                return p.open(config);
            }
        }
        List<String> names = providers.stream().map(p -> p.getClass().getName()).toList();
        throw new ConfigException("storage.url: no storage provider supports '" + config.url() + "' (found: " + names
                + "); use 'memory', a jdbc: URL whose driver is on the class path, or add a provider jar");
    }
}
