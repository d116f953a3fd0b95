package dev.oauthlet.wartest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * README's "Deploying the WAR in Tomcat or Jetty", run by bash as written: the environment
 * variables, the copy into the container, the container's own start command. The WAR is README's:
 * its web.xml, its per-environment oauthlet.yml and the dependencies it lists (the filter, H2,
 * slf4j-jdk14). What the test changes is what a machine decides: {@code /srv/} becomes a
 * directory of the test's, {@code /path/to/app.war} that WAR, and the container listens on a free
 * loopback port (Tomcat's server.xml, Jetty's {@code jetty.http.*} properties) instead of 8080.
 */
class ReadmeDeployCommandsTest {

    private static final Path README = Path.of("../README.md");
    private static final Duration START = Duration.ofSeconds(120);

    @Test
    void tomcatWhenReadmeCommandsRunThenTheWarServesTokensAndLogsItsStartLine() throws Exception {
        Path work = Files.createTempDirectory(Path.of("target"), "readme-tomcat").toAbsolutePath();
        Path catalinaHome = work.resolve("apache-tomcat");
        copyTree(Path.of(System.getProperty("oauthlet.containers"), "apache-tomcat-" + System.getProperty("oauthlet.tomcat.version")),
                catalinaHome);
        try (Stream<Path> scripts = Files.list(catalinaHome.resolve("bin"))) {
            scripts.filter(p -> p.toString().endsWith(".sh")).forEach(p -> p.toFile().setExecutable(true));
        }
        int port = ContainerProcess.freePort();
        Path serverXml = catalinaHome.resolve("conf/server.xml");
        String xml = Files.readString(serverXml, StandardCharsets.UTF_8);
        assertTrue(xml.contains("<Server port=\"8005\"") && xml.contains("<Connector port=\"8080\""), "server.xml of the distribution");
        Files.writeString(serverXml, xml.replace("<Server port=\"8005\"", "<Server port=\"-1\"")
                .replace("<Connector port=\"8080\"", "<Connector address=\"127.0.0.1\" port=\"" + port + "\""), StandardCharsets.UTF_8);
        Path project = Files.createDirectories(work.resolve("project/target"));
        writeReadmeWar(project.resolve("app.war"));

        String commands = block("Tomcat 11 (`$CATALINA_HOME`").replace("/srv/", work + "/srv/");
        Process tomcat = bash(commands, work.resolve("project"), Map.of("CATALINA_HOME", catalinaHome.toString()), work.resolve("console.log"));
        try {
            awaitStartAndToken(commands, port, work.resolve("console.log"), tomcat);
            assertTrue(Files.exists(work.resolve("srv/oauthlet/data/oauthlet.mv.db")), "the store is under OAUTHLET_HOME");
        } finally {
            stop(tomcat);
        }
    }

    @Test
    void jettyWhenReadmeCommandsRunThenTheWarServesTokensAndLogsItsStartLine() throws Exception {
        Path work = Files.createTempDirectory(Path.of("target"), "readme-jetty").toAbsolutePath();
        Path war = work.resolve("app.war");
        writeReadmeWar(war);
        int port = ContainerProcess.freePort();
        String start = "java -jar $JETTY_HOME/start.jar jetty.deploy.atomicRedeploy=false";
        String commands = block("Jetty 12 (`$JETTY_HOME`");
        assertTrue(commands.contains(start), commands);
        commands = commands.replace("/srv/", work + "/srv/").replace("/path/to/app.war", war.toString())
                .replace(start, start + " jetty.http.host=127.0.0.1 jetty.http.port=" + port);
        Path jettyHome = Path.of(System.getProperty("oauthlet.containers"), "jetty-home-" + System.getProperty("oauthlet.jetty.version"));
        Process jetty = bash(commands, work, Map.of("JETTY_HOME", jettyHome.toString()), work.resolve("console.log"));
        try {
            awaitStartAndToken(commands, port, work.resolve("console.log"), jetty);
            assertTrue(Files.exists(work.resolve("srv/oauthlet/data/oauthlet.mv.db")), "the store is under OAUTHLET_HOME");
        } finally {
            stop(jetty);
        }
    }

    /** Waits for the start line README's comment names, then takes a token with README's secret. */
    private static void awaitStartAndToken(String commands, int port, Path console, Process container) throws Exception {
        Matcher line = Pattern.compile("# [^\\n]*?(Oauthlet \\S+ started: store [^\\n]*?), signing key \\.\\.\\.").matcher(block("Tomcat 11 (`$CATALINA_HOME`"));
        assertTrue(line.find(), "README's Tomcat block ends with the start line it logs");
        String expected = line.group(1).replace("/srv/", console.getParent() + "/srv/");
        long deadline = System.nanoTime() + START.toNanos();
        while (!Files.exists(console) || !Files.readString(console, StandardCharsets.ISO_8859_1).contains(expected)) {
            if (System.nanoTime() > deadline || !container.isAlive()) {
                throw new AssertionError("no '" + expected + "' within " + START + " of:\n" + commands + "\nconsole:\n"
                        + (Files.exists(console) ? Files.readString(console, StandardCharsets.ISO_8859_1) : ""));
            }
            Thread.sleep(200);
        }
        String url = "http://127.0.0.1:" + port + "/app";
        HttpResponse<String> token = null;
        while (System.nanoTime() < deadline) {
            try {
                token = Http.clientCredentials(url, "backoffice-app", "change-me");
                if (token.statusCode() != 404 && token.statusCode() != 503) {
                    break;
                }
            } catch (java.net.ConnectException notYet) {
                // The connector opens after the deployment.
            }
            Thread.sleep(200);
        }
        assertEquals(200, token == null ? -1 : token.statusCode(), token == null ? "no answer" : token.body());
    }

    /** README's sh block that follows the line starting with {@code lead}. */
    private static String block(String lead) throws IOException {
        String readme = Files.readString(README, StandardCharsets.UTF_8);
        Matcher m = Pattern.compile(Pattern.quote(lead) + "[^\\n]*\\n\\n```sh\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertTrue(m.find(), "README.md has no sh block after '" + lead + "'");
        return m.group(1);
    }

    /** README's WAR: its web.xml, its per-environment oauthlet.yml, the filter with H2 and slf4j-jdk14. */
    private static void writeReadmeWar(Path war) throws IOException {
        String readme = Files.readString(README, StandardCharsets.UTF_8);
        Matcher webXml = Pattern.compile("```xml\\n(<\\?xml[^`]*?<web-app.*?</web-app>\\n)```", Pattern.DOTALL).matcher(readme);
        Matcher yaml = Pattern.compile("```yaml\\n(issuer: \\$\\{OAUTHLET_ISSUER}.*?)```", Pattern.DOTALL).matcher(readme);
        assertTrue(webXml.find() && yaml.find(), "README.md's web.xml and per-environment oauthlet.yml");
        List<Path> jars = new ArrayList<>(TestWar.libs());
        try (Stream<Path> s = Files.list(Path.of(System.getProperty("oauthlet.containers"), "readme-lib"))) {
            s.forEach(jars::add);
        }
        TestWar.write(war, Map.of("WEB-INF/web.xml", webXml.group(1).getBytes(StandardCharsets.UTF_8),
                "WEB-INF/classes/oauthlet.yml", yaml.group(1).getBytes(StandardCharsets.UTF_8)), jars);
    }

    private static Process bash(String commands, Path dir, Map<String, String> env, Path console) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("bash", "-e", "-c", commands).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(console.toFile());
        pb.environment().putAll(env);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":" + System.getenv("PATH"));
        return pb.start();
    }

    private static void stop(Process p) throws InterruptedException {
        List<ProcessHandle> all = new ArrayList<>(p.descendants().toList());
        all.forEach(ProcessHandle::destroy);
        p.destroy();
        for (ProcessHandle h : all) {
            h.onExit().toCompletableFuture().completeOnTimeout(null, 30, TimeUnit.SECONDS).join();
            if (h.isAlive()) {
                h.destroyForcibly();
            }
        }
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : all.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }
}
