package dev.oauthlet.wartest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A standalone servlet container run as its own process, its console written to one log file. */
abstract class ContainerProcess {

    protected final Path base;
    protected final int port;
    protected final Map<String, String> environment;
    private final Path log;
    private Process process;
    /** What the container itself allows a graceful stop, where it has such a setting (Jetty's {@code jetty.server.stopTimeout}). */
    protected Duration stopTimeout = Duration.ofSeconds(10);

    ContainerProcess(Path base, Map<String, String> environment) throws IOException {
        this.base = base;
        this.port = freePort();
        this.environment = environment;
        this.log = base.resolve("console.log");
        Files.createDirectories(base);
    }

    /** The command that runs the container in the foreground. */
    abstract List<String> command();

    /** Where the WAR is deployed to, at context path /app. */
    abstract Path war();

    abstract String name();

    String url() {
        return "http://127.0.0.1:" + port + "/app";
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The container's own stop timeout from the next {@link #start} on, where it has one. */
    void stopTimeout(Duration timeout) {
        this.stopTimeout = timeout;
    }

    void start() throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command()).directory(base.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(environment);
        process = pb.start();
    }

    /** Stops the container as an init system does (SIGTERM) and waits for it to exit. */
    int stop() throws InterruptedException {
        signal();
        return awaitExit();
    }

    /** Sends SIGTERM, as an init system does, and returns at once. */
    void signal() {
        process.destroy();
    }

    /** Waits (at most a minute) for the container to exit after {@link #signal}; its exit status. */
    int awaitExit() throws InterruptedException {
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError(name() + " did not stop within 60 s");
        }
        return process.exitValue();
    }

    /**
     * Waits for the n-th {@code startLine} in the log, then for the context to serve: a container
     * logs what the listener says before it routes requests to the new deployment.
     */
    void awaitServing(int n, String startLine, Duration timeout) throws Exception {
        awaitLog(l -> count(l, startLine) >= n, timeout, "start number " + n + " (" + startLine + ")");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                int status = Http.get(url() + "/oauth/jwks", "-").statusCode();
                if (status != 404 && status != 503) {
                    return;
                }
            } catch (java.net.ConnectException e) {
                // The connector opens after the deployment on a container's start.
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name() + ": deployment " + n + " logged its start but does not serve");
            }
            Thread.sleep(100);
        }
    }

    void kill() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor();
        }
    }

    long pid() {
        return process.pid();
    }

    String log() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until the log satisfies {@code condition}. */
    void awaitLog(Predicate<String> condition, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.test(log())) {
            if (System.nanoTime() > deadline || (process != null && !process.isAlive())) {
                throw new AssertionError(name() + ": " + what + " did not happen within " + timeout + "; log:\n" + log());
            }
            Thread.sleep(200);
        }
    }

    /** How often {@code text} occurs in the log. */
    int count(String text) {
        return count(log(), text);
    }

    static int count(String log, String text) {
        int n = 0;
        for (int i = log.indexOf(text); i >= 0; i = log.indexOf(text, i + 1)) {
            n++;
        }
        return n;
    }

    /** The container's thread dump, through jcmd. */
    String threadDump() throws IOException, InterruptedException {
        Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid()), "Thread.print").redirectErrorStream(true).start();
        String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        jcmd.waitFor();
        return out;
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
