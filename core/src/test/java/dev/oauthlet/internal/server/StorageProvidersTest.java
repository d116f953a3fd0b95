package dev.oauthlet.internal.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oauthlet.config.ConfigException;
import dev.oauthlet.config.StorageConfig;
import dev.oauthlet.internal.jdbc.JdbcStorage;
import dev.oauthlet.internal.memory.MemoryStorage;
import dev.oauthlet.spi.ExampleStorageProvider.ExampleStorage;
import dev.oauthlet.spi.Storage;
import dev.oauthlet.spi.StorageProvider;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StorageProvidersTest {

    private static final ClassLoader LOADER = StorageProvidersTest.class.getClassLoader();

    private static StorageConfig url(String url) {
        return new StorageConfig(url, "", "", 2, null, null);
    }

    @Test
    void openWhenProviderRegisteredThroughServiceLoaderThenItOpensItsUrl() {
        try (Storage storage = StorageProviders.open(url("example:orders"), LOADER)) {
            ExampleStorage example = assertInstanceOf(ExampleStorage.class, storage);
            assertEquals("example:orders", example.url());
        }
    }

    @Test
    void openWhenBuiltInUrlsThenBuiltInProvidersStillAnswer() {
        try (Storage memory = StorageProviders.open(StorageConfig.memory(), LOADER);
             Storage h2 = StorageProviders.open(url("jdbc:h2:mem:providers-test"), LOADER)) {
            assertInstanceOf(MemoryStorage.class, memory);
            assertInstanceOf(JdbcStorage.class, h2);
        }
    }

    @Test
    void openWhenNoProviderSupportsTheUrlThenConfigExceptionNamingTheUrl() {
        ConfigException e = assertThrows(ConfigException.class, () -> StorageProviders.open(url("redis://cache:6379/0"), LOADER));

        assertTrue(e.getMessage().contains("'redis://cache:6379/0'"), e.getMessage());
        assertTrue(e.getMessage().startsWith("storage.url:"), e.getMessage());
    }

    /**
     * Two more providers, registered through a class loader of their own, claim {@code jdbc:}
     * URLs as the built-in JDBC provider (priority 100) does: the lowest priority opens.
     */
    @Test
    void openWhenSeveralProvidersSupportTheUrlThenTheLowestPriorityOpensIt(@TempDir Path dir) throws IOException {
        Path services = dir.resolve("META-INF/services/" + StorageProvider.class.getName());
        Files.createDirectories(services.getParent());
        Files.writeString(services, Late.class.getName() + "\n" + Early.class.getName() + "\n");

        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, LOADER);
             Storage storage = StorageProviders.open(url("jdbc:shard:orders"), loader)) {
            assertEquals("early jdbc:shard:orders", ((ExampleStorage) storage).url());
        }
    }

    public static final class Early implements StorageProvider {
        @Override
        public boolean supports(String url) {
            return url.startsWith("jdbc:shard:");
        }

        @Override
        public Storage open(StorageConfig config) {
            return new ExampleStorage("early " + config.url());
        }

        @Override
        public int priority() {
            return -10;
        }
    }

    public static final class Late implements StorageProvider {
        @Override
        public boolean supports(String url) {
            return url.startsWith("jdbc:shard:");
        }

        @Override
        public Storage open(StorageConfig config) {
            return new ExampleStorage("late " + config.url());
        }

        @Override
        public int priority() {
            return 50;
        }
    }
}
