package dev.oauthlet.wartest;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** The test WAR's stop in a standalone Tomcat 11. */
class TomcatStopTest extends ContainerStopContract {

    @Override
    ContainerProcess create(Path base, Map<String, String> environment) throws Exception {
        return new TomcatProcess(base, new java.util.HashMap<>(environment));
    }

    /**
     * Tomcat waits at most its unloadDelay (2 s) for asynchronous requests and as long again for
     * the servlets, then destroys the context under the rest: the listener's drain carries them.
     */
    @Override
    boolean containerWaitsForRequests() {
        return false;
    }

    /** Past Tomcat's own wait for asynchronous requests (its unloadDelay, 2 s): the listener's drain carries the request. */
    @Override
    Duration bodyStallAfterTheSignal() {
        return Duration.ofSeconds(5);
    }

    /** Tomcat pauses its acceptor and leaves the queue to the end of the stop. */
    @Override
    boolean queuedConnectionsAreReset() {
        return true;
    }
}
