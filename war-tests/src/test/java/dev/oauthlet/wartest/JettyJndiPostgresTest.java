package dev.oauthlet.wartest;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;

/**
 * The test WAR in a standalone Jetty 12 on a real PostgreSQL, through a data source Jetty manages
 * ({@code storage.url: jndi:java:comp/env/jdbc/oauthlet}), set up exactly as docs/configuration.md
 * says: README's base with the {@code ee10-plus}, {@code jndi} and {@code ext} modules added, the
 * driver in the base's {@code lib/ext}, the documented {@code webapps/app.xml} next to {@code app.war}
 * (only the database's address and user changed; Jetty reads the password from the environment) and
 * the documented {@code <resource-ref>} in the WAR's web.xml.
 */
class JettyJndiPostgresTest extends StandaloneContainerContract {

    private EmbeddedPostgres postgres;

    @Override
    Map<String, String> extraEnvironment() {
        return Map.of("WARTEST_DB_URL", "jndi:java:comp/env/jdbc/oauthlet", "OAUTHLET_DB_PASSWORD", "any");
    }

    @Override
    String webXmlAdditions() throws java.io.IOException {
        return ConfigurationDoc.resourceRef();
    }

    /** The leak check is about the pool and H2 threads Oauthlet starts itself; here the container owns the data source. */
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
        JettyProcess jetty = new JettyProcess(base, new HashMap<>(environment), ConfigurationDoc.jettyModules());
        Path ext = Files.createDirectories(base.resolve("lib/ext"));
        try (var drivers = Files.list(Path.of(System.getProperty("oauthlet.containers"), "tomcat-lib"))) {
            for (Path jar : drivers.toList()) {
                Files.copy(jar, ext.resolve(jar.getFileName()));
            }
        }
        Files.writeString(base.resolve("webapps/app.xml"), ConfigurationDoc.jettyContextXml()
                .replace("jdbc:postgresql://db.internal:5432/oauthlet", "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres")
                .replace("<Set name=\"user\">oauthlet</Set>", "<Set name=\"user\">postgres</Set>"));
        return jetty;
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
