package dev.oauthlet.wartest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Jetty 12 from jetty-home: a fresh {@code jetty.base} with the {@code http}, {@code ee10-deploy} and
 * {@code graceful} modules, as README sets one up, listening on loopback, scanning webapps every
 * second, stopping the old deployment before it starts the new one, and letting requests in flight
 * finish on a stop.
 */
final class JettyProcess extends ContainerProcess {

    private final Path home;

    JettyProcess(Path base, Map<String, String> environment) throws IOException, InterruptedException {
        this(base, environment, "http,ee10-deploy,graceful");
    }

    /** With the given modules in the new base, e.g. {@code http,ee10-deploy,ee10-plus,jndi,ext} for a JNDI data source. */
    JettyProcess(Path base, Map<String, String> environment, String modules) throws IOException, InterruptedException {
        super(base, environment);
        this.home = Path.of(System.getProperty("oauthlet.containers"), "jetty-home-" + System.getProperty("oauthlet.jetty.version"));
        Process setup = new ProcessBuilder(java(), "-jar", home.resolve("start.jar").toString(), "jetty.home=" + home,
                "jetty.base=" + base, "--add-modules=" + modules).directory(base.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(base.resolve("setup.log").toFile())).start();
        if (!setup.waitFor(60, TimeUnit.SECONDS) || setup.exitValue() != 0) {
            throw new AssertionError("jetty.base setup failed: " + Files.readString(base.resolve("setup.log")));
        }
        Files.createDirectories(base.resolve("webapps"));
    }

    @Override
    List<String> command() {
        List<String> c = new ArrayList<>(List.of(java(), "-Xmx256m", "-jar", home.resolve("start.jar").toString(),
                "jetty.home=" + home, "jetty.base=" + base, "jetty.http.host=127.0.0.1", "jetty.http.port=" + port,
                "jetty.deploy.scanInterval=1",
                // Jetty 12.1 redeploys atomically by default: the new deployment starts before the old one stops, and an
                // embedded H2 file is open in one deployment at a time. README's Jetty instructions set the same.
                "jetty.deploy.atomicRedeploy=false",
                // Without the graceful module and a stop timeout, Jetty closes every connection on SIGTERM before it stops the
                // application: requests in flight are cut, whatever the listener waits for (README says the same).
                "jetty.server.stopTimeout=" + stopTimeout.toMillis()));
        return c;
    }

    @Override
    Path war() {
        return base.resolve("webapps/app.war");
    }

    @Override
    String name() {
        return "Jetty";
    }
}
