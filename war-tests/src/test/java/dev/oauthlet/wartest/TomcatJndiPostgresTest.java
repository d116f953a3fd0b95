package dev.oauthlet.wartest;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;

/**
 * The test WAR in a standalone Tomcat 11 on a real PostgreSQL, through a data source Tomcat manages
 * ({@code storage.url: jndi:java:comp/env/jdbc/oauthlet}, declared in the application's context.xml
 * as docs/configuration.md shows, the driver in Tomcat's lib).
 */
class TomcatJndiPostgresTest extends StandaloneContainerContract {

    private EmbeddedPostgres postgres;

    @Override
    Map<String, String> extraEnvironment() {
        return Map.of("WARTEST_DB_URL", "jndi:java:comp/env/jdbc/oauthlet");
    }

    /** The leak check is about the pool and H2 threads Oauthlet starts itself; here the container owns the pool. */
    @Override
    int redeploys() {
        return 1;
    }

    @Override
    String expectedStore(Path oauthletHome) {
        return "store jndi:java:comp/env/jdbc/oauthlet";
    }

    @Override
    ContainerProcess create(Path base, Map<String, String> environment) throws Exception {
        postgres = EmbeddedPostgres.builder().setServerConfig("fsync", "off").setServerConfig("full_page_writes", "off").start();
        TomcatProcess tomcat = new TomcatProcess(base, new java.util.HashMap<>(environment));
        try (var drivers = Files.list(Path.of(System.getProperty("oauthlet.containers"), "tomcat-lib"))) {
            for (Path jar : drivers.toList()) {
                Files.copy(jar, base.resolve("lib").resolve(jar.getFileName()));
            }
        }
        tomcat.contextXml("""
                <Context>
                  <Resource name="jdbc/oauthlet" type="javax.sql.DataSource" auth="Container"
                            driverClassName="org.postgresql.Driver" url="jdbc:postgresql://localhost:%d/postgres"
                            username="postgres" password="" maxTotal="10" maxWaitMillis="3000"/>
                </Context>
                """.formatted(postgres.getPort()));
        return tomcat;
    }

    @AfterAll
    void stopPostgres() throws Exception {
        if (container != null) {
            container.kill();
        }
        if (postgres != null) {
            postgres.close();
        }
    }
}
