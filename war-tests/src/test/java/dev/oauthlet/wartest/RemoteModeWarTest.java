package dev.oauthlet.wartest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * One standalone Tomcat 11 holding what a host with an issuer at a path runs: the authorization
 * server's WAR at {@code /app}, the root application that serves its RFC 8414 metadata at the
 * host-root location ({@code ROOT.war}, README's web.xml and context.xml), and a resource server
 * in remote mode at {@code /orders} built from oauthlet-resource-server alone — no H2, HikariCP or
 * Jackson YAML in its WEB-INF/lib — that checks the server's tokens over HTTP. A second copy of
 * that resource server, built from oauthlet-servlet-filter as before, shows what the slim one
 * saves and that remote mode never loads those jars even where they are.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RemoteModeWarTest {

    private static final Duration START = Duration.ofSeconds(90);
    private static final List<String> LEFT_OUT = List.of("h2-", "HikariCP-", "jackson-dataformat-yaml-", "snakeyaml");
    /** A class the class-loading log saw defined from a web application's WEB-INF/lib: the application, the jar. */
    private static final Pattern LOADED = Pattern.compile(" source: file:.*/webapps/([^/]+)/WEB-INF/lib/([^/\\s]+)\\.jar");

    private TomcatProcess tomcat;
    private Path classLoading;

    @BeforeAll
    void deploy() throws Exception {
        Path work = Files.createTempDirectory(Path.of("target"), getClass().getSimpleName()).toAbsolutePath();
        Path home = Files.createDirectories(work.resolve("oauthlet-home"));
        // The same variables every deployment of the test WAR's oauthlet.yml needs (it has grown a user and a client since).
        Map<String, String> env = TestWar.environment(home);
        tomcat = new TomcatProcess(work.resolve("container"), env);
        tomcat.environment.put("WARTEST_ISSUER", tomcat.url());
        classLoading = work.resolve("container/class-loading.log");
        tomcat.jvmOptions.add("-Xlog:class+load=info:file=" + classLoading);
        TestWar.write(tomcat.war(), true);
        TestWar.write(tomcat.war("ROOT"), Map.of(
                "WEB-INF/web.xml", resource("root-forwarder/WEB-INF/web.xml"),
                "META-INF/context.xml", resource("root-forwarder/META-INF/context.xml")), List.of(servletFilterJar()));
        tomcat.start();
        tomcat.awaitLog(l -> l.contains("Oauthlet " + tomcat.url() + " started"), START, "the authorization server's start");
        awaitServing(tomcat.url() + "/oauth/jwks");
        // The resource servers go in once the issuer serves, as a resource server on another machine would start.
        TestWar.write(tomcat.war("orders"), remoteApp(), TestWar.slimLibs());
        TestWar.write(tomcat.war("orders-full"), remoteApp(), TestWar.libs());
        awaitServing(tomcat.url().replace("/app", "/orders") + "/api/me");
        awaitServing(tomcat.url().replace("/app", "/orders-full") + "/api/me");
    }

    @AfterAll
    void stop() throws Exception {
        if (tomcat != null) {
            tomcat.kill();
        }
    }

    @Test
    @Order(1)
    void metadataWhenAskedAtTheHostRootLocationThenTheRootForwarderAnswersTheWarsDocument() throws Exception {
        HttpResponse<String> inWar = Http.get(tomcat.url() + "/.well-known/oauth-authorization-server", "-");
        HttpResponse<String> atRoot = Http.get(tomcat.root() + "/.well-known/oauth-authorization-server/app", "-");

        assertEquals(200, inWar.statusCode(), inWar.body());
        assertEquals(200, atRoot.statusCode(), atRoot.body());
        assertEquals(inWar.body(), atRoot.body());
        assertTrue(atRoot.body().contains("\"issuer\":\"" + tomcat.url() + "\""), atRoot.body());
        assertEquals(inWar.headers().firstValue("Content-Type"), atRoot.headers().firstValue("Content-Type"));
        assertEquals(404, Http.get(tomcat.root() + "/.well-known/oauth-authorization-server/no-such-app", "-").statusCode());
        assertEquals(404, Http.get(tomcat.root() + "/.well-known/oauth-authorization-server/", "-").statusCode());
    }

    @Test
    @Order(2)
    void slimResourceServerWhenCalledWithTheIssuersTokensThenAcceptsItsAudienceOnly() throws Exception {
        String orders = tomcat.url().replace("/app", "/orders") + "/api/me";
        String backOffice = Http.token(tomcat.url(), "backoffice-app", "backoffice-secret-from-env");
        String storefront = Http.token(tomcat.url(), "storefront-app", "storefront-secret");

        HttpResponse<String> ok = Http.get(orders, backOffice);
        HttpResponse<String> otherAudience = Http.get(orders, storefront);
        HttpResponse<String> forged = Http.get(orders, backOffice.substring(0, backOffice.length() - 4) + "AAAA");

        assertEquals(200, ok.statusCode(), ok.body());
        assertEquals("sub=backoffice-app", ok.body());
        assertEquals(401, otherAudience.statusCode());
        assertTrue(otherAudience.headers().firstValue("WWW-Authenticate").orElse("").contains("error=\"invalid_token\""));
        assertEquals(401, forged.statusCode());
        assertEquals(200, Http.get(tomcat.url().replace("/app", "/orders-full") + "/api/me", backOffice).statusCode());
    }

    @Test
    @Order(3)
    void slimWarWhenBuiltFromTheResourceServerArtifactThenNoStoreOrYamlJarsAndSmaller() throws IOException {
        List<String> lib = libraries(tomcat.war("orders"));
        for (String left : LEFT_OUT) {
            assertFalse(lib.stream().anyMatch(j -> j.startsWith(left)), () -> left + " is in the slim WAR: " + lib);
        }
        assertTrue(lib.stream().anyMatch(j -> j.startsWith("oauthlet-servlet-filter-")), lib::toString);
        assertTrue(lib.stream().anyMatch(j -> j.startsWith("oauthlet-core-")), lib::toString);
        assertTrue(libraries(tomcat.war("orders-full")).stream().anyMatch(j -> j.startsWith("HikariCP-")), "the WAR built as before");

        long slim = Files.size(tomcat.war("orders"));
        long full = Files.size(tomcat.war("orders-full"));
        System.out.printf("remote-mode WAR: %,d bytes from oauthlet-servlet-filter, %,d bytes from oauthlet-resource-server (%s)%n",
                full, slim, String.join(", ", lib));
        // H2 alone is 2.6 MB of the 6.3 MB; the slim WAR is a little over half the full one.
        assertTrue(slim < full * 0.6, "slim " + slim + " bytes, full " + full + " bytes");
    }

    @Test
    @Order(4)
    void remoteModeWhenTokensCheckedThenNoClassOfTheStoreOrYamlJarsLoadedEvenWhereThoseJarsAre() throws IOException {
        Map<String, Map<String, Integer>> loaded = new TreeMap<>();
        Matcher m = LOADED.matcher(Files.readString(classLoading, StandardCharsets.ISO_8859_1));
        while (m.find()) {
            loaded.computeIfAbsent(m.group(1), k -> new TreeMap<>()).merge(m.group(2), 1, Integer::sum);
        }
        System.out.println("classes loaded from WEB-INF/lib, per application and jar: " + loaded);
        Map<String, Integer> full = loaded.getOrDefault("orders-full", Map.of());
        assertTrue(full.keySet().stream().anyMatch(j -> j.startsWith("oauthlet-core-")), loaded::toString);
        for (String left : LEFT_OUT) {
            assertFalse(full.keySet().stream().anyMatch(j -> j.startsWith(left)), () -> "remote mode loaded from " + left + ": " + loaded);
        }
        // The authorization server does load them: the pattern finds what it should.
        assertTrue(loaded.getOrDefault("app", Map.of()).keySet().stream().anyMatch(j -> j.startsWith("HikariCP-")), loaded::toString);
        String log = tomcat.log();
        assertFalse(log.contains("SEVERE") || log.contains("Exception"), log);
    }

    @Test
    @Order(5)
    void readmeWhenReadThenShowsTheRootApplicationAsDeployedHere() throws IOException {
        String readme = Files.readString(Path.of("../README.md"), StandardCharsets.UTF_8);
        for (String file : List.of("root-forwarder/WEB-INF/web.xml", "root-forwarder/META-INF/context.xml")) {
            String content = new String(resource(file), StandardCharsets.UTF_8);
            assertTrue(readme.contains("```xml\n" + content + "```"), "README.md must show " + file + " exactly");
        }
    }

    private Map<String, byte[]> remoteApp() throws IOException {
        String webXml = new String(resource("remote-app/WEB-INF/web.xml"), StandardCharsets.UTF_8).replace("${issuer}", tomcat.url());
        Map.Entry<String, byte[]> servlet = TestWar.servlet();
        return Map.of("WEB-INF/web.xml", webXml.getBytes(StandardCharsets.UTF_8), servlet.getKey(), servlet.getValue());
    }

    private static byte[] resource(String name) throws IOException {
        return Files.readAllBytes(Path.of("target/test-classes").resolve(name));
    }

    private static Path servletFilterJar() throws IOException {
        return TestWar.libs().stream().filter(p -> p.getFileName().toString().startsWith("oauthlet-servlet-filter-")).findFirst()
                .orElseThrow(() -> new AssertionError("no oauthlet-servlet-filter jar in " + System.getProperty("oauthlet.war-lib")));
    }

    private static List<String> libraries(Path war) throws IOException {
        try (ZipFile zip = new ZipFile(war.toFile())) {
            return zip.stream().map(e -> e.getName()).filter(n -> n.startsWith("WEB-INF/lib/"))
                    .map(n -> n.substring("WEB-INF/lib/".length())).sorted().toList();
        }
    }

    /** Waits until {@code url} answers something other than 404 (not deployed yet) or 503. */
    private void awaitServing(String url) throws Exception {
        long deadline = System.nanoTime() + START.toNanos();
        while (true) {
            try {
                int status = Http.get(url, "-").statusCode();
                if (status != 404 && status != 503) {
                    return;
                }
            } catch (java.net.ConnectException e) {
                // The connector opens after the deployments on a container's start.
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(url + " is not served within " + START + "; log:\n" + tomcat.log());
            }
            Thread.sleep(200);
        }
    }
}
