package dev.oauthlet.wartest;

import java.nio.file.Path;
import java.util.Map;

/** The test WAR in a standalone Tomcat 11, from its distribution zip. */
class TomcatStandaloneTest extends StandaloneContainerContract {

    @Override
    ContainerProcess create(Path base, Map<String, String> environment) throws Exception {
        return new TomcatProcess(base, new java.util.HashMap<>(environment));
    }
}
