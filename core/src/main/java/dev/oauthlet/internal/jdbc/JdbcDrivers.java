package dev.oauthlet.internal.jdbc;

import dev.oauthlet.spi.StorageException;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Collections;
import java.util.Map;

/**
 * Names and loads the JDBC driver of a URL from the web application's own class loader.
 *
 * <p>Left to {@link DriverManager}, a driver in {@code WEB-INF/lib} is not found: Tomcat scans for
 * drivers before any application starts, and on a hot redeploy Jetty's scan has already happened
 * under the previous application ("No suitable driver"). Loading the class by name registers it
 * from the right loader. A driver of a loader that can go away (a web application's) is deregistered
 * again when the store closes, so the container sees no leak; one of the JVM's own class path stays.
 */
final class JdbcDrivers {

    private static final Map<String, String> BY_PREFIX = Map.of(
            "jdbc:h2:", "org.h2.Driver",
            "jdbc:postgresql:", "org.postgresql.Driver",
            "jdbc:mariadb:", "org.mariadb.jdbc.Driver",
            "jdbc:mysql:", "com.mysql.cj.jdbc.Driver");
    private static final Map<String, String> ARTIFACTS = Map.of(
            "org.h2.Driver", "com.h2database:h2",
            "org.postgresql.Driver", "org.postgresql:postgresql",
            "org.mariadb.jdbc.Driver", "org.mariadb.jdbc:mariadb-java-client",
            "com.mysql.cj.jdbc.Driver", "com.mysql:mysql-connector-j");

    private JdbcDrivers() {
    }

    /** The driver class for {@code url}, or {@code null} for a database we do not know (left to DriverManager). */
    static String driverClass(String url) {
        for (Map.Entry<String, String> e : BY_PREFIX.entrySet()) {
            if (url.startsWith(e.getKey())) {
                return e.getValue();
            }
        }
        return null;
    }

    /**
     * Loads (and so registers) the driver for {@code url} from the thread's context class loader,
     * which in a web application sees its {@code WEB-INF/lib}.
     *
     * @return the driver class, or {@code null} when the URL names a database we do not know
     * @throws StorageException naming the missing jar
     */
    static Class<?> load(String url) {
        String name = driverClass(url);
        if (name == null) {
            return null;
        }
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        ClassLoader loader = context != null ? context : JdbcDrivers.class.getClassLoader();
        try {
            return Class.forName(name, true, loader);
        } catch (ClassNotFoundException e) {
            throw new StorageException("storage.url: the JDBC driver " + name + " is not on the class path (add "
                    + ARTIFACTS.get(name) + " to the application; in a WAR, to WEB-INF/lib)", e);
        }
    }

    /** Deregisters the instances of {@code driverClass} if a class loader that can be discarded loaded it. */
    static void deregister(Class<?> driverClass) {
        if (driverClass == null || onJvmClassPath(driverClass.getClassLoader())) {
            return;
        }
        for (Driver d : Collections.list(DriverManager.getDrivers())) {
            if (d.getClass() == driverClass) {
                try {
                    DriverManager.deregisterDriver(d);
                } catch (SQLException | SecurityException e) {
                    // Nothing to undo: the container reports what stays registered.
                }
            }
        }
    }

    private static boolean onJvmClassPath(ClassLoader loader) {
        for (ClassLoader l = ClassLoader.getSystemClassLoader(); l != null; l = l.getParent()) {
            if (l == loader) {
                return true;
            }
        }
        return loader == null;
    }
}
