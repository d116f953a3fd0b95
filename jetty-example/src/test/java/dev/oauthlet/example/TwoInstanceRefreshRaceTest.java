package dev.oauthlet.example;

import dev.oauthlet.crypto.SecretHasher;
import dev.oauthlet.example.SeedServer.Reply;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.h2.tools.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fifty simultaneous refreshes of one refresh token, spread over two server instances that share
 * one database (an H2 server over TCP): all succeed within the reuse grace period with one and the
 * same new refresh token, which then works; presenting the original after the grace period is
 * reuse — invalid_grant — and takes the new refresh token down with it.
 */
class TwoInstanceRefreshRaceTest {

    static final int REQUESTS = 50;
    static final Duration GRACE = Duration.ofSeconds(5);
    static final String FORM = "application/x-www-form-urlencoded";

    @TempDir
    Path dir;

    @Test
    void refreshWhenFiftyRaceAcrossTwoInstancesThenAllGetTheSameSuccessorAndLaterReuseRevokesTheFamily() throws Exception {
        Server database = Server.createTcpServer("-tcpPort", "0", "-ifNotExists", "-baseDir", Files.createDirectories(dir.resolve("db")).toString())
                .start();
        // A cheap hash: fifty first-time secret checks at the real PBKDF2 cost would outlast the grace period on two cores.
        String yaml = """
                storage:
                  url: "jdbc:h2:tcp://127.0.0.1:%d/race"
                  username: sa
                signing: {algorithm: ES256}
                tokens:
                  refresh-token-reuse-grace: %ds
                endpoints:
                  token: [{path: /oauth/token, formats: [form]}]
                audiences: [api]
                clients:
                  - id: racer
                    secret-hash: "%s"
                    grants: [client_credentials, refresh_token]
                    refresh-token-for-client-credentials: true
                example: {resources: []}
                """.formatted(database.getPort(), GRACE.getSeconds(), new SecretHasher(1000).hash("racer-secret"));
        String client = SeedServer.basic("racer", "racer-secret");
        try (SeedServer a = SeedServer.start(SeedServer.yaml(yaml)); SeedServer b = SeedServer.start(SeedServer.yaml(yaml))) {
            String original = a.post("/oauth/token", "grant_type=client_credentials", "Authorization", client, "Content-Type", FORM)
                    .assertStatus(200).text("refresh_token");
            String refresh = "grant_type=refresh_token&refresh_token=" + original;

            ExecutorService pool = Executors.newFixedThreadPool(REQUESTS);
            List<Future<Reply>> replies = new ArrayList<>();
            CountDownLatch go = new CountDownLatch(1);
            long started = System.nanoTime();
            try {
                for (int i = 0; i < REQUESTS; i++) {
                    SeedServer target = i % 2 == 0 ? a : b;
                    replies.add(pool.submit(() -> {
                        go.await();
                        return target.post("/oauth/token", refresh, "Authorization", client, "Content-Type", FORM);
                    }));
                }
                go.countDown();
                List<Reply> answered = new ArrayList<>();
                for (Future<Reply> f : replies) {
                    answered.add(f.get());
                }
                Duration took = Duration.ofNanos(System.nanoTime() - started);
                assertTrue(took.compareTo(GRACE) < 0, "the race must finish within the grace period, took " + took);
                for (Reply r : answered) {
                    r.assertStatus(200);
                }
                Set<String> successors = answered.stream().map(r -> text(r, "refresh_token")).collect(Collectors.toSet());
                assertEquals(1, successors.size(), "every refresh must return one and the same new refresh token");
                String successor = successors.iterator().next();
                assertNotEquals(original, successor);
                Set<String> accessTokens = answered.stream().map(r -> text(r, "access_token")).collect(Collectors.toSet());
                assertEquals(REQUESTS, accessTokens.size(), "each refresh gets its own access token");

                // The new refresh token works, on either instance.
                String third = b.post("/oauth/token", "grant_type=refresh_token&refresh_token=" + successor, "Authorization", client,
                        "Content-Type", FORM).assertStatus(200).text("refresh_token");

                Thread.sleep(GRACE.plusMillis(500).toMillis());
                a.post("/oauth/token", refresh, "Authorization", client, "Content-Type", FORM).assertError(400, "invalid_grant");
                b.post("/oauth/token", "grant_type=refresh_token&refresh_token=" + successor, "Authorization", client,
                        "Content-Type", FORM).assertError(400, "invalid_grant");
                a.post("/oauth/token", "grant_type=refresh_token&refresh_token=" + third, "Authorization", client,
                        "Content-Type", FORM).assertError(400, "invalid_grant");
            } finally {
                pool.shutdownNow();
            }
        } finally {
            database.stop();
        }
    }

    private static String text(Reply r, String member) {
        try {
            return r.text(member);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
