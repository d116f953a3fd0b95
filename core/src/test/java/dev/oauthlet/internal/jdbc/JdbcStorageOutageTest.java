package dev.oauthlet.internal.jdbc;

import static dev.oauthlet.spi.TestStoreRecords.NOW;
import static dev.oauthlet.spi.TestStoreRecords.confidentialClient;
import static dev.oauthlet.spi.TestStoreRecords.refreshToken;
import static dev.oauthlet.spi.TestStoreRecords.sealed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oauthlet.client.ClientRegistration;
import dev.oauthlet.config.StorageConfig;
import dev.oauthlet.spi.RefreshTokenRecord;
import dev.oauthlet.spi.StorageException;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database that goes away makes every store call fail fast with {@link StorageException}
 * (which the token endpoint answers with 503), and the stores recover once it is back, without
 * a restart. Each test runs its own PostgreSQL, stopped and started again on one port and data directory.
 */
class JdbcStorageOutageTest {

    private static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(1);
    /** Process scheduling on a busy build machine; a hang would take far longer. */
    private static final Duration SLACK = Duration.ofMillis(1500);

    /** Shared by the tests, so the cluster is initialised once; each test runs its own server on it. */
    @TempDir
    static Path dataDirectory;
    private int port;
    private EmbeddedPostgres postgres;
    private JdbcStorage storage;

    @BeforeEach
    void start() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        postgres = startPostgres();
        storage = new JdbcStorage(new StorageConfig(postgres.getJdbcUrl("postgres", "postgres"), "postgres", "", 2,
                CONNECTION_TIMEOUT, Duration.ZERO));
    }

    @AfterEach
    void stop() throws IOException {
        storage.close();
        postgres.close();
    }

    private EmbeddedPostgres startPostgres() throws IOException {
        return EmbeddedPostgres.builder().setDataDirectory(dataDirectory).setCleanDataDirectory(false).setPort(port).start();
    }

    /** Runs {@code call}, expecting StorageException; returns how long the failure took. */
    private static Duration failureTime(Supplier<?> call) {
        long start = System.nanoTime();
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThrows(StorageException.class, call::get));
        return Duration.ofNanos(System.nanoTime() - start);
    }

    @Test
    void storeCallsWhenDatabaseStoppedThenStorageExceptionWithinTheConnectionTimeout() throws IOException {
        RefreshTokenRecord token = refreshToken("family-1");
        storage.refreshTokens().save(token);

        postgres.close();

        Duration limit = CONNECTION_TIMEOUT.plus(SLACK);
        for (Duration took : new Duration[] {
                failureTime(() -> storage.clients().findById("app")),
                failureTime(() -> storage.refreshTokens().rotate(token.hash(), NOW, sealed("one"), refreshToken("family-1"))),
                failureTime(() -> storage.authorizationCodes().consume("hash")),
                failureTime(() -> storage.revokedTokens().isRevoked("jti"))}) {
            assertTrue(took.compareTo(limit) < 0, "took " + took.toMillis() + " ms, more than " + limit.toMillis() + " ms");
        }
    }

    @Test
    void storeCallsWhenDatabaseReturnsThenSucceedAgainWithTheDataKept() throws Exception {
        ClientRegistration client = confidentialClient("app");
        storage.clients().save(client);
        postgres.close();
        failureTime(() -> storage.clients().findById("app"));

        postgres = startPostgres();

        Optional<ClientRegistration> found = Optional.empty();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (found.isEmpty() && System.nanoTime() < deadline) {
            try {
                found = storage.clients().findById("app");
            } catch (StorageException stillDown) {
                Thread.sleep(100);
            }
        }
        assertEquals(Optional.of(client), found);
        storage.clients().save(confidentialClient("second"));
        assertTrue(storage.clients().findById("second").isPresent());
    }
}
