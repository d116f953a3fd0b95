package dev.oauthlet.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oauthlet.token.Revocations;
import java.nio.file.Path;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL stops in the middle of traffic and comes back: the token endpoint answers
 * {@code 503 temporarily_unavailable} within the pool's connection timeout — never a hang, a 500
 * or a token that was not stored — the Bearer filter keeps validating JWTs, its optional
 * revocation check fails closed or open as configured, and everything recovers by itself.
 */
class DatabaseOutageTest {

    private static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(1);
    /** Scheduling on a loaded 2-core build machine; a hang would take far longer. */
    private static final Duration SLACK = Duration.ofSeconds(3);

    @TempDir
    Path data;
    private PostgresServer postgres;
    private JettyExample.Running node;

    @BeforeEach
    void start() throws Exception {
        postgres = new PostgresServer(data.resolve("pg"));
        node = JettyExample.createServer(SeedServer.yaml("""
                storage:
                  url: "%s"
                  username: postgres
                  pool-size: 4
                  connection-timeout: %ds
                tokens:
                  refresh-token-reuse-grace: 60s
                audiences: [api]
                clients:
                  - id: app
                    secret: app-secret
                    grants: [client_credentials, password, refresh_token]
                    scopes: [read]
                users:
                  - username: alice
                    password: alice-password
                example:
                  resources:
                    - path: /api/plain/*
                      audience: api
                      filter: {revocation-check: "false"}
                    - path: /api/closed/*
                      audience: api
                      filter: {revocation-check: "true"}
                    - path: /api/open/*
                      audience: api
                      filter: {revocation-check: "true", revocation-fail-open: "true"}
                """.formatted(postgres.jdbcUrl(), CONNECTION_TIMEOUT.getSeconds())), "127.0.0.1", 0);
    }

    @AfterEach
    void stop() throws Exception {
        try {
            node.close();
        } finally {
            postgres.close();
        }
    }

    private Http.Response clientCredentials() {
        return Http.postForm(node.url() + "/oauth/token", Http.basic("app", "app-secret"), Http.form("grant_type", "client_credentials"));
    }

    private Http.Response refresh(String token) {
        return Http.postForm(node.url() + "/oauth/token", Http.basic("app", "app-secret"),
                Http.form("grant_type", "refresh_token", "refresh_token", token));
    }

    private static void assertUnavailable(Http.Response r) {
        assertEquals(503, r.status(), r.body());
        assertEquals("temporarily_unavailable", r.json().get("error").asText());
        assertNotNull(r.header("Retry-After"));
        assertEquals("no-store", r.header("Cache-Control"));
        assertTrue(r.json().get("access_token") == null, "no token without the store");
    }

    @Test
    void tokenEndpointWhenDatabaseStopsMidTrafficThen503WithinTimeoutAndRecovers() throws Exception {
        String accessToken = clientCredentials().json().get("access_token").asText();
        Http.Response login = Http.postForm(node.url() + "/oauth/token", Http.basic("app", "app-secret"),
                Http.form("grant_type", "password", "username", "alice", "password", "alice-password"));
        AtomicReference<String> refreshToken = new AtomicReference<>(login.json().get("refresh_token").asText());
        for (String path : List.of("/api/plain/me", "/api/closed/me", "/api/open/me")) {
            assertEquals(200, Http.get(node.url() + path, "Bearer " + accessToken).status(), path);
        }

        // Traffic that never stops: a refresh chain, kept only from answers that said 200.
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        List<String> unexpected = new CopyOnWriteArrayList<>();
        AtomicBoolean running = new AtomicBoolean(true);
        Thread traffic = new Thread(() -> {
            while (running.get()) {
                Http.Response r = refresh(refreshToken.get());
                statuses.merge(r.status(), 1, Integer::sum);
                if (r.status() == 200) {
                    refreshToken.set(r.json().get("refresh_token").asText());
                } else if (r.status() != 503 || !r.body().contains("temporarily_unavailable")) {
                    unexpected.add(r.status() + " " + r.body());
                }
            }
        }, "traffic");
        traffic.start();
        Thread.sleep(500);

        // The log of the outage, from the stop until after the recovery (slf4j-simple writes to System.err).
        PrintStream originalErr = System.err;
        ByteArrayOutputStream logged = new ByteArrayOutputStream();
        System.setErr(new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                originalErr.write(b);
                synchronized (logged) {
                    logged.write(b);
                }
            }

            @Override
            public void write(byte[] b, int off, int len) {
                originalErr.write(b, off, len);
                synchronized (logged) {
                    logged.write(b, off, len);
                }
            }
        }, true, StandardCharsets.UTF_8));
        postgres.stop();
        // A client read within the last second is served from memory (docs/operations.md: clients reach other nodes within 1 s),
        // so client_credentials may still answer for that second; after it, the client must come from the store.
        Thread.sleep(1_100);
        long t0 = System.nanoTime();
        Http.Response during = clientCredentials();
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        assertUnavailable(during);
        assertTrue(took.compareTo(CONNECTION_TIMEOUT.plus(SLACK)) < 0, "answered in " + took.toMillis() + " ms");
        assertUnavailable(Http.postForm(node.url() + "/oauth/token", Http.basic("app", "app-secret"),
                Http.form("grant_type", "password", "username", "alice", "password", "alice-password")));

        Thread.sleep(1_100);
        Http.Response down = Http.get(node.url() + "/health", null);
        assertEquals(503, down.status(), "health reports the outage (after its one second of reuse)");
        assertEquals("{\"status\":\"DOWN\",\"checks\":{\"store\":\"DOWN\",\"signing_key\":\"UP\"}}", down.body(),
                "which check failed, and nothing about why");

        // Resources: signatures need no database; the deny-list does.
        assertEquals(200, Http.get(node.url() + "/api/plain/me", "Bearer " + accessToken).status());
        // The deny-list is checked from memory: its copy is trusted for two refresh periods, then the check fails closed.
        long outage = System.nanoTime();
        Http.Response closed = Http.get(node.url() + "/api/closed/me", "Bearer " + accessToken);
        while (closed.status() == 200 && System.nanoTime() - outage < Revocations.REFRESH.multipliedBy(3).toNanos()) {
            Thread.sleep(200);
            closed = Http.get(node.url() + "/api/closed/me", "Bearer " + accessToken);
        }
        assertEquals(503, closed.status(), "revocation check fails closed by default, within two refresh periods");
        assertEquals(200, Http.get(node.url() + "/api/open/me", "Bearer " + accessToken).status(), "revocation-fail-open lets it through");

        postgres.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Http.Response after = clientCredentials();
        while (after.status() != 200 && System.nanoTime() < deadline) {
            Thread.sleep(200);
            after = clientCredentials();
        }
        assertEquals(200, after.status(), "the pool reconnects by itself: " + after.body());
        Thread.sleep(1_100);
        assertEquals(200, Http.get(node.url() + "/health", null).status(), "health is UP again");
        Thread.sleep(500);
        running.set(false);
        traffic.join(10_000);
        System.setErr(originalErr);
        List<String> lines;
        synchronized (logged) {
            lines = logged.toString(StandardCharsets.UTF_8).lines().toList();
        }
        assertTrue(lines.stream().noneMatch(l -> l.startsWith("\tat ") || l.startsWith("Caused by")), "no stack trace:\n" + String.join("\n", lines));
        assertEquals(1, lines.stream().filter(l -> l.contains("the store is unreachable")).count(), String.join("\n", lines));
        assertEquals(1, lines.stream().filter(l -> l.contains("the store is reachable again")).count(), String.join("\n", lines));
        assertTrue(lines.size() <= 12, lines.size() + " lines for an outage of a few seconds:\n" + String.join("\n", lines));

        assertEquals(List.of(), unexpected, "nothing but 200 and 503 temporarily_unavailable, ever");
        assertTrue(statuses.getOrDefault(503, 0) > 0, "the traffic saw the outage: " + statuses);
        assertTrue(statuses.getOrDefault(200, 0) > 0, "and the time around it: " + statuses);
        Http.Response last = refresh(refreshToken.get());
        assertEquals(200, last.status(), "the chain survived the outage: no refresh token was handed out that was not stored, "
                + "none was consumed without an answer: " + last.body());
        assertEquals(200, Http.get(node.url() + "/api/closed/me", "Bearer " + accessToken).status());
    }
}
