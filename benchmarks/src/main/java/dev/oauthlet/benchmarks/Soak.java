package dev.oauthlet.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oauthlet.crypto.SecretHasher;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
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
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The soak: two example nodes (separate JVMs, the runnable jar) on one PostgreSQL, mixed load for
 * a bounded time, the database stopped and started in the middle, optionally a rolling restart of
 * both nodes and scheduled key rotation. Reports the answers by operation and status; 5xx other
 * than {@code 503 temporarily_unavailable} during the outage; lost rotations (a refresh token this
 * driver holds as the latest of its chain refused although neither it nor anybody revoked the
 * chain); the signing keys per rotation period and fresh tokens refused by the other node
 * ({@link SoakKeys}); heap after a full GC per process lifetime ({@link SoakHeap}), file
 * descriptors and threads of each node over time. Loopback only. Run by {@code benchmarks/soak.sh}.
 *
 * <p>{@code java -cp benchmarks.jar dev.oauthlet.benchmarks.Soak --jar jetty-example.jar
 * [--minutes 10] [--outage-at 5] [--outage 30] [--workers 8] [--rolling-restart-at M]
 * [--rotation SECONDS] [--hook M:COMMAND]... [--report FILE]}. A hook runs {@code sh -c COMMAND} at minute M with
 * {@code SOAK_NODES} (the node URLs), {@code SOAK_PIDS} and {@code SOAK_JDBC_URL} in its
 * environment: for a key rotation or anything else that needs to happen under load.
 */
public final class Soak {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "soak-secret";

    private final Options options;
    private final Path work;
    private final List<Node> nodes = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final Map<String, LongAdder> answers = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
    private final List<String> accessTokens = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final AtomicLong lostRotations = new AtomicLong();
    private final AtomicLong rotations = new AtomicLong();
    private final List<String> samples = new ArrayList<>();
    /** Every node process's heap over its lifetime, in the order they started. */
    private final List<SoakHeap> lifetimes = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Map<String, String> resources = new ConcurrentHashMap<>();
    private final SoakKeys keys;
    private final List<String> events = new ArrayList<>();
    private EmbeddedPostgres postgres;
    private int pgPort;
    private volatile long outageFrom = Long.MAX_VALUE;
    private volatile long outageUntil = Long.MAX_VALUE;
    private volatile long restartFrom = Long.MAX_VALUE;
    private volatile long restartUntil = Long.MAX_VALUE;
    private final long start = System.nanoTime();
    private volatile boolean running = true;

    record Options(Path jar, int minutes, int outageAt, int outageSeconds, int workers, int rollingRestartAt, Duration rotation,
            List<String> hooks, Path report) {
    }

    /** One example JVM. */
    final class Node {
        final String name;
        final int port;
        Process process;
        SoakHeap heap;
        int processes;
        long nextSample;

        Node(String name, int port) {
            this.name = name;
            this.port = port;
        }

        String url() {
            return "http://127.0.0.1:" + port;
        }

        void start(Path config) throws Exception {
            heap = new SoakHeap(name, ++processes, work);
            lifetimes.add(heap);
            nextSample = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            process = new ProcessBuilder("java", "-Xms64m", "-Xmx256m", "-XX:+UseG1GC", "-jar", options.jar().toString(),
                    "--config", config.toString(), "--port", Integer.toString(port))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve(name + ".log").toFile())).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException(name + " exited: " + Files.readString(work.resolve(name + ".log")));
                }
                try {
                    if (http.send(HttpRequest.newBuilder(URI.create(url() + "/oauth/jwks")).timeout(Duration.ofSeconds(2)).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        return;
                    }
                } catch (IOException notYet) {
                    // starting
                }
                Thread.sleep(200);
            }
            throw new IllegalStateException(name + " did not start within 60 s");
        }

        /** Stops the process (SIGTERM), after its last heap figures. */
        void stop() throws Exception {
            if (heap.sampled()) {
                heap.end(process.pid(), retainedMiB(), at());
            }
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }

        /** Old-generation use right after a full GC, in MiB: what the node retains, without the young garbage of the load. */
        double retainedMiB() throws Exception {
            long pid = process.pid();
            run("jcmd", Long.toString(pid), "GC.run");
            String[] jstat = run("jstat", "-gc", Long.toString(pid)).strip().split("\n");
            List<String> names = List.of(jstat[0].strip().split("\\s+"));
            String[] values = jstat[1].strip().split("\\s+");
            return Double.parseDouble(values[names.indexOf("OU")]) / 1024.0;
        }

        /** Heap used after a full GC, in MiB; open file descriptors; live threads. */
        String sample() throws Exception {
            long pid = process.pid();
            double used = retainedMiB();
            heap.sample(used, at(), pid);
            long fds;
            try (var s = Files.list(Path.of("/proc/" + pid + "/fd"))) {
                fds = s.count();
            }
            String threads = Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream().filter(l -> l.startsWith("Threads:"))
                    .map(l -> l.substring(8).strip()).findFirst().orElse("?");
            resources.merge(name + " first", fds + " fds, " + threads + " threads", (first, now) -> first);
            resources.put(name + " last", fds + " fds, " + threads + " threads");
            return String.format("%s %d | %.1f MiB | %d fds | %s threads", name, processes, used, fds, threads);
        }
    }

    private Soak(Options options) throws IOException {
        this.options = options;
        this.work = Files.createTempDirectory("oauthlet-soak");
        this.keys = new SoakKeys(options.rotation());
    }

    public static void main(String[] args) throws Exception {
        Path jar = null;
        int minutes = 10;
        int outageAt = -1;
        int outage = 30;
        int workers = 8;
        int rolling = -1;
        Duration rotation = null;
        List<String> hooks = new ArrayList<>();
        Path report = null;
        for (int i = 0; i < args.length; i++) {
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--jar" -> jar = Path.of(v);
                case "--minutes" -> minutes = Integer.parseInt(v);
                case "--outage-at" -> outageAt = Integer.parseInt(v);
                case "--outage" -> outage = Integer.parseInt(v);
                case "--workers" -> workers = Integer.parseInt(v);
                case "--rolling-restart-at" -> rolling = Integer.parseInt(v);
                case "--rotation" -> rotation = Duration.ofSeconds(Integer.parseInt(v));
                case "--hook" -> hooks.add(v);
                case "--report" -> report = Path.of(v);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
            i++;
        }
        if (jar == null) {
            throw new IllegalArgumentException("--jar jetty-example/target/jetty-example.jar is required");
        }
        Soak soak = new Soak(new Options(jar, minutes, outageAt < 0 ? minutes / 2 : outageAt, outage, workers, rolling, rotation,
                hooks, report));
        int code = soak.run();
        System.exit(code);
    }

    private int run() throws Exception {
        pgPort = freePort();
        startPostgres();
        Path config = writeConfig();
        nodes.add(new Node("node-a", freePort()));
        nodes.add(new Node("node-b", freePort()));
        for (Node n : nodes) {
            n.start(config);
        }
        event("two nodes up: " + nodes.get(0).url() + ", " + nodes.get(1).url() + "; PostgreSQL on " + pgPort);
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < options.workers(); i++) {
            Thread t = new Thread(this::work, "soak-worker-" + i);
            t.start();
            workers.add(t);
        }
        long end = TimeUnit.MINUTES.toNanos(options.minutes());
        boolean outageDone = false;
        boolean rollingDone = options.rollingRestartAt() < 0;
        List<String> hooks = new ArrayList<>(options.hooks());
        long nextJwks = System.nanoTime();
        while (elapsed() < end) {
            Thread.sleep(500);
            if (!outageDone && elapsed() >= TimeUnit.MINUTES.toNanos(options.outageAt())) {
                outageDone = true;
                outage(config);
            }
            if (!rollingDone && elapsed() >= TimeUnit.MINUTES.toNanos(options.rollingRestartAt())) {
                rollingDone = true;
                rollingRestart(config);
            }
            for (var it = hooks.iterator(); it.hasNext(); ) {
                String hook = it.next();
                int colon = hook.indexOf(':');
                if (elapsed() >= TimeUnit.MINUTES.toNanos(Integer.parseInt(hook.substring(0, colon)))) {
                    it.remove();
                    hook(hook.substring(colon + 1));
                }
            }
            // Each process is sampled from one minute after its own start, then every minute.
            for (Node n : nodes) {
                if (System.nanoTime() - n.nextSample >= 0) {
                    sample(n);
                    n.nextSample += TimeUnit.SECONDS.toNanos(60);
                }
            }
            if (System.nanoTime() - nextJwks >= 0) {
                compareJwks();
                nextJwks += TimeUnit.SECONDS.toNanos(5);
            }
        }
        running = false;
        for (Thread t : workers) {
            t.join();
        }
        finalChecks();
        for (Node n : nodes) {
            sample(n);
        }
        for (Node n : nodes) {
            n.heap.end(n.process.pid(), n.retainedMiB(), at());
        }
        violations.addAll(keys.violations());
        String report = report();
        System.out.println(report);
        if (options.report() != null) {
            Files.writeString(options.report(), report);
        }
        for (Node n : nodes) {
            n.stop();
        }
        postgres.close();
        boolean heapWithin = lifetimes.stream().allMatch(h -> h.violation() == null);
        return violations.isEmpty() && lostRotations.get() == 0 && heapWithin ? 0 : 1;
    }

    private void startPostgres() throws IOException {
        postgres = EmbeddedPostgres.builder().setDataDirectory(work.resolve("pgdata")).setCleanDataDirectory(false).setPort(pgPort).start();
    }

    /**
     * The filter's verified-token cache, smaller than its default of 10,000: the heap judgement
     * compares each process with its first minute, "warm caches". At the soak's rate (some 80 new
     * tokens a second per node) 1,000 fill within seconds; 10,000 with its 2 idle minutes fill over
     * several minutes, a restart and an outage setting them back, so the judgement would see that
     * bounded cache filling (+28 % and +30 % of 10 MiB on 2026-12-02, every grown class a cache
     * entry's) instead of what is not bounded.
     */
    static final int FILTER_CACHE_SIZE = 1_000;

    /**
     * The access-token lifetime, shorter than its default of 1 h, for the same judgement: every
     * node keeps the deny-list in memory, one entry per revoked family until the family's last
     * access token has expired (this lifetime plus the 30 s clock skew). At the soak's 30 to 50
     * revocations a second that is a list at its steady size after 90 s; with 1 h it would grow
     * through the whole run (+16.7 % and +14.1 % of 10 MiB on 2026-12-02, some 23,000
     * {@code fid:} strings a process) and level off only after the hour.
     */
    static final String ACCESS_TOKEN_TTL = "60s";

    private Path writeConfig() throws IOException {
        SecretHasher hasher = new SecretHasher(10_000);
        String yaml = """
                issuer: http://127.0.0.1
                storage:
                  url: "jdbc:postgresql://127.0.0.1:%d/postgres"
                  username: postgres
                  password: ""
                  connection-timeout: 2s
                signing: {algorithm: ES256%s}
                audiences: [api]
                tokens: {access-token-ttl: %s}
                authorization:
                  login-max-failures-per-user: 1000
                  login-max-failures-per-address: 1000
                clients:
                  - id: soak
                    secret-hash: "%s"
                    grants: [client_credentials, password, refresh_token]
                    audience: api
                    scopes: [read, write]
                users:
                  - username: alice
                    password-hash: "%s"
                example:
                  resources: [{path: /api/*, audience: api, filter: {revocation-check: "true", cache-size: "%d"}}]
                """.formatted(pgPort, options.rotation() == null ? "" : ", rotation: " + options.rotation().toSeconds() + "s",
                ACCESS_TOKEN_TTL, hasher.hash(SECRET), hasher.hash("alice-password"), FILTER_CACHE_SIZE);
        Path config = work.resolve("soak.yml");
        Files.writeString(config, yaml);
        return config;
    }

    /** One worker: a refresh chain of its own, and a random mix of the other operations. */
    private void work() {
        String chain = null;
        while (running) {
            Node node = nodes.get(ThreadLocalRandom.current().nextInt(nodes.size()));
            int op = ThreadLocalRandom.current().nextInt(100);
            try {
                if (chain == null || op < 10) {
                    if (chain != null) {
                        // Revoke the chain (its own client's request), then start a new one. A revocation whose
                        // answer was lost may have happened: the chain is dropped either way, never counted lost.
                        String revoked = chain;
                        chain = null;
                        Answer a = post(node, "/oauth/revoke", "token=" + enc(revoked), "revoke");
                        if (a.status != 200) {
                            chain = a.status == 503 ? revoked : null;
                            continue;
                        }
                    }
                    Answer a = post(node, "/oauth/token", "grant_type=password&username=alice&password=alice-password", "password");
                    if (a.status == 200) {
                        chain = a.json.get("refresh_token").asText();
                        keep(a.json.get("access_token").asText());
                    }
                } else if (op < 40) {
                    Answer a = post(node, "/oauth/token", "grant_type=refresh_token&refresh_token=" + enc(chain), "refresh");
                    if (a.status == 200) {
                        chain = a.json.get("refresh_token").asText();
                        keys.issued(a.json.get("access_token").asText());
                        rotations.incrementAndGet();
                    } else if (a.status == 400 && "invalid_grant".equals(a.error())) {
                        lostRotations.incrementAndGet();
                        violations.add(at() + " lost rotation: the chain's latest refresh token was refused: " + a.body);
                        chain = null;
                    }
                } else if (op < 60) {
                    Answer a = post(node, "/oauth/token", "grant_type=client_credentials", "client_credentials");
                    if (a.status == 200) {
                        keep(a.json.get("access_token").asText());
                        presentElsewhere(node, a.json.get("access_token").asText());
                    }
                } else if (op < 70 && !accessTokens.isEmpty()) {
                    post(node, "/oauth/introspect", "token=" + enc(pick()), "introspect");
                } else if (!accessTokens.isEmpty()) {
                    String token = pick();
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(node.url() + "/api/me"))
                            .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
                    record("resource", r.statusCode(), r.body());
                }
            } catch (IOException e) {
                count("transport-error " + (inWindow() ? "(outage/restart)" : "(normal)"));
                if (!inWindow()) {
                    violations.add(at() + " transport error outside the outage: " + e);
                }
                sleep(200);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** A fresh token of {@code issuer} at the other node's filter, at once: it must know the key that signed it. */
    private void presentElsewhere(Node issuer, String token) throws IOException, InterruptedException {
        Node other = nodes.get(1 - nodes.indexOf(issuer));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(other.url() + "/api/me"))
                .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        record("fresh-token-at-other-node", r.statusCode(), r.body());
        String challenge = r.headers().firstValue("WWW-Authenticate").orElse("");
        if (keys.presentedElsewhere(r.statusCode(), challenge)) {
            violations.add(at() + " a fresh token of " + issuer.name + " was refused by " + other.name + " for an unknown kid: " + challenge);
        } else if (r.statusCode() == 401 && !inWindow()) {
            violations.add(at() + " a fresh token of " + issuer.name + " was refused by " + other.name + ": " + challenge);
        }
    }

    private void keep(String token) {
        keys.issued(token);
        // The last 200 tokens: cached by the filter, some revoked with their chains.
        accessTokens.add(token);
        if (accessTokens.size() > 200) {
            accessTokens.remove(0);
        }
    }

    private String pick() {
        List<String> snapshot = accessTokens;
        return snapshot.get(ThreadLocalRandom.current().nextInt(snapshot.size()));
    }

    record Answer(int status, JsonNode json, String body) {
        String error() {
            return json != null && json.has("error") ? json.get("error").asText() : null;
        }
    }

    private Answer post(Node node, String path, String body, String op) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(node.url() + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(("soak:" + SECRET).getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode json = null;
        try {
            json = r.body().isEmpty() ? null : JSON.readTree(r.body());
        } catch (IOException notJson) {
            violations.add(at() + " " + op + ": not JSON: " + r.statusCode() + " " + r.body());
        }
        record(op, r.statusCode(), r.body());
        if (r.statusCode() == 503) {
            sleep(250);
        }
        return new Answer(r.statusCode(), json, r.body());
    }

    private void record(String op, int status, String body) {
        boolean window = inWindow();
        count(op + " " + status + (status >= 500 ? (window ? " (outage/restart)" : " (normal)") : ""));
        if (status >= 500) {
            boolean unavailable = status == 503 && body.contains("temporarily_unavailable");
            if (!unavailable || !window) {
                violations.add(at() + " " + op + " " + status + " " + body);
            }
        }
    }

    private void count(String key) {
        answers.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    /** The outage window, plus 15 s for pools to notice the database is back. */
    private boolean inWindow() {
        long now = System.nanoTime();
        return within(now, outageFrom, outageUntil, 15) || within(now, restartFrom, restartUntil, 5);
    }

    /** Whether {@code now} lies in a window that began at {@code from} and ended {@code slack} seconds after {@code until} (or goes on). */
    private static boolean within(long now, long from, long until, int slack) {
        return from != Long.MAX_VALUE && now - from >= 0 && (until == Long.MAX_VALUE || now - until <= TimeUnit.SECONDS.toNanos(slack));
    }

    private void outage(Path config) throws Exception {
        outageFrom = System.nanoTime();
        event("PostgreSQL stopped");
        postgres.close();
        Thread.sleep(TimeUnit.SECONDS.toMillis(options.outageSeconds()));
        startPostgres();
        outageUntil = System.nanoTime();
        event("PostgreSQL started again");
    }

    private void rollingRestart(Path config) throws Exception {
        for (Node n : nodes) {
            restartUntil = Long.MAX_VALUE;
            restartFrom = System.nanoTime();
            event("rolling restart: stopping " + n.name);
            n.stop();
            n.start(config);
            restartUntil = System.nanoTime();
            event("rolling restart: " + n.name + " serving again");
        }
    }

    private void hook(String command) throws Exception {
        event("hook: " + command);
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve("hooks.log").toFile()));
        pb.environment().put("SOAK_NODES", String.join(" ", nodes.stream().map(Node::url).toList()));
        pb.environment().put("SOAK_PIDS", String.join(" ", nodes.stream().map(n -> Long.toString(n.process.pid())).toList()));
        pb.environment().put("SOAK_JDBC_URL", "jdbc:postgresql://127.0.0.1:" + pgPort + "/postgres");
        event("hook exited " + pb.start().waitFor());
    }

    /** Every chain still held must refresh; tokens from before the outage still verify. */
    private void finalChecks() throws Exception {
        Node node = nodes.get(0);
        Answer a = post(node, "/oauth/token", "grant_type=password&username=alice&password=alice-password", "final-check");
        if (a.status != 200) {
            violations.add("final check: a password grant failed: " + a.body);
        }
    }

    private void sample(Node n) throws Exception {
        String row = "| " + at() + " | " + n.sample() + " | " + loadAverages()[0] + " |";
        synchronized (samples) {
            samples.add(row);
        }
    }

    /** Both nodes' JWKS, one right after the other; skipped while either is down. */
    private void compareJwks() {
        try {
            String a = jwks(nodes.get(0));
            String b = jwks(nodes.get(1));
            if (a != null && b != null) {
                String lasting = keys.jwks(at(), a, b);
                if (lasting != null) {
                    violations.add(at() + " " + lasting);
                }
            }
        } catch (IOException | InterruptedException down) {
            // A node in its restart: the next sample compares.
        }
    }

    private String jwks(Node n) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(n.url() + "/oauth/jwks")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 200 ? r.body() : null;
    }

    private String report() {
        StringBuilder b = new StringBuilder();
        b.append("Soak: ").append(options.minutes()).append(" min, ").append(options.workers()).append(" workers, two nodes on one PostgreSQL, ")
                .append("database stopped at minute ").append(options.outageAt()).append(" for ").append(options.outageSeconds()).append(" s")
                .append(options.rollingRestartAt() >= 0 ? ", rolling restart at minute " + options.rollingRestartAt() : "")
                .append(options.rotation() != null ? ", signing keys rotating every " + options.rotation().toSeconds() + " s" : "").append(".\n");
        b.append(loadAverage()).append("\n\nEvents:\n\n");
        synchronized (events) {
            events.forEach(e -> b.append("- ").append(e).append('\n'));
        }
        b.append("\nAnswers by operation and status:\n\n| operation status | count |\n|---|---|\n");
        new TreeMap<>(answers).forEach((k, v) -> b.append("| ").append(k).append(" | ").append(v.sum()).append(" |\n"));
        b.append("\nRotations: ").append(rotations.get()).append("; lost rotations: ").append(lostRotations.get()).append('\n');
        b.append("\n").append(keys.report());
        b.append("\nViolations (5xx other than 503 temporarily_unavailable in the outage, transport errors outside it, lost rotations, ")
                .append("fresh tokens refused by the other node, a period with more or fewer than one new key, JWKS that stay apart): ")
                .append(violations.size()).append('\n');
        violations.stream().limit(20).forEach(v -> b.append("  - ").append(v).append('\n'));
        b.append("\nEach node process after a full GC, from one minute after its start (old generation used | open fds | threads), with the machine's 1-minute load average:\n\n")
                .append("| time | node, process | retained | fds | threads | load |\n|---|---|---|---|---|---|\n");
        synchronized (samples) {
            samples.forEach(s -> b.append(s).append('\n'));
        }
        b.append("\nHeap within each process lifetime (first minute after its start -> its end):\n\n");
        lifetimes.forEach(h -> b.append(h.report()));
        b.append("(node logs and class histograms: ").append(work).append(")\n");
        nodes.forEach(n -> b.append(n.name).append(": ").append(resources.get(n.name + " first")).append(" -> ")
                .append(resources.get(n.name + " last")).append('\n'));
        return b.toString();
    }

    /** The machine's load average (1, 5, 15 min) when the report is written: other work on the machine shows here. */
    private static String loadAverage() {
        String[] f = loadAverages();
        return "Load average at the end: " + f[0] + " " + f[1] + " " + f[2] + " (" + Runtime.getRuntime().availableProcessors() + " cores).";
    }

    private static String[] loadAverages() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ");
        } catch (IOException e) {
            return new String[] {"?", "?", "?"};
        }
    }

    private void event(String what) {
        synchronized (events) {
            events.add(at() + " " + what);
        }
        System.out.println(at() + " " + what);
    }

    private long elapsed() {
        return System.nanoTime() - start;
    }

    private String at() {
        long s = TimeUnit.NANOSECONDS.toSeconds(elapsed());
        return String.format("%02d:%02d", s / 60, s % 60);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
