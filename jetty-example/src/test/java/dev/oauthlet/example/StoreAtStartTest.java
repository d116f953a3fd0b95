package dev.oauthlet.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store that cannot be opened when the example starts: one line on standard error (which store,
 * what failed, what to do) and exit status 1, never a stack trace; and {@code storage.wait-at-start},
 * which lets a start wait for a database that comes up after it.
 */
class StoreAtStartTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private Path config(String storage) throws IOException {
        return Files.writeString(dir.resolve("oauthlet.yml"), """
                issuer: https://auth.example.test
                storage:
                %s
                signing:
                  algorithm: ES256
                audiences: [orders]
                clients:
                  - id: orders-app
                    secret: orders-secret
                    grants: [client_credentials]
                """.formatted(storage.indent(2).stripTrailing()));
    }

    private JettyExample.Launch launch(Path config) throws Exception {
        return JettyExample.launch(new String[] {"--config", config.toString(), "--port", "0"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    /** What the example wrote to standard error: exactly one line, no stack frame. */
    private String oneLine() {
        List<String> lines = err.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(1, lines.size(), String.join("\n", lines));
        return lines.get(0);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void launchWhenDatabaseUnreachableThenOneLineAndExitOne() throws Exception {
        int port = freePort();
        JettyExample.Launch refused = launch(config("url: jdbc:postgresql://127.0.0.1:" + port + "/oauthlet\npassword: hidden"));

        assertEquals(1, refused.exitCode());
        assertNull(refused.running());
        String line = oneLine();
        assertTrue(line.startsWith("storage jdbc:postgresql://127.0.0.1:" + port + "/oauthlet: cannot open the database: Connection to 127.0.0.1:"
                + port + " refused"), line);
        assertTrue(line.endsWith("(is the database running and reachable? storage.wait-at-start lets a start wait for it)"), line);
        assertTrue(!line.contains("hidden"), line);
    }

    @Test
    void launchWhenAnotherProcessHasTheH2FileOpenThenOneLineAndExitOne() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("data/oauthlet").toAbsolutePath();
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m", "-cp", classPath,
                HoldH2File.class.getName(), url).redirectErrorStream(true).start();
        try {
            assertEquals("open", new String(holder.getInputStream().readNBytes(4), StandardCharsets.UTF_8), "the other process opened the file");
            JettyExample.Launch refused = launch(config("url: " + url));

            assertEquals(1, refused.exitCode());
            assertNull(refused.running());
            String line = oneLine();
            assertTrue(line.startsWith("storage " + url + ": cannot open the database: Database may be already in use: "), line);
            assertTrue(line.endsWith("(another process, or another deployment in this container, has this H2 file open: stop it, or let "
                    + "several share PostgreSQL or an H2 server; Jetty 12.1 starts a redeployed application before it stops the old one "
                    + "unless jetty.deploy.atomicRedeploy=false)"), line);
        } finally {
            holder.getOutputStream().close();
            if (!holder.waitFor(10, TimeUnit.SECONDS)) {
                holder.destroyForcibly();
            }
        }
    }

    @Test
    void launchWhenWaitAtStartAndDatabaseComesUpLaterThenStartsAndServes() throws Exception {
        PostgresServer postgres = new PostgresServer(dir.resolve("pg"));
        postgres.stop();
        try {
            Path config = config("url: " + postgres.jdbcUrl() + "\nusername: postgres\nwait-at-start: 60s");
            CompletableFuture<JettyExample.Launch> starting = CompletableFuture.supplyAsync(() -> {
                try {
                    return launch(config);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(1500);
            assertTrue(!starting.isDone(), "the start waits for the database: " + err.toString(StandardCharsets.UTF_8));
            postgres.start();
            JettyExample.Launch started = starting.get(60, TimeUnit.SECONDS);
            assertEquals(0, started.exitCode(), err.toString(StandardCharsets.UTF_8));
            try (JettyExample.Running server = started.running()) {
                assertNotNull(server);
                HttpResponse<String> token = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.url() + "/oauth/token"))
                        .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("orders-app:orders-secret".getBytes(StandardCharsets.UTF_8)))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, token.statusCode(), token.body());
            }
        } finally {
            postgres.close();
        }
    }

    /** Another process with the H2 file open: prints {@code open}, holds it until its standard input closes. */
    static final class HoldH2File {

        public static void main(String[] args) throws Exception {
            try (Connection c = DriverManager.getConnection(args[0], "", "")) {
                System.out.print("open");
                System.out.flush();
                System.in.read();
            }
        }
    }
}
