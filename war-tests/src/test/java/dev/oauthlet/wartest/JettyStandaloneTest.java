package dev.oauthlet.wartest;

import java.nio.file.Path;
import java.util.Map;

/** The test WAR in a standalone Jetty 12, from jetty-home. */
class JettyStandaloneTest extends StandaloneContainerContract {

    @Override
    ContainerProcess create(Path base, Map<String, String> environment) throws Exception {
        return new JettyProcess(base, new java.util.HashMap<>(environment));
    }
}
