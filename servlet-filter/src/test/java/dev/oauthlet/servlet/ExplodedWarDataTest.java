package dev.oauthlet.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data inside the deployed application: an oauthlet.yml inside the exploded WAR makes its own
 * directory the base directory, so a relative H2 file would land where the container deletes it on
 * undeploy (a new signing key, every token invalid). The listener refuses to start, in one line
 * that says what to set, with no stack trace, and creates no file there.
 */
class ExplodedWarDataTest {

    @Test
    void startWhenH2FileWouldBeInsideTheExplodedWarThenRefusedInOneLineAndNothingWritten(@TempDir Path webapp) throws Exception {
        Path webInf = Files.createDirectories(webapp.resolve("WEB-INF"));
        Files.writeString(webInf.resolve("oauthlet.yml"), """
                issuer: https://auth.example.test/app
                storage:
                  url: jdbc:h2:file:data/oauthlet
                audiences: [api]
                """);
        Files.writeString(webInf.resolve("web.xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0" metadata-complete="true">
                  <context-param>
                    <param-name>oauthlet.config</param-name>
                    <param-value>%s</param-value>
                  </context-param>
                  <listener>
                    <listener-class>dev.oauthlet.servlet.OauthletContextListener</listener-class>
                  </listener>
                </web-app>
                """.formatted(webInf.resolve("oauthlet.yml")));
        Server jetty = new Server(0);
        WebAppContext context = JettyWebAppTest.deployWar(webapp, null);
        jetty.setHandler(context);
        try {
            Exception refused = assertThrows(Exception.class, jetty::start);
            String line = refused.getMessage();
            assertTrue(line.startsWith("Oauthlet did not start: storage.url: the H2 file " + webInf.resolve("data/oauthlet")
                    + " is inside the deployed application ("), line);
            assertTrue(line.endsWith("which the container deletes on undeploy; set oauthlet.home or OAUTHLET_HOME to a directory outside it, "
                    + "or write an absolute path"), line);
            assertEquals(0, refused.getStackTrace().length, "a failed deployment without a stack trace");
            assertFalse(Files.exists(webInf.resolve("data")), "nothing written inside the application");
        } finally {
            jetty.stop();
        }
    }
}
