package dev.oauthlet.grant;

import dev.oauthlet.MutableClock;
import dev.oauthlet.Oauthlet;
import dev.oauthlet.error.ErrorCode;
import dev.oauthlet.protocol.TokenResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.oauthlet.TestServers.assertRefused;
import static dev.oauthlet.TestServers.basic;
import static dev.oauthlet.TestServers.server;
import static dev.oauthlet.TestServers.tokenWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Many threads refresh one token at once: with {@code rotate}, all of them must receive one and
 * the same successor, on the in-memory store and on a database alike.
 */
class RefreshRotationRaceTest {

    private static final int THREADS = 32;

    @ParameterizedTest
    @ValueSource(strings = {"memory", "jdbc:h2:mem:"})
    void refreshWhenManyThreadsRaceOnOneTokenThenAllGetTheSameWorkingSuccessor(String storage) throws Exception {
        String url = storage.equals("memory") ? "memory" : storage + "race-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        MutableClock clock = new MutableClock();
        try (Oauthlet server = server("""
                storage: {url: "%s"}
                audiences: [api]
                clients:
                  - id: app
                    secret: app-secret
                    grants: [client_credentials, refresh_token]
                    refresh-token-for-client-credentials: true
                """.formatted(url), clock)) {
            String original = tokenWith(server, basic("app", "app-secret"), "grant_type", "client_credentials").refreshToken();
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            List<Future<TokenResponse>> answers = new ArrayList<>();
            try {
                for (int i = 0; i < THREADS; i++) {
                    answers.add(pool.submit(() -> {
                        start.await();
                        return tokenWith(server, basic("app", "app-secret"), "grant_type", "refresh_token", "refresh_token", original);
                    }));
                }
                start.countDown();
                Set<String> successors = new HashSet<>();
                for (Future<TokenResponse> f : answers) {
                    successors.add(f.get().refreshToken());
                }
                assertEquals(1, successors.size(), "every racing refresh must get the same successor");
                String successor = successors.iterator().next();
                assertNotNull(successor);
                assertNotEquals(original, successor);

                TokenResponse next = tokenWith(server, basic("app", "app-secret"), "grant_type", "refresh_token", "refresh_token", successor);
                assertNotNull(next.refreshToken());

                clock.advance(Duration.ofSeconds(11));
                assertRefused(ErrorCode.INVALID_GRANT, () -> tokenWith(server, basic("app", "app-secret"),
                        "grant_type", "refresh_token", "refresh_token", original));
                assertRefused(ErrorCode.INVALID_GRANT, () -> tokenWith(server, basic("app", "app-secret"),
                        "grant_type", "refresh_token", "refresh_token", next.refreshToken()));
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
