package dev.oauthlet.wartest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The test WAR in a standalone container, as an operator runs it: the H2 driver in WEB-INF/lib,
 * {@code ${...}} values from the environment, data under {@code OAUTHLET_HOME}, no SLF4J provider.
 * The steps build on each other (one container start costs seconds), so they run in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class StandaloneContainerContract {

    private static final Duration START = Duration.ofSeconds(90);
    /** What a container writes when an application leaks, or anything goes wrong. */
    private static final List<String> TROUBLE = List.of("Exception", "SEVERE", "failed to stop it", "failed to unregister",
            "memory leak", "No suitable driver", "Error", "Oauthlet did not start");
    private static final Pattern THREADS = Pattern.compile("^\"([^\"]+)\"", Pattern.MULTILINE);

    private Path work;
    private Path home;
    ContainerProcess container;
    private String backOfficeToken;
    private String startLine;

    abstract ContainerProcess create(Path base, Map<String, String> environment) throws Exception;

    /** More environment, e.g. a database URL; none by default. */
    Map<String, String> extraEnvironment() {
        return Map.of();
    }

    /** How often the leak check redeploys; three by default. */
    int redeploys() {
        return 3;
    }

    /** What the WAR's web.xml adds at its end, e.g. a {@code <resource-ref>}; nothing by default. */
    String webXmlAdditions() throws IOException {
        return "";
    }

    /** The store the start line names. */
    String expectedStore(Path oauthletHome) {
        return "store H2 file " + oauthletHome.resolve("data/oauthlet") + ".mv.db";
    }

    @BeforeAll
    void deploy() throws Exception {
        work = Files.createTempDirectory(Path.of("target"), getClass().getSimpleName()).toAbsolutePath();
        home = Files.createDirectories(work.resolve("oauthlet-home"));
        Map<String, String> env = TestWar.environment(home);
        env.putAll(extraEnvironment());
        container = create(work.resolve("container"), env);
        container.environment.put("WARTEST_ISSUER", container.url());
        TestWar.write(container.war(), true, webXmlAdditions());
        startLine = "Oauthlet " + container.url() + " started: " + expectedStore(home) + ", signing key ";
        container.start();
        awaitStarts(1);
    }

    @AfterAll
    void stopAll() throws Exception {
        if (container != null) {
            container.kill();
        }
    }

    private void awaitStarts(int n) throws Exception {
        container.awaitServing(n, startLine, START);
    }

    private void assertNoTrouble(String log, String when) {
        for (String t : TROUBLE) {
            assertFalse(log.contains(t), () -> container.name() + " logged '" + t + "' " + when + ":\n" + log);
        }
    }

    @Test
    @Order(1)
    void deployWhenNoSlf4jProviderThenStartLineReachesTheContainerLog() {
        String log = container.log();
        assertTrue(log.contains(startLine), log);
        assertTrue(log.contains("Oauthlet: no SLF4J provider on this application's class path"), log);
        assertNoTrouble(log, "at the first deployment");
    }

    @Test
    @Order(2)
    void tokenWhenSecretFromEnvironmentThenProtectedCallAcceptedAndWrongAudienceRefused() throws Exception {
        backOfficeToken = Http.token(container.url(), "backoffice-app", "backoffice-secret-from-env");
        HttpResponse<String> ok = Http.get(container.url() + "/api/me", backOfficeToken);
        assertEquals(200, ok.statusCode(), ok.body());
        assertEquals("sub=backoffice-app", ok.body());
        String storefront = Http.token(container.url(), "storefront-app", "storefront-secret");
        HttpResponse<String> refused = Http.get(container.url() + "/api/me", storefront);
        assertEquals(401, refused.statusCode());
        assertTrue(refused.headers().firstValue("WWW-Authenticate").orElse("").contains("error=\"invalid_token\""));
    }

    @Test
    @Order(3)
    void restartWhenContainerStoppedAndStartedThenTokensStayValid() throws Exception {
        int before = container.log().length();
        container.stop();
        assertNoTrouble(container.log().substring(before), "while stopping");
        container.start();
        awaitStarts(2);
        HttpResponse<String> ok = Http.get(container.url() + "/api/me", backOfficeToken);
        assertEquals(200, ok.statusCode(), "a token issued before the restart: " + ok.body());
    }

    @Test
    @Order(4)
    void redeployWhenClientRemovedFromFileThenThatClientIsRefused() throws Exception {
        assertEquals(200, Http.clientCredentials(container.url(), "leaver-app", "leaver-secret").statusCode());
        TestWar.write(container.war(), false, webXmlAdditions());
        awaitStarts(3);
        HttpResponse<String> refused = Http.clientCredentials(container.url(), "leaver-app", "leaver-secret");
        assertEquals(401, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("\"invalid_client\""), refused.body());
        assertEquals(200, Http.get(container.url() + "/api/me", backOfficeToken).statusCode());
    }

    @Test
    @Order(5)
    void redeployWhenRepeatedThenNoLeakWarningExceptionOrThreadLeft() throws Exception {
        for (int i = 0; i < redeploys(); i++) {
            // A newer timestamp is what both containers' scanners look at.
            TestWar.write(container.war(), false, webXmlAdditions());
            Files.setLastModifiedTime(container.war(), java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 1000L * (i + 1)));
            awaitStarts(4 + i);
        }
        assertEquals(200, Http.get(container.url() + "/api/me", backOfficeToken).statusCode());
        assertNoTrouble(container.log(), "over " + (2 + redeploys()) + " deployments");
        String dump = container.threadDump();
        Matcher m = THREADS.matcher(dump);
        List<String> ours = new java.util.ArrayList<>();
        while (m.find()) {
            String name = m.group(1);
            if (name.contains("oauthlet") || name.contains("MVStore") || name.startsWith("H2 ") || name.contains("Hikari")
                    || name.contains("housekeeper")) {
                ours.add(name);
            }
        }
        // The deployment that runs keeps its pool's housekeeper, its purge thread and H2's writer; nothing of the four before.
        assertTrue(ours.stream().filter(n -> n.contains("housekeeper")).count() <= 1, ours::toString);
        assertTrue(ours.stream().filter(n -> n.contains("oauthlet-purge")).count() <= 1, ours::toString);
        assertTrue(ours.stream().filter(n -> n.contains("MVStore")).count() <= 1, ours::toString);
    }

    @Test
    @Order(6)
    void stopWhenContainerStopsThenNoExceptionAndNoLeakLogged() throws Exception {
        int before = container.log().length();
        container.stop();
        String stopping = container.log().substring(before);
        assertNoTrouble(stopping, "while stopping");
        assertTrue(stopping.contains("Oauthlet stopped in"), stopping);
        container = null;
    }
}
