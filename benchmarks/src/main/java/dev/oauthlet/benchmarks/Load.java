package dev.oauthlet.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The pieces {@link SideBySide} measures with: a server process and what {@code /proc} says about it,
 * one wrk round with the server's CPU over it, and the Lua scripts that make wrk send token requests.
 */
final class Load {

    private Load() {
    }

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofMillis(500)).build();
    /** USER_HZ: the unit of utime and stime in /proc/PID/stat, 100 on every Linux we run on. */
    static final long TICKS_PER_SECOND = ticksPerSecond();

    /** A token request the way one server expects it. */
    record TokenCall(String path, String clientId, String secret, String body) {
        String basic() {
            return "Basic " + Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
        }
    }

    /** A server under test, started in its own fresh directory. */
    static final class Server implements AutoCloseable {
        final String name;
        final List<String> command;
        final Process process;
        final int port;
        final Path dir;
        final long startNanos;

        Server(String name, List<String> command, Path dir, int port) throws IOException {
            this.name = name;
            this.command = List.copyOf(command);
            this.dir = dir;
            this.port = port;
            this.startNanos = System.nanoTime();
            this.process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("server.log").toFile()).start();
        }

        String url(String path) {
            return "http://127.0.0.1:" + port + path;
        }

        /** Polls the token endpoint until it answers 200; returns milliseconds since the process was started. */
        long awaitFirstToken(TokenCall call) throws Exception {
            HttpRequest req = tokenRequest(call);
            while (System.nanoTime() - startNanos < TimeUnit.SECONDS.toNanos(180)) {
                if (!process.isAlive()) {
                    throw new IllegalStateException(name + " exited: " + Files.readString(dir.resolve("server.log")));
                }
                try {
                    if (HTTP.send(req, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                Thread.sleep(5);
            }
            throw new IllegalStateException(name + " gave no token within 180 s; see " + dir.resolve("server.log"));
        }

        HttpRequest tokenRequest(TokenCall call) {
            return HttpRequest.newBuilder(URI.create(url(call.path()))).timeout(Duration.ofSeconds(30))
                    .header("Authorization", call.basic()).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(call.body())).build();
        }

        /** The JSON answer of one token request; fails unless it is 200. */
        String token(TokenCall call) throws Exception {
            HttpResponse<String> r = HTTP.send(tokenRequest(call), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException(name + ": token request answered " + r.statusCode() + " " + r.body());
            }
            return r.body();
        }

        /** utime + stime of every thread of the process, in clock ticks. */
        long cpuTicks() throws IOException {
            String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        }

        /** Resident set size in MiB. */
        double rssMiB() throws IOException {
            for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
                }
            }
            throw new IllegalStateException("no VmRSS for " + name);
        }

        @Override
        public void close() throws Exception {
            process.destroy();
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    /** One wrk round against one server: throughput, latency and the server's CPU per request. */
    record Round(double rps, double p50ms, double p99ms, long requests, double cpuUsPerRequest, double rssMiB, double load1) {
    }

    static Round wrk(Server server, Path lua, String path, int seconds, int threads, int connections) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("wrk", "-t" + threads, "-c" + connections, "-d" + seconds + "s",
                "--timeout", "10s", "--latency"));
        if (lua != null) {
            cmd.addAll(List.of("-s", lua.toString()));
        }
        cmd.add(server.url(path));
        long before = server.cpuTicks();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        long after = server.cpuTicks();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("wrk failed:\n" + out);
        }
        Matcher bad = Pattern.compile("Non-2xx or 3xx responses: (\\d+)").matcher(out);
        if (bad.find()) {
            throw new IllegalStateException(server.name + " " + path + ": " + bad.group(1) + " requests refused:\n" + out);
        }
        long requests = Long.parseLong(find(out, "(\\d+) requests in"));
        double rps = Double.parseDouble(find(out, "Requests/sec:\\s+([0-9.]+)"));
        double cpuUs = requests == 0 ? Double.NaN : (after - before) * 1_000_000.0 / TICKS_PER_SECOND / requests;
        return new Round(rps, millis(find(out, "\\s50%\\s+(\\S+)")), millis(find(out, "\\s99%\\s+(\\S+)")), requests, cpuUs,
                server.rssMiB(), load1());
    }

    private static String find(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        if (!m.find()) {
            throw new IllegalStateException("unexpected wrk output (no " + regex + "):\n" + text);
        }
        return m.group(1);
    }

    private static double millis(String wrkDuration) {
        Matcher m = Pattern.compile("([0-9.]+)(us|ms|s|m)").matcher(wrkDuration);
        if (!m.matches()) {
            throw new IllegalStateException("unexpected wrk duration " + wrkDuration);
        }
        double v = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "us" -> v / 1000;
            case "ms" -> v;
            case "s" -> v * 1000;
            default -> v * 60_000;
        };
    }

    /** The 1-minute load average. */
    static double load1() throws IOException {
        return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    }

    /** A wrk script that POSTs {@code call} to the token endpoint. */
    static Path tokenScript(Path dir, String name, TokenCall call) throws IOException {
        return Files.writeString(dir.resolve(name + ".lua"), """
                wrk.method = "POST"
                wrk.body = "%s"
                wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
                wrk.headers["Authorization"] = "%s"
                """.formatted(call.body(), call.basic()));
    }

    /** A wrk script that sends one bearer token with every request. */
    static Path bearerScript(Path dir, String name, String token) throws IOException {
        return Files.writeString(dir.resolve(name + ".lua"), "wrk.headers[\"Authorization\"] = \"Bearer " + token + "\"\n");
    }

    /** A wrk script that cycles through {@code tokens}, each thread from its own offset. */
    static Path cyclingBearerScript(Path dir, String name, List<String> tokens) throws IOException {
        StringBuilder lua = new StringBuilder("local tokens = {\n");
        tokens.forEach(t -> lua.append("  \"").append(t).append("\",\n"));
        lua.append("""
                }
                local n = #tokens
                local i = 0
                local threads = 0
                function setup(thread)
                  thread:set("start", threads * 7919)
                  threads = threads + 1
                end
                function init(args)
                  i = start
                end
                function request()
                  i = i + 1
                  return wrk.format("GET", nil, { ["Authorization"] = "Bearer " .. tokens[(i % n) + 1] }, nil)
                end
                """);
        return Files.writeString(dir.resolve(name + ".lua"), lua);
    }

    /**
     * One round of rotating refreshes, sent by this JVM rather than wrk: each of {@code chains}
     * threads refreshes its own token family one request after another and keeps the successor, so no
     * refresh token is presented twice, across rounds too. Returns the round as {@link #wrk} does.
     */
    static Round refreshChains(Server server, TokenCall client, List<String[]> chains, int seconds) throws Exception {
        return repeat(server, chains.size(), seconds, thread -> {
            String[] chain = chains.get(thread);
            String json = server.token(new TokenCall(client.path(), client.clientId(), client.secret(),
                    "grant_type=refresh_token&refresh_token=" + chain[0]));
            chain[0] = field(json, "refresh_token");
        });
    }

    /** One operation of a driver-made round, e.g. a registration and a token request with the new client. */
    interface Operation {
        /** @param thread which of the round's threads runs it, from 0 */
        void run(int thread) throws Exception;
    }

    /** {@code threads} threads repeating {@code op} for {@code seconds}: latency per operation and the server's CPU per operation. */
    static Round repeat(Server server, int threads, int seconds, Operation op) throws Exception {
        long before = server.cpuTicks();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        List<List<Long>> latencies = new ArrayList<>();
        List<Thread> running = new ArrayList<>();
        java.util.concurrent.atomic.AtomicReference<Exception> failure = new java.util.concurrent.atomic.AtomicReference<>();
        for (int i = 0; i < threads; i++) {
            List<Long> mine = new ArrayList<>();
            latencies.add(mine);
            int thread = i;
            Thread t = new Thread(() -> {
                try {
                    while (System.nanoTime() < end) {
                        long t0 = System.nanoTime();
                        op.run(thread);
                        mine.add(System.nanoTime() - t0);
                    }
                } catch (Exception e) {
                    failure.compareAndSet(null, e);
                }
            });
            running.add(t);
            t.start();
        }
        for (Thread t : running) {
            t.join();
        }
        long after = server.cpuTicks();
        if (failure.get() != null) {
            throw failure.get();
        }
        double[] all = latencies.stream().flatMap(List::stream).mapToDouble(n -> n / 1e6).sorted().toArray();
        long requests = all.length;
        double cpuUs = requests == 0 ? Double.NaN : (after - before) * 1_000_000.0 / TICKS_PER_SECOND / requests;
        return new Round(requests / (double) seconds, percentile(all, 0.50), percentile(all, 0.99), requests, cpuUs,
                server.rssMiB(), load1());
    }

    private static double percentile(double[] sorted, double p) {
        return sorted.length == 0 ? Double.NaN : sorted[Math.min(sorted.length - 1, (int) Math.floor(p * sorted.length))];
    }

    /** A field of a JSON token response. */
    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no " + name + " in " + json);
        }
        return m.group(1);
    }

    private static long ticksPerSecond() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return p.waitFor() == 0 ? Long.parseLong(out) : 100;
        } catch (IOException | NumberFormatException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }
}
