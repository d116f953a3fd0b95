package dev.oauthlet.benchmarks;

import dev.oauthlet.benchmarks.Load.Round;
import dev.oauthlet.benchmarks.Load.Server;
import dev.oauthlet.benchmarks.Load.TokenCall;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code benchmarks/run.sh} runs once everything is built: Oauthlet and the reference Spring
 * Authorization Server ({@code benchmarks/spring-as}) side by side over loopback HTTP, driven by wrk
 * with the same load, the two sides' rounds interleaved so drift on a shared machine touches both.
 * Prints the table and rewrites {@code docs/benchmarks.md} and {@code docs/benchmarks.png}.
 * Usage: {@code java -cp benchmarks.jar dev.oauthlet.benchmarks.SideBySide REPO_ROOT quick|full [PART,...]}.
 */
public final class SideBySide {

    static final TokenCall EXAMPLE_CC = new TokenCall("/oauth/token", "backoffice-app", "E8CXQyO8QsxKKUjQReJAmCm7QiGhAMoyzdP3RwvD580", "grant_type=client_credentials");
    static final TokenCall EXAMPLE_PASSWORD = new TokenCall("/oauth/token", "shop-app", "shop-secret",
            "grant_type=password&username=alice&password=alice-password");
    static final TokenCall BENCH_CC = new TokenCall("/oauth/token", Fixtures.CLIENT, Fixtures.SECRET, "grant_type=client_credentials");
    static final TokenCall SPRING_CC = new TokenCall("/oauth2/token", "bench-client", "bench-secret",
            "grant_type=client_credentials&scope=orders%3Aread%20orders%3Awrite");
    static final TokenCall SPRING_STOCK = new TokenCall("/oauth2/token", "stock-client", "bench-secret", SPRING_CC.body());

    static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    final Path root;
    final boolean quick;
    final int seconds;
    final int rounds;
    /** Each arm is warmed up with at least this many requests, unless that takes longer than {@link #warmMaxSeconds}. */
    final int warmRequests;
    /** ... and until its CPU per request stops falling (see {@link #warmUp}), or this long has passed. */
    final int warmMaxSeconds;
    /** Warm-up rounds are shorter than measured ones: the steady test needs three of them at least. */
    final int warmRoundSeconds;
    final int threads = 2;
    final int connections = 16;
    final Path work;
    final List<String> exampleFlags;
    final Results results = new Results();

    SideBySide(Path root, boolean quick) throws IOException {
        this.root = root;
        this.quick = quick;
        this.seconds = quick ? 3 : 5;
        this.rounds = quick ? 2 : 3;
        this.warmRequests = quick ? 500 : 3000;
        this.warmMaxSeconds = quick ? 15 : 120;
        this.warmRoundSeconds = quick ? 2 : 3;
        this.work = Files.createDirectories(root.resolve("benchmarks/target/side-by-side"));
        this.exampleFlags = readmeFlags();
        results.mode = quick ? "quick" : "full";
        results.roundSeconds = seconds;
        results.rounds = rounds;
        results.warmRequests = warmRequests;
        results.warmMaxSeconds = warmMaxSeconds;
        results.warmRoundSeconds = warmRoundSeconds;
        results.exampleCommand = "java " + String.join(" ", exampleFlags) + (exampleFlags.isEmpty() ? "" : " ")
                + "-jar jetty-example/target/jetty-example.jar";
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]).toAbsolutePath();
        boolean quick = args.length > 1 && args[1].equals("quick");
        // Whatever ends this run (run.sh's time limit included), the servers it started end with it.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> ProcessHandle.current().descendants().forEach(ProcessHandle::destroy)));
        SideBySide run = new SideBySide(root, quick);
        List<String> only = args.length > 2 ? List.of(args[2].split(",")) : List.of();
        long start = System.nanoTime();
        run.all(only);
        if (!only.isEmpty()) {
            if (!run.results.failures.isEmpty()) {
                System.exit(1);
            }
            return;
        }
        run.results.totalSeconds = (System.nanoTime() - start) / 1e9;
        Report report = new Report(run.results);
        System.out.println(report.table());
        System.out.println(report.targets());
        if (quick) {
            Path out = run.work.resolve("benchmarks-quick.md");
            report.write(out, run.work.resolve("benchmarks-quick.png"), "benchmarks-quick.png", root);
            System.out.println("quick mode: wrote " + out + " (docs/ is rewritten only by a full run)");
        } else {
            report.write(root.resolve("docs/benchmarks.md"), root.resolve("docs/benchmarks.png"), "benchmarks.png", root);
            System.out.println("wrote docs/benchmarks.md and docs/benchmarks.png");
        }
        if (!run.results.failures.isEmpty()) {
            System.out.println(run.results.failures.size() + " part(s) failed: " + run.results.failures);
            System.exit(1);
        }
    }

    /** Every part, or (for development) only those named, e.g. {@code grants,resources}: then nothing is written. */
    void all(List<String> only) throws Exception {
        results.loadBefore = Load.load1();
        floors();
        Map<String, Part> parts = new LinkedHashMap<>();
        parts.put("startups", this::startups);
        parts.put("tokens", this::clientCredentials);
        parts.put("grants", this::otherGrants);
        parts.put("resources", this::resources);
        parts.put("dpop", this::dpop);
        parts.put("resource-indicators", this::resourceIndicators);
        parts.put("registration", this::registration);
        parts.put("authorize", this::authorize);
        parts.put("health", this::health);
        parts.put("tomcat", this::tomcat);
        parts.put("soak", this::soak);
        try {
            for (Map.Entry<String, Part> p : parts.entrySet()) {
                if (only.isEmpty() || only.contains(p.getKey())) {
                    // One part's failure (a server refusing a request, say) ends that part only: the rest of
                    // the run still measures, and the report names what failed instead of losing every figure.
                    try {
                        p.getValue().run();
                    } catch (Exception e) {
                        String what = p.getKey() + ": " + e;
                        System.out.println("FAILED " + what);
                        e.printStackTrace(System.out);
                        results.failures.add(what);
                    }
                }
            }
        } finally {
            stopShared();
        }
        floors();
        results.loadAfter = Load.load1();
    }

    interface Part {
        void run() throws Exception;
    }

    /** The bare JDK signatures, at the start and again at the end of the run. */
    void floors() throws Exception {
        double s = quick ? 1 : 2;
        for (String op : List.of("RS256-sign", "RS256-verify", "ES256-sign", "EdDSA-sign")) {
            results.bare.computeIfAbsent(op, k -> new ArrayList<>()).add(Bare.micros(op, s));
        }
        results.bare.computeIfAbsent(ALL_CORES_SIGN, k -> new ArrayList<>()).add(Bare.micros("RS256-sign", s, CORES));
    }

    static final int CORES = Runtime.getRuntime().availableProcessors();
    /** The bare RS256 signature with every core signing at once (see {@link Bare#micros(String, double, int)}). */
    static final String ALL_CORES_SIGN = "RS256-sign, " + CORES + " threads at once";

    /** The bare RS256 signature right after a round of the primary scenario: one thread alone, then every core at once. */
    double[] floorBeside() throws Exception {
        return new double[] {Bare.micros("RS256-sign", 2), Bare.micros("RS256-sign", 2, CORES)};
    }

    // ---------------------------------------------------------------- servers

    /** The README's run command, as its JVM flags: the example is measured as users start it. */
    List<String> readmeFlags() throws IOException {
        Matcher m = Pattern.compile("java((?:\\s+-\\S+)*?)\\s+-jar\\s+jetty-example/target/jetty-example\\.jar")
                .matcher(Files.readString(root.resolve("README.md")));
        if (!m.find()) {
            throw new IllegalStateException("README.md has no 'java ... -jar jetty-example/target/jetty-example.jar' command");
        }
        return Arrays.stream(m.group(1).trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
    }

    List<String> java(String javaBin, List<String> flags, String... rest) {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaBin);
        for (String f : flags) {
            cmd.add(f.replace("jetty-example/target/", root.resolve("jetty-example/target").toString() + "/"));
        }
        cmd.addAll(List.of(rest));
        return cmd;
    }

    Path freshDir(String name) throws IOException {
        return Files.createTempDirectory(work, name + "-");
    }

    Server example(String name, String javaBin, Path config) throws Exception {
        int port = freePort();
        List<String> cmd = java(javaBin, exampleFlags, "-jar", root.resolve("jetty-example/target/jetty-example.jar").toString(),
                "--port", String.valueOf(port));
        if (config != null) {
            cmd.addAll(List.of("--config", config.toString()));
        }
        return new Server(name, cmd, freshDir(name), port);
    }

    /** The README's flags less its class-data-sharing archive, which is the example jar's and no other's. */
    List<String> benchFlags() {
        return exampleFlags.stream().filter(f -> !f.startsWith("-XX:SharedArchiveFile=")).toList();
    }

    Server resourceApp() throws Exception {
        int port = freePort();
        return new Server("Oauthlet resource app", java(JAVA, benchFlags(), "-cp",
                root.resolve("benchmarks/target/benchmarks.jar").toString(), ResourceApp.class.getName(), String.valueOf(port)),
                freshDir("resource"), port);
    }

    Server tomcatApp() throws Exception {
        int port = freePort();
        return new Server("Oauthlet in Tomcat", java(JAVA, benchFlags(), "-cp",
                root.resolve("benchmarks/target/benchmarks.jar").toString(), TomcatApp.class.getName(), String.valueOf(port)),
                freshDir("tomcat"), port);
    }

    Server spring() throws Exception {
        int port = freePort();
        return new Server("Spring AS", List.of(JAVA, "-jar", root.resolve("benchmarks/spring-as/target/spring-as.jar").toString(),
                "--server.port=" + port), freshDir("spring"), port);
    }

    /** The demo configuration with {@code replace} applied, written next to the run. */
    Path demoConfig(String name, Map<String, String> replace) throws IOException {
        String yaml = Files.readString(root.resolve("jetty-example/src/main/resources/oauthlet-demo.yml"));
        for (Map.Entry<String, String> e : replace.entrySet()) {
            if (!yaml.contains(e.getKey())) {
                throw new IllegalStateException("the demo configuration no longer has '" + e.getKey() + "'");
            }
            yaml = yaml.replace(e.getKey(), e.getValue());
        }
        return Files.writeString(work.resolve(name + ".yml"), yaml);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    // ---------------------------------------------------------------- scenarios

    /** One side of a scenario: a server and what wrk sends it, or what this JVM sends it when wrk cannot ({@code driver}). */
    record Arm(String label, Server server, Path lua, String path, int threads, int connections, Load.Exchange driver) {
        Arm(String label, Server server, Path lua, String path, int threads, int connections) {
            this(label, server, lua, path, threads, connections, null);
        }

        Arm(String label, Server server, Path lua, String path) {
            this(label, server, lua, path, 2, 16);
        }

        /** An arm whose requests this JVM sends, from {@code connections} threads. */
        static Arm driven(String label, Server server, int connections, Load.Exchange driver) {
            return new Arm(label, server, null, null, 0, connections, driver);
        }

        Round round(int seconds) throws Exception {
            return driver == null ? Load.wrk(server, lua, path, seconds, threads, connections)
                    : Load.driven(server, connections, seconds, driver);
        }
    }

    /** Warm-up, then rounds in which the arms take turns, the order reversed every other round. */
    void interleave(String scenario, List<Arm> arms) throws Exception {
        interleave(scenario, arms, false);
    }

    /**
     * As {@link #interleave(String, List)}, and, when {@code floorBeside}, after each round of the
     * first arm the bare RS256 signature measured at once in this JVM ({@link #floorBeside}): the
     * machine's speed drifts by a fifth and more within minutes, so a floor measured at the start and
     * the end of the run is not the floor of a round measured ten minutes from either. The figures go
     * to {@link Results#floorPairs}.
     */
    void interleave(String scenario, List<Arm> arms, boolean floorBeside) throws Exception {
        System.out.printf("%s: %s%n", scenario, arms.stream().map(Arm::label).toList());
        for (Arm a : arms) {
            warmUp(a.label(), a::round);
        }
        Map<Arm, List<Round>> got = new LinkedHashMap<>();
        for (int i = 0; i < rounds; i++) {
            List<Arm> order = new ArrayList<>(arms);
            if (i % 2 == 1) {
                java.util.Collections.reverse(order);
            }
            for (Arm a : order) {
                Round r = a.round(seconds);
                got.computeIfAbsent(a, k -> new ArrayList<>()).add(r);
                print(a.label(), r);
                if (floorBeside && a == arms.get(0)) {
                    double[] floor = floorBeside();
                    results.floorPairs.add(new double[] {r.cpuUsPerRequest(), floor[0], floor[1]});
                    System.out.printf("  bare RS256 signature right after it: %,.0f µs alone (ratio %.2f), %,.0f µs with %d at once (ratio %.2f)%n",
                            floor[0], r.cpuUsPerRequest() / floor[0], floor[1], CORES, r.cpuUsPerRequest() / floor[1]);
                }
            }
        }
        for (Arm a : arms) {
            results.rows.add(new Results.Row(scenario, a.label(), got.get(a)));
        }
    }

    /** A round of load of so many seconds, as a warm-up or a measured round sends it. */
    interface RoundSource {
        Round next(int seconds) throws Exception;
    }

    /**
     * Warm-up rounds until the arm is at its steady state: at least {@link #warmRequests} requests (or
     * {@link #WARM_ENOUGH} of rounds, for an arm that sends few), and its CPU per request no longer
     * falling ({@link #steady}); or {@link #warmMaxSeconds}, whichever comes first. A count of requests
     * alone is not enough: on this 2-core machine the request threads and wrk leave the JIT's one C2
     * thread a small share of the CPU, and its queue takes well over half a minute of load to drain.
     */
    void warmUp(String label, RoundSource source) throws Exception {
        long done = 0;
        long start = System.nanoTime();
        long until = start + java.util.concurrent.TimeUnit.SECONDS.toNanos(warmMaxSeconds);
        List<Double> cpu = new ArrayList<>();
        boolean steady = false;
        do {
            Round r = source.next(warmRoundSeconds);
            done += r.requests();
            cpu.add(r.cpuUsPerRequest());
            // A slow arm (bcrypt on every request) reaches its steady state long before it has sent warmRequests.
            steady = steady(cpu) && (done >= warmRequests || System.nanoTime() - start > WARM_ENOUGH);
        } while (!steady && System.nanoTime() < until);
        System.out.printf("  %s warmed up: %d rounds, %,d requests, CPU per request %s%s%n", label, cpu.size(), done,
                cpu.stream().map(c -> String.format("%,.0f", c)).toList(), steady ? "" : " (not steady when the time ran out)");
    }

    /** Long enough for an arm that sends few requests: its JIT has compiled what little it runs. */
    static final long WARM_ENOUGH = java.util.concurrent.TimeUnit.SECONDS.toNanos(20);

    /**
     * The median of the last {@link #STEADY_WINDOW} rounds is no more than 3 % below the median of the
     * {@code STEADY_WINDOW} before them. Medians, so that one round pushed up by noise neither ends a
     * warm-up that is still falling nor prolongs one that is not. A rule that only asked whether the
     * last two rounds made a new low ended the example's warm-up after 15 s on 2026-12-04 (rounds of
     * 2,277, 1,741, 1,449, 1,450 and 1,681 µs), while the JIT was still compiling: the three measured
     * rounds then fell from 1,562 to 1,418 µs, and the server alone under the same load kept falling
     * for some 45 s, to about 1,090 µs (benchmarks/notes.md).
     */
    static boolean steady(List<Double> cpu) {
        int n = cpu.size();
        if (n < 2 * STEADY_WINDOW) {
            return false;
        }
        return median(cpu.subList(n - STEADY_WINDOW, n)) >= 0.97 * median(cpu.subList(n - 2 * STEADY_WINDOW, n - STEADY_WINDOW));
    }

    /** Rounds in each of the two windows {@link #steady} compares. */
    static final int STEADY_WINDOW = 3;

    private static double median(List<Double> values) {
        return Results.median(values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /**
     * Five starts of each, taking turns: an RSA key's search for primes, part of a first start,
     * takes 0.4 s to 0.8 s on a fresh JVM here by chance alone, so two starts gave a median that moved by that much.
     */
    void startups() throws Exception {
        int runs = quick ? 1 : 5;
        for (int i = 0; i < runs; i++) {
            try (Server o = example("startup-oauthlet", JAVA, null)) {
                startup("Oauthlet", o, EXAMPLE_CC);
            }
            try (Server s = spring()) {
                startup("Spring AS", s, SPRING_CC);
            }
        }
        results.startups.forEach(System.out::println);
    }

    void startup(String name, Server server, TokenCall call) throws Exception {
        long ms = server.awaitFirstToken(call);
        long cpu = server.cpuTicks() * 1000 / Load.TICKS_PER_SECOND;
        Thread.sleep(1000);
        results.startups.add(new Results.Startup(name, ms, cpu, server.rssMiB(), Load.load1()));
    }

    /** The servers several parts use, started together once: the example as the README starts it, the reference, the resource app. */
    private Server oauthlet;
    private Server reference;
    private Server resourceServer;

    void startShared() throws Exception {
        if (oauthlet == null) {
            oauthlet = example("oauthlet", JAVA, null);
            reference = spring();
            resourceServer = resourceApp();
            oauthlet.awaitFirstToken(EXAMPLE_CC);
            reference.awaitFirstToken(SPRING_CC);
            resourceServer.awaitFirstToken(BENCH_CC);
        }
    }

    void stopShared() throws Exception {
        for (Server s : new Server[] {oauthlet, reference, resourceServer}) {
            if (s != null) {
                s.close();
            }
        }
    }

    void clientCredentials() throws Exception {
        startShared();
        interleave("client_credentials RS256", List.of(
                new Arm("Oauthlet", oauthlet, Load.tokenScript(work, "o-cc", EXAMPLE_CC), EXAMPLE_CC.path()),
                new Arm("Spring AS, noop secret check", reference, Load.tokenScript(work, "s-cc", SPRING_CC), SPRING_CC.path())),
                true);
        // The stock encoder runs bcrypt on every request: 4 connections keep both cores busy without
        // queueing requests past wrk's timeout; both arms get the same.
        interleave("client_credentials, default vs stock configuration", List.of(
                new Arm("Oauthlet, default", oauthlet, Load.tokenScript(work, "o-cc", EXAMPLE_CC), EXAMPLE_CC.path(), 1, 4),
                new Arm("Spring AS, stock encoder", reference, Load.tokenScript(work, "s-stock", SPRING_STOCK), SPRING_STOCK.path(), 1, 4)));
        for (String alg : List.of("ES256", "EdDSA")) {
            Path config = demoConfig("demo-" + alg, Map.of("algorithm: RS256", "algorithm: " + alg));
            try (Server o = example("oauthlet-" + alg, JAVA, config)) {
                o.awaitFirstToken(EXAMPLE_CC);
                interleave("client_credentials " + alg, List.of(new Arm("Oauthlet", o, Load.tokenScript(work, "o-cc", EXAMPLE_CC),
                        EXAMPLE_CC.path())));
            }
        }
        Path java25 = jdk25();
        if (java25 != null) {
            try (Server o = example("oauthlet-jdk25", java25.toString(), null)) {
                o.awaitFirstToken(EXAMPLE_CC);
                results.jdk25 = java25.toString();
                interleave("client_credentials RS256, JDK 25", List.of(new Arm("Oauthlet", o,
                        Load.tokenScript(work, "o-cc", EXAMPLE_CC), EXAMPLE_CC.path())));
            }
        }
    }

    void otherGrants() throws Exception {
        startShared();
        // Every password grant runs PBKDF2 on the user's password, and the server lets a check wait at most 1 s
        // for another to finish before it answers 503: so this arm sends one request at a time.
        interleave("password (PBKDF2 per request)", List.of(new Arm("Oauthlet", oauthlet, Load.tokenScript(work, "o-password",
                EXAMPLE_PASSWORD), EXAMPLE_PASSWORD.path(), 1, 1)));
        refresh("refresh_token, rotation, H2", oauthlet);
        userinfo();
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
            Path config = demoConfig("demo-postgres", Map.of(
                    "url: jdbc:h2:file:./data/oauthlet", "url: jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/postgres",
                    "username: sa", "username: postgres"));
            try (Server o = example("oauthlet-postgres", JAVA, config)) {
                o.awaitFirstToken(EXAMPLE_CC);
                refresh("refresh_token, rotation, PostgreSQL", o);
            }
        }
    }

    /**
     * The OpenID Connect userinfo endpoint with one repeated token: the Bearer filter's check plus
     * one read of the user from the store, per request. Oauthlet only: the reference server here
     * runs no OpenID Connect.
     */
    void userinfo() throws Exception {
        Path config = demoConfig("demo-openid", Map.of(
                "    scopes: [catalog:read, cart:write]\nusers:", "    scopes: [openid, email, catalog:read, cart:write]\nusers:",
                "    tenants: [{type: merchant, id: someMerchant}]",
                "    tenants: [{type: merchant, id: someMerchant}]\n    userinfo: {name: Alice, email: alice@example.com}"));
        try (Server o = example("oauthlet-openid", JAVA, config)) {
            o.awaitFirstToken(EXAMPLE_CC);
            String token = Load.field(o.token(new TokenCall(EXAMPLE_PASSWORD.path(), "shop-app", "shop-secret",
                    EXAMPLE_PASSWORD.body() + "&scope=openid%20email")), "access_token");
            interleave("userinfo, repeated token, H2", List.of(new Arm("Oauthlet", o, Load.bearerScript(work, "o-userinfo", token),
                    "/oauth/userinfo")));
        }
    }

    /** Refresh-token families, one per connection, each rotated by its own client thread (see {@link Load#refreshChains}). */
    void refresh(String scenario, Server o) throws Exception {
        // Each family starts with a password grant (PBKDF2): one at a time, as the server's cap on those wants.
        List<String[]> chains = new ArrayList<>();
        for (String t : parallel(connections, 1, () -> Load.field(o.token(EXAMPLE_PASSWORD), "refresh_token"))) {
            chains.add(new String[] {t});
        }
        TokenCall client = new TokenCall("/oauth/token", "shop-app", "shop-secret", "");
        System.out.printf("%s: [Oauthlet], %d families, requests sent by this JVM%n", scenario, chains.size());
        warmUp("Oauthlet", t -> Load.refreshChains(o, client, chains, t));
        List<Round> got = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            Round r = Load.refreshChains(o, client, chains, seconds);
            got.add(r);
            print("Oauthlet", r);
        }
        results.rows.add(new Results.Row(scenario, "Oauthlet", got));
    }

    /**
     * Dynamic client registration (RFC 7591) on its own example: each operation registers a
     * client_credentials client with the initial access token and gets one token with the new
     * client's secret, so it measures the registration, the store write and the first use of a
     * generated secret (its fast hash). Spring AS's reference app serves no registration: Oauthlet only.
     */
    void registration() throws Exception {
        String initial = "bench-initial-access-token-0123456789abcdef";
        Path config = demoConfig("demo-registration", Map.of("audiences: [back-office, storefront]",
                "audiences: [back-office, storefront]\nregistration:\n  initial-access-token: " + initial
                        + "\n  policy: {grants: [client_credentials], audiences: [back-office]}"));
        try (Server o = example("oauthlet-registration", JAVA, config)) {
            o.awaitFirstToken(EXAMPLE_CC);
            java.net.http.HttpRequest register = java.net.http.HttpRequest.newBuilder(java.net.URI.create(o.url("/oauth/register")))
                    .timeout(java.time.Duration.ofSeconds(30)).header("Authorization", "Bearer " + initial)
                    .header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"grant_types\": [\"client_credentials\"]}")).build();
            Load.Operation op = thread -> {
                java.net.http.HttpResponse<String> r = Load.HTTP.send(register, java.net.http.HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 201) {
                    throw new IllegalStateException("registration answered " + r.statusCode() + " " + r.body());
                }
                o.token(new TokenCall("/oauth/token", Load.field(r.body(), "client_id"), Load.field(r.body(), "client_secret"),
                        "grant_type=client_credentials"));
            };
            String scenario = "registration, then a token with the new client";
            System.out.printf("%s: [Oauthlet], %d threads, requests sent by this JVM%n", scenario, 4);
            Load.repeat(o, 4, seconds, op);
            List<Round> got = new ArrayList<>();
            for (int i = 0; i < rounds; i++) {
                Round r = Load.repeat(o, 4, seconds, op);
                got.add(r);
                print("Oauthlet", r);
            }
            results.rows.add(new Results.Row(scenario, "Oauthlet", got));
        }
    }

    /**
     * The authorization endpoint for a user who is still signed in: each operation is a
     * {@code prompt=none} request with {@code acr_values} (302 with a code) and that code's
     * exchange (an ID token among the tokens), on its own example with the demo configuration plus
     * {@code openid} for {@code partner-app}; see {@link SignedInBrowser}. Spring AS's reference app
     * has no user login: Oauthlet only.
     */
    void authorize() throws Exception {
        Path config = demoConfig("demo-authorize", SignedInBrowser.DEMO_CHANGE);
        try (Server o = example("oauthlet-authorize", JAVA, config)) {
            o.awaitFirstToken(EXAMPLE_CC);
            SignedInBrowser browser = SignedInBrowser.signIn(o);
            String scenario = "authorization code, signed in (prompt=none, acr_values), then the exchange";
            System.out.printf("%s: [Oauthlet], %d threads, requests sent by this JVM, figures per pair%n", scenario, 4);
            warmUp("Oauthlet", t -> Load.repeat(o, 4, t, thread -> browser.codeAndExchange()));
            List<Round> got = new ArrayList<>();
            for (int i = 0; i < rounds; i++) {
                Round r = Load.repeat(o, 4, seconds, thread -> browser.codeAndExchange());
                got.add(r);
                print("Oauthlet", r);
            }
            results.rows.add(new Results.Row(scenario, "Oauthlet", got));
        }
    }

    /**
     * {@code GET /health} on the example as the README starts it, as a load balancer polls it; the
     * answer is reused for a second ({@code Oauthlet.health()}), so this measures the endpoint, not
     * a store read per request. Spring AS's reference app has no actuator: Oauthlet only. Besides
     * the table's row it prints what one poll a second costs the server, from the CPU per request.
     */
    void health() throws Exception {
        try (Server o = example("oauthlet-health", JAVA, null)) {
            o.awaitFirstToken(EXAMPLE_CC);
            interleave("GET /health", List.of(new Arm("Oauthlet", o, null, "/health")));
        }
        double cpuUs = results.row("GET /health", "Oauthlet").median(Round::cpuUsPerRequest);
        System.out.printf("  polled once a second: %.0f µs of server CPU a second, %.4f %% of one core%n", cpuUs, cpuUs / 1e4);
    }

    static void print(String label, Round r) {
        System.out.printf("  %-28s %8.0f req/s  p50 %6.2f ms  p99 %7.2f ms  CPU %7.0f µs/req  RSS %4.0f MiB  load %.2f%n",
                label, r.rps(), r.p50ms(), r.p99ms(), r.cpuUsPerRequest(), r.rssMiB(), r.load1());
    }

    void resources() throws Exception {
        startShared();
        Server o = resourceServer;
        Server s = reference;
        String ot = Load.field(o.token(BENCH_CC), "access_token");
        String st = Load.field(s.token(SPRING_CC), "access_token");
        // Oauthlet's unprotected arm gets the very same request, Authorization header included, so the two differ by the filter
        // only: what a resource pays for receiving an 800-byte header it pays with or without Oauthlet. Spring's keeps no header:
        // its filter chain would verify a Bearer token even on a permitAll path.
        Path oBearer = Load.bearerScript(work, "o-bearer", ot);
        Path sBearer = Load.bearerScript(work, "s-bearer", st);
        interleave("resource, repeated token", List.of(
                new Arm("Oauthlet, unprotected", o, oBearer, "/open"),
                new Arm("Oauthlet, protected", o, oBearer, "/protected"),
                new Arm("Spring AS, unprotected", s, null, "/open"),
                new Arm("Spring AS, protected", s, sBearer, "/protected")));
        int n = quick ? 200 : 400;
        List<String> otokens = parallel(n, () -> Load.field(o.token(BENCH_CC), "access_token"));
        List<String> stokens = parallel(n, () -> Load.field(s.token(SPRING_CC), "access_token"));
        Path oFresh = Load.cyclingBearerScript(work, "o-fresh", otokens);
        Path sFresh = Load.cyclingBearerScript(work, "s-fresh", stokens);
        interleave("resource, always-new tokens (" + n + " cycled)", List.of(
                new Arm("Oauthlet, unprotected", o, oFresh, "/open"),
                new Arm("Oauthlet, new tokens", o, oFresh, "/fresh"),
                new Arm("Spring AS, unprotected", s, null, "/open"),
                new Arm("Spring AS, new tokens", s, sFresh, "/protected")));
    }

    /** The RFC 8707 resource the DPoP and resource-indicator scenarios' client may ask for. */
    static final String ORDERS_API = "https://api.bench.test/orders";
    static final TokenCall EXAMPLE_CC_RESOURCE = new TokenCall(EXAMPLE_CC.path(), EXAMPLE_CC.clientId(), EXAMPLE_CC.secret(),
            EXAMPLE_CC.body() + "&resource=" + java.net.URLEncoder.encode(ORDERS_API, java.nio.charset.StandardCharsets.UTF_8));
    /** How many DPoP clients (each with its own key, on its own thread) the Java-driven scenarios run. */
    static final int DPOP_CLIENTS = 8;

    /**
     * The example as the README starts it, with the demo configuration plus: {@code backoffice-app}
     * may ask for {@link #ORDERS_API} (RFC 8707) and send DPoP proofs, and {@code /api/dpop/*} takes
     * DPoP-bound tokens only — beside the demo's two resources, as they are.
     */
    Server proofsExample() throws Exception {
        Path config = demoConfig("demo-dpop-resources", Map.of(
                "audiences: [back-office, storefront]", "audiences: [back-office, storefront, " + ORDERS_API + "]",
                "    audience: back-office\n    scopes: [orders:read, orders:write]\n  - id: storefront-app",
                "    audience: back-office\n    audiences: [" + ORDERS_API + "]\n    scopes: [orders:read, orders:write]\n    dpop: allowed\n"
                        + "  - id: storefront-app"));
        Files.writeString(config, Files.readString(config) + """
                example:
                  resources:
                    - {path: /api/back-office/*, audience: back-office, filter: {revocation-check: "true"}}
                    - {path: /api/storefront/*, audience: storefront, filter: {revocation-check: "true"}}
                    - {path: /api/dpop/*, audience: back-office, dpop: required, filter: {revocation-check: "true"}}
                """);
        Server o = example("oauthlet-dpop", JAVA, config);
        o.awaitFirstToken(EXAMPLE_CC);
        return o;
    }

    /**
     * How many keys each DPoP driver thread takes turns with. Spring Security's DPoP proof replay cache
     * accepts at most 1,000 proofs per key while they are remembered (a proof's {@code iat} plus 30 s,
     * swept every 10 s) and refuses every further one with {@code invalid_dpop_proof}: a cap against one
     * key flooding its cache. Eight keys cannot carry a few thousand requests a second under it, so each
     * thread signs with the next of its keys in turn, as that many clients would; each key then sends
     * well under 1,000 proofs in 40 s at up to {@code 1000 / 40 × DPOP_CLIENTS × DPOP_KEYS_PER_THREAD}
     * (6,400) requests a second.
     */
    static final int DPOP_KEYS_PER_THREAD = 32;

    /** Token requests from {@link #DPOP_CLIENTS} threads, each with a fresh proof of the next of its keys when {@code dpop}. */
    static Load.Exchange tokens(Server server, TokenCall call, boolean dpop) {
        if (!dpop) {
            return thread -> server.tokenRequest(call, null);
        }
        KeyTurns keys = new KeyTurns();
        List<DpopClient> clients = dpopClients();
        return thread -> server.tokenRequest(call, clients.get(keys.next(thread)).proof("POST", server.url(call.path()), null));
    }

    /**
     * Calls of {@code path}: with a Bearer token, the same every time (so the filter's verified-token
     * cache serves it), or with a DPoP-bound token per key and a fresh proof per request.
     */
    static Load.Exchange calls(Server server, TokenCall call, String path, boolean dpop) throws Exception {
        String url = server.url(path);
        if (!dpop) {
            String token = Load.field(server.token(call), "access_token");
            return thread -> HttpRequest.newBuilder(java.net.URI.create(url)).timeout(java.time.Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + token).GET().build();
        }
        List<DpopClient> clients = dpopClients();
        List<String> tokens = new ArrayList<>();
        for (DpopClient c : clients) {
            var r = Load.HTTP.send(server.tokenRequest(call, c.proof("POST", server.url(call.path()), null)),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200 || !r.body().contains("\"DPoP\"")) {
                throw new IllegalStateException(server.name + " gave no DPoP-bound token: " + r.statusCode() + " " + r.body());
            }
            tokens.add(Load.field(r.body(), "access_token"));
        }
        KeyTurns keys = new KeyTurns();
        return thread -> {
            int k = keys.next(thread);
            return HttpRequest.newBuilder(java.net.URI.create(url)).timeout(java.time.Duration.ofSeconds(30))
                    .header("Authorization", "DPoP " + tokens.get(k))
                    .header("DPoP", clients.get(k).proof("GET", url, tokens.get(k))).GET().build();
        };
    }

    /** {@link #DPOP_KEYS_PER_THREAD} keys for each of the {@link #DPOP_CLIENTS} threads; thread t owns a block of its own. */
    static List<DpopClient> dpopClients() {
        List<DpopClient> clients = new ArrayList<>();
        for (int i = 0; i < DPOP_CLIENTS * DPOP_KEYS_PER_THREAD; i++) {
            clients.add(new DpopClient());
        }
        return clients;
    }

    /** Which key each driver thread signs its next proof with: its own block of keys, in turn. One counter per thread, touched by that thread only. */
    static final class KeyTurns {
        private final int[] turn = new int[DPOP_CLIENTS];

        int next(int thread) {
            return thread * DPOP_KEYS_PER_THREAD + (turn[thread]++ % DPOP_KEYS_PER_THREAD);
        }
    }

    /**
     * DPoP (RFC 9449) on both servers, sent by this JVM since wrk cannot sign a proof per request:
     * client_credentials with and without a proof, and a resource called with a repeated Bearer token
     * and with a DPoP-bound token and a fresh proof per request. The Bearer arms go through the same
     * driver, so the difference between arms is the proof.
     */
    void dpop() throws Exception {
        startShared();
        try (Server o = proofsExample()) {
            interleave("client_credentials, DPoP proof per request (Java driver)", List.of(
                    Arm.driven("Oauthlet, Bearer", o, DPOP_CLIENTS, tokens(o, EXAMPLE_CC, false)),
                    Arm.driven("Oauthlet, DPoP", o, DPOP_CLIENTS, tokens(o, EXAMPLE_CC, true)),
                    Arm.driven("Spring AS, Bearer", reference, DPOP_CLIENTS, tokens(reference, SPRING_CC, false)),
                    Arm.driven("Spring AS, DPoP", reference, DPOP_CLIENTS, tokens(reference, SPRING_CC, true))));
            interleave("resource, DPoP-bound token and a fresh proof per request (Java driver)", List.of(
                    Arm.driven("Oauthlet, Bearer, repeated token", o, DPOP_CLIENTS, calls(o, EXAMPLE_CC, "/api/back-office/me", false)),
                    Arm.driven("Oauthlet, DPoP", o, DPOP_CLIENTS, calls(o, EXAMPLE_CC, "/api/dpop/me", true)),
                    Arm.driven("Spring AS, Bearer, repeated token", reference, DPOP_CLIENTS, calls(reference, SPRING_CC, "/protected", false)),
                    Arm.driven("Spring AS, DPoP", reference, DPOP_CLIENTS, calls(reference, SPRING_CC, "/protected", true))));
        }
    }

    /**
     * RFC 8707: client_credentials naming a resource against the same request without one, on one
     * server. Oauthlet alone: Spring Authorization Server does not implement resource indicators.
     */
    void resourceIndicators() throws Exception {
        try (Server o = proofsExample()) {
            interleave("client_credentials, resource indicator (RFC 8707)", List.of(
                    new Arm("Oauthlet, no resource", o, Load.tokenScript(work, "o-cc", EXAMPLE_CC), EXAMPLE_CC.path()),
                    new Arm("Oauthlet, resource=" + ORDERS_API, o, Load.tokenScript(work, "o-cc-resource", EXAMPLE_CC_RESOURCE),
                            EXAMPLE_CC_RESOURCE.path())));
        }
    }

    /** The web.xml deployment in Tomcat against the embedded one in Jetty: a token scenario and a filter scenario. */
    void tomcat() throws Exception {
        startShared();
        TokenCall inTomcat = new TokenCall(TomcatApp.CONTEXT + BENCH_CC.path(), BENCH_CC.clientId(), BENCH_CC.secret(), BENCH_CC.body());
        try (Server t = tomcatApp()) {
            startup("Oauthlet in Tomcat, web.xml", t, inTomcat);
            Server j = resourceServer;
            interleave("client_credentials RS256, web.xml in Tomcat", List.of(
                    new Arm("Oauthlet in Tomcat, web.xml", t, Load.tokenScript(work, "t-cc", inTomcat), inTomcat.path()),
                    new Arm("Oauthlet in Jetty, embedded", j, Load.tokenScript(work, "j-cc", BENCH_CC), BENCH_CC.path())));
            String token = Load.field(t.token(inTomcat), "access_token");
            Path tBearer = Load.bearerScript(work, "t-bearer", token);
            interleave("resource, repeated token, web.xml in Tomcat", List.of(
                    new Arm("Oauthlet in Tomcat, unprotected", t, tBearer, TomcatApp.CONTEXT + "/open"),
                    new Arm("Oauthlet in Tomcat, protected", t, tBearer, TomcatApp.CONTEXT + "/protected")));
        }
    }

    /** A minute of token load on a fresh example, its RSS every interval, then more load to see it stay flat. */
    void soak() throws Exception {
        int step = quick ? 5 : 10;
        int steps = quick ? 8 : 9;
        // Alone on the machine, as far as this run goes: the shared servers are done.
        stopShared();
        oauthlet = null;
        reference = null;
        resourceServer = null;
        try (Server o = example("oauthlet-soak", JAVA, null)) {
            o.awaitFirstToken(EXAMPLE_CC);
            Path lua = Load.tokenScript(work, "o-cc", EXAMPLE_CC);
            results.soak.add(new double[] {0, o.rssMiB(), Load.load1()});
            for (int i = 1; i <= steps; i++) {
                Round r = Load.wrk(o, lua, EXAMPLE_CC.path(), step, threads, connections);
                results.soak.add(new double[] {i * step, r.rssMiB(), r.load1(), r.rps(), r.cpuUsPerRequest()});
                System.out.printf("  soak %3d s: RSS %.0f MiB, %.0f req/s, load %.2f%n", i * step, r.rssMiB(), r.rps(), r.load1());
            }
        }
    }

    interface Call {
        String get() throws Exception;
    }

    static List<String> parallel(int n, Call call) throws Exception {
        return parallel(n, 4, call);
    }

    static List<String> parallel(int n, int threads, Call call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<String>> fs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                fs.add(pool.submit(call::get));
            }
            List<String> out = new ArrayList<>();
            for (Future<String> f : fs) {
                out.add(f.get());
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    static Path jdk25() throws IOException {
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return null;
        }
        try (var dirs = Files.list(jvms)) {
            return dirs.filter(d -> d.getFileName().toString().matches(".*-25(-.*|\\..*)?"))
                    .map(d -> d.resolve("bin/java")).filter(Files::isExecutable).sorted().findFirst().orElse(null);
        }
    }
}
