package dev.oauthlet.example;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs documented shell commands (curl) as printed, with bash, against a server on a free port:
 * the documents say {@code 127.0.0.1:8080}, the test's server listens elsewhere.
 */
final class ShellSnippets {

    private ShellSnippets() {
    }

    /**
     * The commands of a YAML file's header comment: after the {@code java -jar} line that starts
     * the server, the lines indented by three or more spaces after {@code #} (prose has one).
     * Expected output, written {@code #   # ...}, stays a shell comment.
     */
    static String headerCommands(Path yml) throws IOException {
        List<String> lines = Files.readAllLines(yml, StandardCharsets.UTF_8);
        return lines.stream()
                .takeWhile(l -> l.startsWith("#"))
                .dropWhile(l -> !l.substring(1).strip().startsWith("java -jar"))
                .skip(1)
                .filter(l -> l.startsWith("#   "))
                .map(l -> l.substring(1).strip())
                .collect(Collectors.joining("\n"));
    }

    /** The shell block of {@code markdown} that follows the line {@code marker}. */
    static String block(Path markdown, String marker) throws IOException {
        String text = Files.readString(markdown, StandardCharsets.UTF_8);
        int at = text.indexOf(marker);
        assertTrue(at >= 0, "no '" + marker + "' in " + markdown);
        int start = text.indexOf("```sh\n", at);
        int end = text.indexOf("```", start + 6);
        return text.substring(start + 6, end);
    }

    /** Runs {@code script} with bash against {@code port} instead of 8080; its standard output, after asserting it succeeded. */
    static String run(String script, int port) throws IOException, InterruptedException {
        return run(script, port, java.util.Map.of());
    }

    /** As {@link #run(String, int)}, with {@code environment} added to bash's. */
    static String run(String script, int port, java.util.Map<String, String> environment) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("bash", "-euo", "pipefail", "-c", script.replace("127.0.0.1:8080", "127.0.0.1:" + port))
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().putAll(environment);
        Process p = builder.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the commands did not finish");
        String printed = new String(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), printed);
        return printed;
    }
}
