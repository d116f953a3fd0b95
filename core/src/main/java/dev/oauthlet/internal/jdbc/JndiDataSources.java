package dev.oauthlet.internal.jdbc;

import dev.oauthlet.config.StorageConfig;
import dev.oauthlet.spi.StorageException;
import java.sql.Connection;
import java.sql.SQLException;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;

/** {@code storage.url: jndi:java:comp/env/jdbc/oauthlet}: a data source the container configures, pools and closes. */
final class JndiDataSources {

    private static final long RETRY_MILLIS = 500;

    private JndiDataSources() {
    }

    static DataSource lookup(String name) {
        Object found;
        try {
            found = new InitialContext().lookup(name);
        } catch (NamingException e) {
            throw new StorageException("storage jndi:" + name + ": no such JNDI resource (" + e.getMessage()
                    + "); declare it in the container, e.g. a <Resource name=\"jdbc/oauthlet\" type=\"javax.sql.DataSource\"> "
                    + "in Tomcat's context.xml, and name it java:comp/env/jdbc/oauthlet", e);
        }
        if (!(found instanceof DataSource ds)) {
            throw new StorageException("storage jndi:" + name + ": is a " + (found == null ? "null" : found.getClass().getName())
                    + ", not a javax.sql.DataSource", null);
        }
        return ds;
    }

    /** Returns once {@code ds} hands out a connection, trying for up to {@code storage.wait-at-start}. */
    static void await(DataSource ds, StorageConfig config) {
        long deadline = System.nanoTime() + config.waitAtStart().toNanos();
        while (true) {
            try (Connection c = ds.getConnection()) {
                return;
            } catch (SQLException e) {
                if (System.nanoTime() - deadline >= 0) {
                    throw StartFailures.cannotOpen(config, e);
                }
            }
            try {
                Thread.sleep(RETRY_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StorageException("storage " + config.url() + ": interrupted while waiting for the database", e);
            }
        }
    }
}
