package dev.oauthlet.internal.jdbc;

import dev.oauthlet.config.StorageConfig;
import dev.oauthlet.spi.StorageException;
import java.sql.Connection;
import java.sql.SQLException;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.naming.NoInitialContextException;
import javax.sql.DataSource;

/** {@code storage.url: jndi:java:comp/env/jdbc/oauthlet}: a data source the container configures, pools and closes. */
final class JndiDataSources {

    private static final long RETRY_MILLIS = 500;
    /** The application's own naming context, where a {@code <resource-ref>} binds a container's resource. */
    private static final String ENC = "java:comp/env/";

    private JndiDataSources() {
    }

    static DataSource lookup(String name) {
        Object found;
        try {
            found = new InitialContext().lookup(name);
        } catch (NoInitialContextException e) {
            throw new StorageException("storage jndi:" + name + ": this container offers the application no JNDI (" + e.getMessage()
                    + "); in Jetty, enable the ee10-plus and jndi modules (docs/configuration.md, \"A data source from the container\"), "
                    + "or use a jdbc: URL", e);
        } catch (NamingException e) {
            String ref = name.startsWith(ENC) ? name.substring(ENC.length()) : name;
            throw new StorageException("storage jndi:" + name + ": nothing is bound at that name (" + e.getMessage() + "); declare "
                    + "the data source in the container (Tomcat: a <Resource name=\"" + ref + "\" type=\"javax.sql.DataSource\"> in "
                    + "the context.xml; Jetty: an org.eclipse.jetty.plus.jndi.Resource named " + ref + " in webapps/*.xml) and the "
                    + "reference in WEB-INF/web.xml, <resource-ref><res-ref-name>" + ref + "</res-ref-name>, without which Jetty binds "
                    + "nothing under java:comp/env (docs/configuration.md, \"A data source from the container\")", e);
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
