package dev.oauthlet.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs README's worked example — add a client with the command line, get a token from the
 * running server, rotate the secret, remove the client — with bash, exactly as written, against
 * the packaged jar and a server started from it with the quick start's own command, JVM flags
 * included (read from README.md). Only the port differs: the server takes a free one
 * ({@code --port 0}), and the example's {@code 127.0.0.1:8080} becomes that address.
 * Runs after {@code package} (failsafe), since it needs the jar.
 */
class ReadmeWorkedExampleIT {

    private static final Path JAR = Path.of(System.getProperty("oauthlet.example.jar", "target/jetty-example.jar")).toAbsolutePath();
    /** jetty-example/target/jetty-example.jar → the repository's README. */
    private static final Path README = JAR.getParent().getParent().getParent().resolve("README.md");

    @Test
    void workedExampleWhenRunAsWrittenThenTokensUntilTheClientIsRemoved(@TempDir Path dir) throws Exception {
        String readme = Files.readString(README, StandardCharsets.UTF_8);
        Matcher block = Pattern.compile("<!-- worked-example:[^\\n]*-->\\n```sh\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertTrue(block.find(), "README.md has the worked example");
        String script = block.group(1);
        Path target = Files.createDirectories(dir.resolve("jetty-example/target"));
        Files.createSymbolicLink(target.resolve("jetty-example.jar"), JAR);
        Path archive = JAR.resolveSibling("jetty-example.jsa");
        if (Files.exists(archive)) {
            Files.createSymbolicLink(target.resolve("jetty-example.jsa"), archive);
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        String path = Path.of(java).getParent() + File.pathSeparator + System.getenv("PATH");

        // The quick start's command as README.md gives it, the first `java ... -jar jetty-example/target/jetty-example.jar` line.
        Matcher quickStart = Pattern.compile("\\njava((?:[ ]+-\\S+)*)[ ]+-jar[ ]+jetty-example/target/jetty-example\\.jar\\n").matcher(readme);
        assertTrue(quickStart.find(), "README.md has the quick start's run command");
        List<String> command = new java.util.ArrayList<>(List.of(java));
        command.addAll(List.of(quickStart.group(1).strip().split("[ ]+")));
        command.addAll(List.of("-jar", "jetty-example/target/jetty-example.jar", "--port", "0"));
        assertTrue(command.size() > 5, "the quick start's JVM flags apply to the server the example talks to: " + command);
        Process server = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        try {
            String url = null;
            BufferedReader lines = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.startsWith("listening on ")) {
                    url = line.substring("listening on ".length()).strip();
                    break;
                }
            }
            assertTrue(url != null && url.startsWith("http://127.0.0.1:"), "the server started: " + url);
            // Keep draining the server's output so it never blocks on a full pipe.
            Thread drain = new Thread(() -> {
                try {
                    lines.lines().forEach(l -> { });
                } catch (java.io.UncheckedIOException closed) {
                    // The server stopped.
                }
            }, "drain-server");
            drain.setDaemon(true);
            drain.start();

            ProcessBuilder bash = new ProcessBuilder("bash", "-e", "-c", script.replace("http://127.0.0.1:8080", url))
                    .directory(dir.toFile()).redirectErrorStream(false);
            bash.environment().put("PATH", path);
            Process run = bash.start();
            String out = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(run.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(run.waitFor(120, TimeUnit.SECONDS));
            assertEquals(0, run.exitValue(), out + err);

            // curl -s ends no answer with a newline: split where one answer or line ends and the next begins.
            List<String> printed = out.replace("}{", "}\n{").replaceAll("\\}(?=[a-z])", "}\n").lines().toList();
            assertEquals(5, printed.size(), out + err);
            for (int i = 0; i < 3; i++) {
                assertTrue(printed.get(i).startsWith("{\"access_token\":\"eyJ0eXAiOiJhdCtqd3Qi"), printed.get(i));
                assertTrue(printed.get(i).endsWith(",\"token_type\":\"Bearer\",\"expires_in\":3600,\"scope\":\"orders:read\"}"), printed.get(i));
            }
            assertEquals("removed client reports; revoked 0 refresh tokens", printed.get(3));
            assertEquals("{\"error\":\"invalid_client\",\"error_description\":\"client authentication failed\"}", printed.get(4));
            assertTrue(script.contains("# removed client reports; revoked 0 refresh tokens\n"), "README shows what remove prints");
            assertTrue(script.contains("# " + printed.get(4) + "\n"), "README shows the refusal as printed");
        } finally {
            server.destroy();
            server.waitFor(20, TimeUnit.SECONDS);
        }
    }
}
