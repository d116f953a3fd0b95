package dev.oauthlet.wartest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the test WAR's WEB-INF/lib holds: oauthlet-core and the filter with their runtime
 * dependencies, and no Micrometer — core's dependency on it is optional, so the standalone-container
 * tests, which issue tokens and pass the Bearer filter, run core and filter without it.
 */
class WarLibTest {

    @Test
    void warLibWhenCopiedFromTheReactorThenHoldsCoreAndFilterButNoMicrometer() throws IOException {
        List<String> jars = TestWar.libs().stream().map(Path::getFileName).map(Path::toString).toList();

        assertTrue(jars.stream().anyMatch(j -> j.startsWith("oauthlet-core")), jars::toString);
        assertTrue(jars.stream().anyMatch(j -> j.startsWith("oauthlet-servlet-filter")), jars::toString);
        assertEquals(List.of(), jars.stream().filter(j -> j.contains("micrometer") || j.contains("prometheus")).toList());
    }
}
