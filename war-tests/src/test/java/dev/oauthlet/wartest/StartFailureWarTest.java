package dev.oauthlet.wartest;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A store that cannot be opened when the web.xml listener starts, in each standalone container: the
 * deployment fails, the container's log has Oauthlet's one line (which store, what failed, what to
 * do) and no stack trace, and the application serves nothing.
 */
class StartFailureWarTest {

    @org.junit.jupiter.api.Test
    void deployWhenDatabaseUnreachableInTomcatThenFailedDeploymentWithOneLineAndNoStackTrace() throws Exception {
        deployUnreachable((base, env) -> new TomcatProcess(base, env));
    }

    @org.junit.jupiter.api.Test
    void deployWhenDatabaseUnreachableInJettyThenFailedDeploymentWithOneLineAndNoStackTrace() throws Exception {
        deployUnreachable((base, env) -> new JettyProcess(base, env));
    }

    interface Container {
        ContainerProcess create(Path base, Map<String, String> environment) throws Exception;
    }

    private static void deployUnreachable(Container kind) throws Exception {
        Path work = Files.createTempDirectory(Path.of("target"), "StartFailureWarTest").toAbsolutePath();
        int port = ContainerProcess.freePort();
        String url = "jdbc:h2:tcp://127.0.0.1:" + port + "/oauthlet";
        Map<String, String> env = TestWar.environment(Files.createDirectories(work.resolve("oauthlet-home")));
        env.put("WARTEST_DB_URL", url);
        ContainerProcess container = kind.create(work.resolve("container"), env);
        container.environment.put("WARTEST_ISSUER", container.url());
        TestWar.write(container.war(), true);
        container.start();
        try {
            String line = "Oauthlet did not start: storage " + url + ": cannot open the database: ";
            container.awaitLog(l -> l.contains(line) && l.contains(container.name().equals("Tomcat") ? "Server startup in" : "Started oejs.Server"),
                    Duration.ofSeconds(90), "the failed deployment");
            String log = container.log();
            assertTrue(log.contains("(is the database running and reachable? storage.wait-at-start lets a start wait for it)"), log);
            assertFalse(log.lines().anyMatch(l -> l.startsWith("\tat ") || l.startsWith("Caused by")), "no stack trace:\n" + log);
            int status = Http.get(container.url() + "/oauth/jwks", "-").statusCode();
            assertTrue(status == 404 || status == 503, "the failed application serves nothing: " + status);
        } finally {
            container.kill();
        }
    }
}
