package dev.oauthlet.internal.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oauthlet.config.StorageConfig;
import dev.oauthlet.spi.StorageException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A store that cannot be opened at start: one line saying which store, what failed and what to do. */
class JdbcStorageStartTest {

    private static StorageConfig config(String url, Duration waitAtStart) {
        return new StorageConfig(url, "oauthlet", "secret", 2, Duration.ofMillis(500), Duration.ZERO, waitAtStart);
    }

    @Test
    void openWhenDatabaseUnreachableThenOneLineWithTheFix() {
        String message = assertThrows(StorageException.class,
                () -> new JdbcStorage(config("jdbc:postgresql://127.0.0.1:1/oauthlet?password=hidden", Duration.ZERO))).getMessage();
        assertTrue(message.startsWith("storage jdbc:postgresql://127.0.0.1:1/oauthlet: cannot open the database: Connection to 127.0.0.1:1 refused"),
                message);
        assertTrue(message.endsWith("(is the database running and reachable? storage.wait-at-start lets a start wait for it)"), message);
        assertFalse(message.contains("\n") || message.contains("hidden"), "one line, no credentials: " + message);
    }

    @Test
    void openWhenWaitAtStartThenRetriesThatLongBeforeFailing() {
        long started = System.nanoTime();
        String message = assertThrows(StorageException.class,
                () -> new JdbcStorage(config("jdbc:postgresql://127.0.0.1:1/oauthlet", Duration.ofMillis(1500)))).getMessage();
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertTrue(millis >= 1400, "waited " + millis + " ms");
        assertTrue(message.contains(": cannot open the database after waiting PT1.5S: "), message);
    }

    @Test
    void openWhenDriverMissingThenNamesTheJarToAdd() {
        assertEquals("storage.url: the JDBC driver com.mysql.cj.jdbc.Driver is not on the class path (add com.mysql:mysql-connector-j "
                + "to the application; in a WAR, to WEB-INF/lib)",
                assertThrows(StorageException.class, () -> new JdbcStorage(config("jdbc:mysql://127.0.0.1/oauthlet", Duration.ZERO)))
                        .getMessage());
    }

    @Test
    void openWhenNoJndiInTheJvmThenSaysWhichContainerModulesGiveIt() {
        String message = assertThrows(StorageException.class,
                () -> new JdbcStorage(config("jndi:java:comp/env/jdbc/oauthlet", Duration.ZERO))).getMessage();
        assertTrue(message.startsWith("storage jndi:java:comp/env/jdbc/oauthlet: this container offers the application no JNDI ("), message);
        assertTrue(message.contains("in Jetty, enable the ee10-plus and jndi modules"), message);
    }

    @Test
    void openWhenJndiNameNotBoundThenNamesTheResourceAndTheReferenceToDeclare() {
        String before = System.getProperty(javax.naming.Context.INITIAL_CONTEXT_FACTORY);
        System.setProperty(javax.naming.Context.INITIAL_CONTEXT_FACTORY, NothingBoundContextFactory.class.getName());
        try {
            String message = assertThrows(StorageException.class,
                    () -> new JdbcStorage(config("jndi:java:comp/env/jdbc/orders", Duration.ZERO))).getMessage();
            assertTrue(message.startsWith("storage jndi:java:comp/env/jdbc/orders: nothing is bound at that name (jdbc is not bound); "), message);
            assertTrue(message.contains("Tomcat: a <Resource name=\"jdbc/orders\" type=\"javax.sql.DataSource\">"), message);
            assertTrue(message.contains("<resource-ref><res-ref-name>jdbc/orders</res-ref-name>"), message);
            assertFalse(message.contains("\n"), message);
        } finally {
            if (before == null) {
                System.clearProperty(javax.naming.Context.INITIAL_CONTEXT_FACTORY);
            } else {
                System.setProperty(javax.naming.Context.INITIAL_CONTEXT_FACTORY, before);
            }
        }
    }

    @Test
    void driverClassWhenKnownDatabaseThenNamed() {
        assertEquals("org.h2.Driver", JdbcDrivers.driverClass("jdbc:h2:file:/x"));
        assertEquals("org.postgresql.Driver", JdbcDrivers.driverClass("jdbc:postgresql://db/x"));
        assertEquals(null, JdbcDrivers.driverClass("jdbc:sqlserver://db"));
    }
}
