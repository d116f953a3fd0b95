package dev.oauthlet.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The published jars run the way users run them: on the module path, as named modules, each jar
 * on its own; and the example's fat jar on the class path.
 */
class LaunchTest {

    private static final Path ROOT = Path.of(System.getProperty("oauthlet.root", "..")).toAbsolutePath().normalize();
    private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");

    @Test
    void modulePathWhenPublishedJarsLaunchedThenTokenIssuedAndVerified(@TempDir Path dir) throws Exception {
        String modulePath = Files.readString(ROOT.resolve("architecture/target/module-path.txt")).strip();
        List<String> entries = List.of(modulePath.split(File.pathSeparator));
        for (String published : List.of("oauthlet-core", "oauthlet-servlet-filter")) {
            assertTrue(entries.stream().anyMatch(e -> Path.of(e).getFileName().toString().startsWith(published) && e.endsWith(".jar")),
                    published + " jar missing from " + entries);
        }

        Path classes = dir.resolve("classes");
        Path sources = ROOT.resolve("architecture/src/test/modulecheck");
        List<String> javac = new ArrayList<>(List.of("--module-path", modulePath, "-d", classes.toString()));
        try (Stream<Path> files = Files.walk(sources)) {
            files.filter(f -> f.toString().endsWith(".java")).forEach(f -> javac.add(f.toString()));
        }
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        assertEquals(0, compiler.run(null, null, null, javac.toArray(String[]::new)), "javac " + javac);

        Path config = dir.resolve("oauthlet.yml");
        Files.writeString(config, """
                issuer: https://auth.example.test
                storage:
                  url: jdbc:h2:file:%s
                  username: sa
                  password: ""
                signing:
                  algorithm: ES256
                audiences: [orders]
                scopes:
                  orders:read: Read orders
                clients:
                  - id: machine
                    secret: machine-secret
                    grants: [client_credentials]
                    audience: orders
                    scopes: [orders:read]
                """.formatted(dir.resolve("db").toString().replace('\\', '/')));

        Process p = new ProcessBuilder(JAVA.toString(), "--module-path", classes + File.pathSeparator + modulePath,
                "--module", "dev.oauthlet.modulecheck/dev.oauthlet.modulecheck.Main", config.toString())
                .redirectErrorStream(true).start();
        CompletableFuture<String> output = readAll(p.getInputStream());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "still running after 120 s");
        String out = output.get(10, TimeUnit.SECONDS);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("core module: dev.oauthlet.core\n"), out);
        assertTrue(out.contains("servlet module: dev.oauthlet.servlet\n"), out);
        assertTrue(out.contains("internal exported: false\n"), out);
        assertTrue(out.contains("grants: [authorization_code, client_credentials, password, refresh_token]\n"), out);
        assertTrue(out.contains("token status: 200\n"), out);
        assertTrue(out.contains("resource: 200 subject=machine\n"), out);
        assertTrue(out.contains("without token: 401\n"), out);
    }

    @Test
    void classPathWhenExampleFatJarRunThenServesTokens(@TempDir Path dir) throws Exception {
        Path jar = ROOT.resolve("jetty-example/target/jetty-example.jar");
        assertTrue(Files.isRegularFile(jar), jar + " is missing: build the reactor with mvn verify");
        // The demo configuration keeps its H2 database under ./data: the temporary directory here.
        Process p = new ProcessBuilder(JAVA.toString(), "-jar", jar.toString(), "--port", "0").directory(dir.toFile())
                .redirectErrorStream(true).start();
        try {
            String listening = firstLineMatching(p.getInputStream(), Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+)"));
            HttpClient http = HttpClient.newHttpClient();
            String basic = Base64.getEncoder().encodeToString("backoffice-app:E8CXQyO8QsxKKUjQReJAmCm7QiGhAMoyzdP3RwvD580".getBytes(StandardCharsets.UTF_8));
            HttpResponse<String> token = http.send(HttpRequest.newBuilder(URI.create(listening + "/oauth/token"))
                    .header("Authorization", "Basic " + basic)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, token.statusCode(), token.body());
            assertTrue(token.body().contains("\"access_token\":\"ey"), token.body());
        } finally {
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    /** Reads lines until one matches; returns its first group. Fails if the process ends first. */
    private static String firstLineMatching(InputStream in, Pattern pattern) throws IOException {
        StringBuilder seen = new StringBuilder();
        var reader = new java.io.BufferedReader(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
        for (String line; (line = reader.readLine()) != null; ) {
            seen.append(line).append('\n');
            Matcher m = pattern.matcher(line);
            if (m.find()) {
                // Keep draining, so the process never blocks on a full pipe.
                Thread drain = new Thread(() -> {
                    try {
                        reader.transferTo(java.io.Writer.nullWriter());
                    } catch (IOException ignored) {
                        // The process was stopped.
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return m.group(1);
            }
        }
        throw new AssertionError("the process ended without a line matching " + pattern + ":\n" + seen);
    }

    private static CompletableFuture<String> readAll(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
