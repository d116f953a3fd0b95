package dev.oauthlet.wartest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oauthlet.wartest.OneShot.Kind;
import dev.oauthlet.wartest.OneShot.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The test WAR's stop in a standalone container, as an operator stops one (SIGTERM to the
 * container's process), on an H2 file: requests in flight at the signal — a slow resource call,
 * a token request whose body is still arriving, tracked refresh chains — are answered whole,
 * nothing the application answers is a 5xx, the store closes after them, one line says so; every
 * refresh family refreshes after the restart; and a request longer than {@code server.stop-timeout}
 * is cut at that limit, which the stop line says. The steps build on each other, so they run in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class ContainerStopContract {

    private static final Duration START = Duration.ofSeconds(90);
    private static final int CHAINS = 4;
    private static final String SHOP = OneShot.basic("shop-app", "shop-secret");
    private static final String BACK_OFFICE = OneShot.basic("backoffice-app", "backoffice-secret-from-env");
    private static final String STOPPED = "Oauthlet stopped in ";

    private Path home;
    private ContainerProcess container;
    private String startLine;
    private int starts;
    private final List<String> chains = Collections.synchronizedList(new ArrayList<>());
    private String drainedToken;

    abstract ContainerProcess create(Path base, Map<String, String> environment) throws Exception;

    /**
     * Whether the container itself lets requests in flight finish before it destroys the context
     * (so the listener finds none left), or gives up on them after a while of its own and leaves the
     * rest to the listener's drain.
     */
    abstract boolean containerWaitsForRequests();

    /** Whether connections still in the kernel's queue at the signal are reset unread at the end of the stop. */
    boolean queuedConnectionsAreReset() {
        return false;
    }

    /** How long the token request in flight at the signal waits with the rest of its body. */
    abstract Duration bodyStallAfterTheSignal();

    @BeforeAll
    void deploy() throws Exception {
        Path work = Files.createTempDirectory(Path.of("target"), getClass().getSimpleName()).toAbsolutePath();
        home = Files.createDirectories(work.resolve("oauthlet-home"));
        Map<String, String> env = TestWar.environment(home);
        env.put("WARTEST_STOP_TIMEOUT", "10s");
        container = create(work.resolve("container"), env);
        container.stopTimeout(Duration.ofSeconds(10));
        container.environment.put("WARTEST_ISSUER", container.url());
        TestWar.write(container.war(), true);
        startLine = "Oauthlet " + container.url() + " started: store H2 file " + home.resolve("data/oauthlet") + ".mv.db, signing key ";
        start();
    }

    @AfterAll
    void killAll() throws Exception {
        if (container != null) {
            container.kill();
        }
    }

    private void start() throws Exception {
        container.start();
        container.awaitServing(++starts, startLine, START);
    }

    @Test
    @Order(1)
    void stopWhenRequestsInFlightThenEachIsAnsweredWholeNothingIs5xxAndTheStoreClosesAfterThem() throws Exception {
        int port = port();
        String access = OneShot.exchange(port, "POST", "/app/oauth/token", BACK_OFFICE, "grant_type=client_credentials")
                .member("access_token");
        for (int i = 0; i < CHAINS; i++) {
            chains.add(login(port));
        }
        List<Outcome> before = Collections.synchronizedList(new ArrayList<>());
        List<Outcome> after = Collections.synchronizedList(new ArrayList<>());
        AtomicLong signalAt = new AtomicLong(Long.MAX_VALUE);
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService load = Executors.newFixedThreadPool(CHAINS + 3);
        List<Future<?>> loops = new ArrayList<>();
        for (int i = 0; i < CHAINS; i++) {
            int chain = i;
            loops.add(load.submit(() -> {
                while (running.get()) {
                    Outcome o = refresh(port, chains.get(chain));
                    (o.connectedNanos() < signalAt.get() ? before : after).add(o);
                    if (o.kind() != Kind.ANSWERED) {
                        return;
                    }
                    if (o.status() == 200) {
                        chains.set(chain, o.member("refresh_token"));
                    }
                }
            }));
        }
        String[][] others = {
            {"POST", "/app/oauth/token", BACK_OFFICE, "grant_type=client_credentials"},
            {"GET", "/app/api/me", "Bearer " + access, null},
        };
        for (String[] r : others) {
            loops.add(load.submit(() -> {
                while (running.get()) {
                    Outcome o = OneShot.exchange(port, r[0], r[1], r[2], r[3]);
                    (o.connectedNanos() < signalAt.get() ? before : after).add(o);
                    if (o.kind() != Kind.ANSWERED) {
                        return;
                    }
                }
            }));
        }
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (before.size() < 150 && System.nanoTime() < until) {
            Thread.sleep(50);
        }
        // Two requests surely in flight at the signal: a token request whose body is still on its way (the
        // asynchronous body read), and a resource that takes 7 s — past Tomcat's own waits, up to its
        // unloadDelay (2 s) for asynchronous requests and as long again for the servlets.
        String form = "grant_type=client_credentials";
        OneShot upload = OneShot.begin(port, "POST", "/app/oauth/token", BACK_OFFICE, form, 10);
        Future<Outcome> slow = load.submit(() -> OneShot.exchange(port, "GET", "/app/api/slow?ms=7000", "Bearer " + access, null));
        container.awaitLog(l -> l.contains("wartest: slow request of 7000 ms began"), Duration.ofSeconds(30), "the slow request");
        int logBefore = container.log().length();
        signalAt.set(System.nanoTime());
        container.signal();
        Thread.sleep(bodyStallAfterTheSignal().toMillis());
        Outcome uploaded = upload.finish(form.substring(10));
        upload.close();
        container.awaitExit();
        running.set(false);
        for (Future<?> f : loops) {
            f.get(60, TimeUnit.SECONDS);
        }
        Outcome slowAnswer = slow.get(60, TimeUnit.SECONDS);
        load.shutdown();

        assertEquals(200, slowAnswer.status(), "the slow request in flight at the signal: " + slowAnswer);
        assertEquals("slept 7000 ms", slowAnswer.body());
        assertEquals(200, uploaded.status(), "the token request whose body was arriving at the signal: " + uploaded);
        drainedToken = uploaded.member("access_token");
        // Tomcat pauses its acceptor at the signal: a connection the kernel completed just before it but Tomcat had not yet
        // accepted waits in the queue and is reset, unread, when the port closes (under load, a few did so).
        List<Outcome> broken = before.stream().filter(o -> o.kind() != Kind.ANSWERED || o.status() != 200)
                .filter(o -> !(queuedConnectionsAreReset() && o.kind() == Kind.CUT && o.detail().endsWith("(0 bytes)"))).toList();
        assertEquals(List.of(), broken, "requests sent before the signal: each gets its whole answer, a 200");
        assertTrue(before.size() >= 50, "the load ran: " + before.size() + " requests before the signal");
        // Jetty answers a request that reaches it between the signal and its connector closing with its own 503 page
        // (its GracefulHandler); the application never answers a 5xx.
        List<Outcome> failed = after.stream().filter(o -> o.kind() == Kind.ANSWERED && o.status() >= 500)
                .filter(o -> o.status() != 503 || o.body().contains("\"error\"")).toList();
        assertEquals(List.of(), failed, "requests sent after the signal: refused, cut, or answered by the application, never with a 5xx");

        String stopping = container.log().substring(logBefore);
        List<String> lines = stopping.lines().filter(l -> l.contains(STOPPED)).toList();
        assertEquals(1, lines.size(), "one stop line:\n" + stopping);
        Matcher drained = Pattern.compile(": (\\d+) requests in flight finished, store closed").matcher(lines.get(0));
        assertTrue(drained.find(), "the stop drained: " + lines.get(0));
        if (containerWaitsForRequests()) {
            assertEquals(0, Integer.parseInt(drained.group(1)), "the container waited for both: " + lines.get(0));
        } else {
            assertEquals(2, Integer.parseInt(drained.group(1)), "the listener's drain carried both past the container's own waits: "
                    + lines.get(0));
        }
        assertTrue(stopping.indexOf("wartest: slow request of 7000 ms answers") < stopping.indexOf(STOPPED),
                "the store closes after the last request is answered:\n" + stopping);
        for (String trouble : List.of("Exception", "SEVERE", "Error", "memory leak", "failed to stop")) {
            assertFalse(stopping.contains(trouble), () -> container.name() + " logged '" + trouble + "' while stopping:\n" + stopping);
        }
        System.out.printf("%s stop: %d requests connected before SIGTERM, %d after (%d refused, %d cut, %d answered, %d of them with the "
                + "container's 503); %s%n", container.name(), before.size(), after.size(), after.stream().filter(o -> o.kind() == Kind.REFUSED).count(),
                after.stream().filter(o -> o.kind() == Kind.CUT).count(), after.stream().filter(o -> o.kind() == Kind.ANSWERED).count(),
                after.stream().filter(o -> o.status() == 503).count(), lines.get(0).strip());
    }

    @Test
    @Order(2)
    void restartWhenStoppedUnderRefreshTrafficThenEveryFamilyStillRefreshes() throws Exception {
        start();
        int port = port();
        List<String> lost = new ArrayList<>();
        for (String token : chains) {
            Outcome o = refresh(port, token);
            if (o.status() != 200) {
                lost.add(o.toString());
            }
        }
        assertEquals(List.of(), lost, "refresh families lost across the stop");
        assertEquals(200, Http.get(container.url() + "/api/me", drainedToken).statusCode(), "the token issued during the drain");
    }

    @Test
    @Order(3)
    void stopWhenARequestOutlastsTheStopTimeoutThenItIsCutAtTheLimitAndTheStopLineSaysSo() throws Exception {
        container.stop();
        container.environment.put("WARTEST_STOP_TIMEOUT", "1s");
        container.stopTimeout(Duration.ofSeconds(1));
        start();
        int port = port();
        String access = OneShot.exchange(port, "POST", "/app/oauth/token", BACK_OFFICE, "grant_type=client_credentials")
                .member("access_token");
        CompletableFuture<Outcome> slow = CompletableFuture.supplyAsync(
                () -> OneShot.exchange(port, "GET", "/app/api/slow?ms=30000", "Bearer " + access, null));
        container.awaitLog(l -> l.contains("wartest: slow request of 30000 ms began"), Duration.ofSeconds(30), "the slow request");
        int logBefore = container.log().length();
        long signal = System.nanoTime();
        container.signal();
        container.awaitExit();
        long stopMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signal);
        Outcome cut = slow.get(60, TimeUnit.SECONDS);

        assertTrue(cut.kind() != Kind.ANSWERED || cut.status() < 500, "cut, never a 5xx: " + cut);
        assertTrue(cut.kind() != Kind.ANSWERED || cut.status() != 200, "the 30 s request cannot have been answered: " + cut);
        String stopping = container.log().substring(logBefore);
        assertTrue(stopping.contains("server.stop-timeout (PT1S) passed with 1 of 1 requests in flight unanswered; store closed"), stopping);
        assertTrue(stopMillis < 20_000, "the stop kept to its limit (1 s, plus the container's own waits): " + stopMillis + " ms");
        System.out.printf("%s stop past the limit: exited %d ms after SIGTERM; the 30 s request: %s%n", container.name(), stopMillis, cut);
        container = null;
    }

    private int port() {
        return Integer.parseInt(container.url().replaceAll(".*:(\\d+)/app$", "$1"));
    }

    private static String login(int port) {
        Outcome o = OneShot.exchange(port, "POST", "/app/oauth/token", SHOP, "grant_type=password&username=alice&password=alice-password");
        assertEquals(200, o.status(), o.toString());
        return o.member("refresh_token");
    }

    private static Outcome refresh(int port, String token) {
        return OneShot.exchange(port, "POST", "/app/oauth/token", SHOP, "grant_type=refresh_token&refresh_token=" + token);
    }
}
