package dev.oauthlet.wartest;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** The test WAR's stop in a standalone Jetty 12. */
class JettyStopTest extends ContainerStopContract {

    @Override
    ContainerProcess create(Path base, Map<String, String> environment) throws Exception {
        return new JettyProcess(base, new java.util.HashMap<>(environment));
    }

    /**
     * With the graceful module, Jetty waits for every request in flight (up to
     * jetty.server.stopTimeout) before it stops the context.
     */
    @Override
    boolean containerWaitsForRequests() {
        return true;
    }

    /** Under the 1 s for which Jetty lets a connection idle during a graceful stop ({@code jetty.graceful.shutdownIdleTimeout}):
     * a body that stalls longer is cut like an idle connection, as docs/operations.md says. */
    @Override
    Duration bodyStallAfterTheSignal() {
        return Duration.ofMillis(500);
    }
}
