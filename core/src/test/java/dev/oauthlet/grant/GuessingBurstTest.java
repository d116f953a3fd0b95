package dev.oauthlet.grant;

import static dev.oauthlet.TestServers.basic;
import static dev.oauthlet.TestServers.params;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oauthlet.MutableClock;
import dev.oauthlet.Oauthlet;
import dev.oauthlet.TestServers;
import dev.oauthlet.protocol.TokenRequest;
import dev.oauthlet.error.OAuthException;
import dev.oauthlet.crypto.SecretHasher;
import dev.oauthlet.spi.Race;
import dev.oauthlet.user.AuthenticatedUser;
import dev.oauthlet.user.UserAuthenticator;
import dev.oauthlet.user.UserCredentials;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Guesses fired all at once, at two nodes sharing one database: no more are checked than the
 * limit allows, because each reserves its failure in the store before its check. The rest are
 * refused with {@code 429} and the error the check would have given.
 */
class GuessingBurstTest {

    static final int GUESSES = 20;
    static final int LIMIT = 5;
    static final String ADDRESS = "203.0.113.7";

    private final MutableClock clock = MutableClock.startingNow();
    private final AtomicInteger passwordChecks = new AtomicInteger();
    /** Wrong for every password, and slow enough that every guess of the burst arrives while others are being checked. */
    private final UserAuthenticator slowUsers = new UserAuthenticator() {
        @Override
        public Optional<AuthenticatedUser> authenticate(UserCredentials credentials) {
            passwordChecks.incrementAndGet();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Optional.empty();
        }
    };
    private final String yaml = """
            storage: {url: "jdbc:h2:mem:burst-%s;DB_CLOSE_DELAY=-1"}
            audiences: [api]
            authorization:
              login-max-failures-per-user: %d
              login-failure-delay: 0s
            clients:
              - id: app
                secret: app-secret
                grants: [password, client_credentials]
            """.formatted(UUID.randomUUID(), LIMIT);
    private final Oauthlet a = TestServers.server(yaml, clock, b -> b.userAuthenticator(slowUsers));
    private final Oauthlet b = TestServers.server(yaml, clock, b -> b.userAuthenticator(slowUsers));

    @AfterEach
    void close() {
        a.close();
        b.close();
    }

    /** The status and error of each answer, e.g. {@code 400 invalid_grant}. */
    private static List<String> outcomes(List<String> answers) {
        return answers.stream().sorted().toList();
    }

    @Test
    void tokenWhenTwentyWrongPasswordsAtOnceAcrossTwoNodesThenAtMostTheLimitAreChecked() throws Exception {
        AtomicInteger turn = new AtomicInteger();
        List<String> answers = Race.run(GUESSES, () -> {
            Oauthlet node = turn.getAndIncrement() % 2 == 0 ? a : b;
            try {
                node.token(TokenRequest.parse(params("grant_type", "password", "username", "alice", "password", "guess"
                        + turn.get()), basic("app", "app-secret")).withRemoteAddress(ADDRESS));
                return "200";
            } catch (OAuthException e) {
                return e.status() + " " + e.error().code();
            }
        });
        assertTrue(passwordChecks.get() <= LIMIT, passwordChecks.get() + " passwords checked, limit " + LIMIT);
        assertEquals(LIMIT, passwordChecks.get(), "a burst may not be refused below the limit either");
        assertEquals(LIMIT, answers.stream().filter("400 invalid_grant"::equals).count(), outcomes(answers).toString());
        assertEquals(GUESSES - LIMIT, answers.stream().filter("429 invalid_grant"::equals).count(), outcomes(answers).toString());
    }

    @Test
    void tokenWhenTwentyWrongClientSecretsAtOnceAcrossTwoNodesThenAtMostTheLimitAreChecked() throws Exception {
        AtomicInteger turn = new AtomicInteger();
        List<String> answers = Race.run(GUESSES, () -> {
            int i = turn.getAndIncrement();
            Oauthlet node = i % 2 == 0 ? a : b;
            try {
                node.token(TokenRequest.parse(params("grant_type", "client_credentials"), basic("app", "guess-" + i))
                        .withRemoteAddress(ADDRESS));
                return "200";
            } catch (OAuthException e) {
                return e.status() + " " + e.error().code();
            }
        });
        // A 401 is a secret that was checked; a 429 was refused before any check.
        assertEquals(LIMIT, answers.stream().filter("401 invalid_client"::equals).count(), outcomes(answers).toString());
        assertEquals(GUESSES - LIMIT, answers.stream().filter("429 invalid_client"::equals).count(), outcomes(answers).toString());
    }

    @Test
    void tokenWhenOneClientsRightSecretArrivesThirtyTwoTimesAtOnceThenOneCheckServesAllAndNoFailureIsCounted() throws Exception {
        // The real PBKDF2 cost, a secret no check has remembered yet (as right after a restart), one check at a time, no
        // queue and a limit of one failure: without single flight, 31 of the 32 would be refused (503 or 429).
        String secret = "busy-secret-" + UUID.randomUUID();
        String yaml = """
                audiences: [api]
                authorization: {login-max-failures-per-user: 1, max-concurrent-secret-checks: 1, max-queued-secret-checks: 0}
                clients:
                  - id: busy
                    secret-hash: "%s"
                    grants: [client_credentials]
                """.formatted(new SecretHasher().hash(secret));
        try (Oauthlet fresh = TestServers.server(yaml, clock)) {
            List<String> answers = Race.run(32, () -> {
                try {
                    return fresh.token(TokenRequest.parse(params("grant_type", "client_credentials"), basic("busy", secret))
                            .withRemoteAddress(ADDRESS)).accessToken() != null ? "200" : "no token";
                } catch (OAuthException e) {
                    return e.status() + " " + e.error().code();
                }
            });
            assertEquals(List.of("200"), answers.stream().distinct().toList(), outcomes(answers).toString());
            // Nothing was left reserved: one wrong guess is still checked (401), the next refused (429).
            assertEquals(401, refusal(fresh, "wrong-1"));
            assertEquals(429, refusal(fresh, "wrong-2"));
        }
    }

    private static int refusal(Oauthlet server, String secret) {
        try {
            server.token(TokenRequest.parse(params("grant_type", "client_credentials"), basic("busy", secret)).withRemoteAddress(ADDRESS));
            return 200;
        } catch (OAuthException e) {
            return e.status();
        }
    }
}
