package dev.oauthlet.key;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.oauthlet.MutableClock;
import dev.oauthlet.protocol.Json;
import io.jsonwebtoken.security.Jwks;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The remote JWKS over real HTTP (the JDK's server on a loopback port): caching, rate-limited refetch, discovery. */
class RemoteKeyResolverTest {

    private static final RemoteKeyResolver.Settings SETTINGS =
            new RemoteKeyResolver.Settings(Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofSeconds(2));

    private final MutableClock clock = MutableClock.startingNow();
    private final AtomicInteger jwksFetches = new AtomicInteger();
    private volatile List<SigningKey> served = new ArrayList<>();
    private volatile String metadataIssuer;
    /** When set, the JWKS answers 503: a key server that is down. */
    private volatile boolean down;
    /** When set, the JWKS answers only once it counts down: a slow key server. */
    private volatile CountDownLatch hold;
    private HttpServer http;
    private String base;

    @BeforeEach
    void start() throws IOException {
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/jwks", ex -> {
            jwksFetches.incrementAndGet();
            if (down) {
                ex.sendResponseHeaders(503, -1);
                ex.close();
                return;
            }
            CountDownLatch h = hold;
            if (h != null) {
                try {
                    h.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            List<Object> keys = new ArrayList<>();
            for (SigningKey k : served) {
                keys.add(new LinkedHashMap<>(Jwks.builder().key(k.publicKey()).id(k.kid()).algorithm(k.algorithm().name()).build()));
            }
            respond(ex, Json.write(Map.of("keys", keys)));
        });
        http.createContext("/.well-known/oauth-authorization-server", ex ->
                respond(ex, Json.write(Map.of("issuer", metadataIssuer, "jwks_uri", base + "/jwks"))));
        http.start();
        base = "http://127.0.0.1:" + http.getAddress().getPort();
        metadataIssuer = base;
    }

    private static void respond(com.sun.net.httpserver.HttpExchange ex, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(200, b.length);
        ex.getResponseBody().write(b);
        ex.close();
    }

    @AfterEach
    void stop() {
        http.stop(0);
    }

    private SigningKey newKey(String kid) {
        return SigningAlgorithm.ES256.generate(kid, Instant.now());
    }

    @Test
    void forJwksUriWhenPlainHttpOnAnotherHostThenRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RemoteKeyResolver.forJwksUri(URI.create("http://auth.example.com/jwks"), SETTINGS, clock));

        assertTrue(e.getMessage().contains("is not an https URL"), e.getMessage());
    }

    @Test
    void forIssuerWhenPlainHttpOnAnotherHostThenRefused() {
        assertThrows(IllegalArgumentException.class, () -> RemoteKeyResolver.forIssuer("http://auth.example.com", SETTINGS, clock));
    }

    @Test
    void resolveWhenKidKnownThenServedFromCacheWithoutFetchingAgain() {
        served = List.of(newKey("k1"));
        RemoteKeyResolver keys = RemoteKeyResolver.forJwksUri(URI.create(base + "/jwks"), SETTINGS, clock);

        assertTrue(keys.resolve("k1").isPresent());
        assertTrue(keys.resolve("k1").isPresent());

        assertEquals(1, jwksFetches.get());
        assertEquals(SigningAlgorithm.ES256, keys.resolve("k1").orElseThrow().algorithm());
    }

    @Test
    void resolveWhenServerRotatedThenUnknownKidRefetchesOnceAndFindsIt() {
        served = List.of(newKey("k1"));
        RemoteKeyResolver keys = RemoteKeyResolver.forJwksUri(URI.create(base + "/jwks"), SETTINGS, clock);
        keys.prefetch();

        served = List.of(newKey("k2"), served.get(0));

        assertTrue(keys.resolve("k2").isPresent(), "a new kid is fetched at once, even right after the last fetch");
        assertTrue(keys.resolve("k1").isPresent());
        assertEquals(2, jwksFetches.get());
    }

    @Test
    void resolveWhenAnotherThreadIsRefreshingAStaleSetThenKnownKidIsServedWithoutWaiting() throws Exception {
        served = List.of(newKey("k1"));
        RemoteKeyResolver keys = RemoteKeyResolver.forJwksUri(URI.create(base + "/jwks"), SETTINGS, clock);
        keys.prefetch();
        clock.advance(Duration.ofMinutes(6));
        hold = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<Boolean> refresher = pool.submit(() -> keys.resolve("k1").isPresent());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (jwksFetches.get() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(2, jwksFetches.get(), "the first request after expiry refreshes");

            Future<Boolean> other = pool.submit(() -> keys.resolve("k1").isPresent());

            // The refresh is held until hold.countDown() below, so any answer at all shows the known kid did not wait for
            // it; the bound is only how long a busy machine may take to run the task (1 s timed out at load 30).
            assertTrue(other.get(10, TimeUnit.SECONDS), "a known kid must not wait for the refresh");
            hold.countDown();
            assertTrue(refresher.get(5, TimeUnit.SECONDS));
            assertEquals(2, jwksFetches.get());
        } finally {
            hold.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void resolveWhenMadeUpKidsArriveThenAtMostOneFetchPerInterval() {
        served = List.of(newKey("k1"));
        RemoteKeyResolver keys = RemoteKeyResolver.forJwksUri(URI.create(base + "/jwks"), SETTINGS, clock);
        keys.prefetch();

        for (int i = 0; i < 20; i++) {
            assertTrue(keys.resolve("bogus-" + i).isEmpty());
        }
        assertEquals(2, jwksFetches.get(), "the prefetch and one refetch");
        clock.advance(Duration.ofSeconds(31));
        keys.resolve("bogus-again");

        assertEquals(3, jwksFetches.get());
    }

    @Test
    void resolveWhenCacheTtlPassedThenFetchesAgain() {
        served = List.of(newKey("k1"));
        RemoteKeyResolver keys = RemoteKeyResolver.forJwksUri(URI.create(base + "/jwks"), SETTINGS, clock);
        keys.resolve("k1");

        clock.advance(Duration.ofMinutes(5));
        keys.resolve("k1");

        assertEquals(2, jwksFetches.get());
    }

    @Test
    void forIssuerWhenMetadataNamesTheIssuerThenFollowsItsJwksUri() {
        served = List.of(newKey("k1"));
        RemoteKeyResolver keys = RemoteKeyResolver.forIssuer(base, SETTINGS, clock);

        assertTrue(keys.resolve("k1").isPresent());
    }

    @Test
    void forIssuerWhenMetadataNamesAnotherIssuerThenNoKeyIsTrusted() {
        served = List.of(newKey("k1"));
        metadataIssuer = "https://evil.example";
        RemoteKeyResolver keys = RemoteKeyResolver.forIssuer(base, SETTINGS, clock);

        assertTrue(keys.resolve("k1").isEmpty());
        assertEquals(0, jwksFetches.get());
    }

    @Test
    void resolveWhenServerDownThenKnownKeysStayInUse() {
        served = List.of(newKey("k1"));
        RemoteKeyResolver keys = RemoteKeyResolver.forJwksUri(URI.create(base + "/jwks"), SETTINGS, clock);
        keys.prefetch();
        http.stop(0);

        clock.advance(Duration.ofMinutes(6));

        assertTrue(keys.resolve("k1").isPresent());
    }

    @Test
    void resolveWhenFetchesKeepFailingThenOneWarningWithTheCauseAndNoStackTrace() throws Exception {
        served = List.of(newKey("k1"));
        RemoteKeyResolver keys = RemoteKeyResolver.forJwksUri(URI.create(base + "/jwks"), SETTINGS, clock);
        keys.prefetch();
        down = true;
        java.io.PrintStream originalErr = System.err;
        java.io.ByteArrayOutputStream logged = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(logged, true, StandardCharsets.UTF_8));
        try {
            for (int i = 0; i < 20; i++) {
                clock.advance(Duration.ofSeconds(10));
                keys.resolve("unknown-" + i);
            }
        } finally {
            System.setErr(originalErr);
        }
        List<String> lines = logged.toString(StandardCharsets.UTF_8).lines().toList();
        assertTrue(jwksFetches.get() >= 7, "the fetches were tried: " + jwksFetches.get());
        assertEquals(1, lines.stream().filter(l -> l.contains("the JWKS at " + base + "/jwks is unreachable: java.io.IOException: "
                + base + "/jwks answered 503")).count(), String.join("\n", lines));
        assertTrue(lines.size() <= 1 + 200 / 30, "at most one line per 30 s after the first: " + String.join("\n", lines));
        assertTrue(lines.stream().noneMatch(l -> l.startsWith("\tat ")), String.join("\n", lines));
        assertTrue(keys.resolve("k1").isPresent(), "the known key stays in use");
    }
}
