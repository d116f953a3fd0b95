package dev.oauthlet.wartest;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;

/**
 * The test WAR in a standalone Jetty 12 on a real PostgreSQL, through the JNDI data source of
 * docs/configuration.md's {@code webapps/app.xml}, as copied but for the database's address and
 * user; the modules it names ({@code ee10-plus}, {@code jndi}) and {@code ext} for the driver in
 * the base's {@code lib/ext}.
 */
class JettyJndiPostgresTest extends StandaloneContainerContract {

    private EmbeddedPostgres postgres;

    @Override
    Map<String, String> extraEnvironment() {
        return Map.of("WARTEST_DB_URL", "jndi:java:comp/env/jdbc/oauthlet", "OAUTHLET_DB_PASSWORD", "any");
    }

    /** The container owns the pool here; one redeploy shows the data source survives it. */
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
        JettyProcess jetty = new JettyProcess(base, new HashMap<>(environment), "http,ee10-deploy,ee10-plus,jndi,ext");
        Path ext = Files.createDirectories(base.resolve("lib/ext"));
        try (var drivers = Files.list(Path.of(System.getProperty("oauthlet.containers"), "tomcat-lib"))) {
            for (Path jar : drivers.toList()) {
                Files.copy(jar, ext.resolve(jar.getFileName()));
            }
        }
        Files.writeString(base.resolve("webapps/app.xml"), documentedAppXml()
                .replace("jdbc:postgresql://db.internal:5432/oauthlet", "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres")
                .replace("<Set name=\"user\">oauthlet</Set>", "<Set name=\"user\">postgres</Set>"), StandardCharsets.UTF_8);
        return jetty;
    }

    /** The Jetty app.xml of docs/configuration.md, "A data source from the container (JNDI)". */
    static String documentedAppXml() throws IOException {
        String doc = Files.readString(Path.of("../docs/configuration.md"), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("```xml\n(<Configure id=\"wac\".*?</Configure>\n)```", Pattern.DOTALL).matcher(doc);
        if (!m.find()) {
            throw new AssertionError("docs/configuration.md has no Jetty app.xml block");
        }
        return m.group(1);
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
