package dev.oauthlet.example;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The runnable example jar started as its users start it, {@code java -jar jetty-example.jar},
 * in a process of its own; its log (standard error) goes to a file. The jar is the reactor's
 * ({@code oauthlet.example.jar}, set by failsafe), so this runs after {@code package}.
 */
final class ExampleProcess implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");

    private final Process process;
    private final Path log;
    private final int port;

    private ExampleProcess(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    static Path jar() {
        String jar = System.getProperty("oauthlet.example.jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("system property oauthlet.example.jar must name the built jar (run through failsafe), got " + jar);
        }
        return Path.of(jar);
    }

    /** Starts the jar with {@code --config config --port 0} in {@code dir}, and waits until it listens. */
    static ExampleProcess start(Path config, Path dir, String logName) throws IOException, InterruptedException {
        Path log = dir.resolve(logName);
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(javaBin, "-Xmx256m", "-jar", jar().toString(), "--config", config.toString(), "--port", "0")
                .directory(dir.toFile()).redirectError(log.toFile()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String line;
        while (System.nanoTime() < deadline && (line = out.readLine()) != null) {
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                Thread drain = new Thread(() -> {
                    try {
                        out.transferTo(java.io.Writer.nullWriter());
                    } catch (IOException ignored) {
                        // The process is gone.
                    }
                }, "example-stdout");
                drain.setDaemon(true);
                drain.start();
                return new ExampleProcess(p, log, Integer.parseInt(m.group(1)));
            }
        }
        p.destroyForcibly();
        throw new IllegalStateException("the example did not start; its log:\n" + Files.readString(log));
    }

    int port() {
        return port;
    }

    /** Sends SIGTERM, as an orchestrator or systemd does. */
    void terminate() {
        process.destroy();
    }

    /** Waits for the process to exit; returns its exit code. */
    int awaitExit(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the example did not exit within " + seconds + " s of SIGTERM");
        }
        return process.exitValue();
    }

    List<String> logLines() throws IOException {
        return Files.readAllLines(log, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
