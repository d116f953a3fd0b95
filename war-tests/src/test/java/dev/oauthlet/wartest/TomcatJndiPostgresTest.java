package dev.oauthlet.wartest;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;

/**
 * The test WAR in a standalone Tomcat 11 on a real PostgreSQL, through a data source Tomcat manages
 * ({@code storage.url: jndi:java:comp/env/jdbc/oauthlet}, declared by docs/configuration.md's own
 * context.xml with only the database's address and user changed, the driver in Tomcat's lib).
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

    /** The documented reference: Tomcat does not need it beside its context.xml, and it must do no harm there. */
    @Override
    String webXmlAdditions() throws java.io.IOException {
        return ConfigurationDoc.resourceRef();
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
        // docs/configuration.md's context.xml as copied, pointed at this test's database; Tomcat fills in ${OAUTHLET_DB_PASSWORD}.
        tomcat.contextXml(ConfigurationDoc.tomcatContextXml().replace("jdbc:postgresql://db.internal:5432/oauthlet",
                "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres").replace("username=\"oauthlet\"", "username=\"postgres\""));
        tomcat.jvmOptions.add("-DOAUTHLET_DB_PASSWORD=any");
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
