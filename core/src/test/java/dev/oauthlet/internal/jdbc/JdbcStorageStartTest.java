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
    void openWhenJndiNameUnknownThenSaysHowToDeclareIt() {
        String message = assertThrows(StorageException.class,
                () -> new JdbcStorage(config("jndi:java:comp/env/jdbc/oauthlet", Duration.ZERO))).getMessage();
        assertTrue(message.startsWith("storage jndi:java:comp/env/jdbc/oauthlet: no such JNDI resource ("), message);
    }

    @Test
    void driverClassWhenKnownDatabaseThenNamed() {
        assertEquals("org.h2.Driver", JdbcDrivers.driverClass("jdbc:h2:file:/x"));
        assertEquals("org.postgresql.Driver", JdbcDrivers.driverClass("jdbc:postgresql://db/x"));
        assertEquals(null, JdbcDrivers.driverClass("jdbc:sqlserver://db"));
    }
}
