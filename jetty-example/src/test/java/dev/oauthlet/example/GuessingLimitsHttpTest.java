package dev.oauthlet.example;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.oauthlet.example.SeedServer.Reply;
import dev.oauthlet.crypto.SecretHasher;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The guessing limits and the restart burst over real HTTP: {@code 429} with {@code Retry-After}
 * and the failure's own RFC 6749 error, addresses taken from {@code X-Forwarded-For} only when a
 * trusted proxy sent it, and a busy client's burst right after start-up all answered with tokens.
 */
class GuessingLimitsHttpTest {

    static final String FORM = "application/x-www-form-urlencoded";
    static final SecretHasher CHEAP = new SecretHasher(1000);

    private static String config(String authorization) {
        return """
                audiences: [api]
                authorization: {login-max-failures-per-user: 3, %s}
                clients:
                  - id: shop
                    secret-hash: "%s"
                    grants: [password]
                users:
                  - username: alice
                    password-hash: "%s"
                example: {resources: []}
                """.formatted(authorization, CHEAP.hash("shop-secret"), CHEAP.hash("alice-password"));
    }

    private static Reply password(SeedServer server, String password, String forwardedFor) throws Exception {
        return server.post("/oauth/token", "grant_type=password&username=alice&password=" + password,
                "Authorization", SeedServer.basic("shop", "shop-secret"), "Content-Type", FORM, "X-Forwarded-For", forwardedFor);
    }

    @Test
    void tokenWhenPasswordGuessesUsedUpThen429WithRetryAfterAndInvalidGrant() throws Exception {
        try (SeedServer server = SeedServer.start(SeedServer.yaml(config("trusted-proxies: [127.0.0.1]")))) {
            for (int i = 0; i < 3; i++) {
                password(server, "guess" + i, "203.0.113.7").assertError(400, "invalid_grant");
            }
            Reply limited = password(server, "alice-password", "203.0.113.7").assertError(429, "invalid_grant");
            assertEquals("900", limited.header("Retry-After"));
            assertEquals("too many failed sign-ins for this user or from this address; try again later",
                    limited.text("error_description"));
            // The proxy says the real user is elsewhere: she is not locked out.
            password(server, "alice-password", "198.51.100.2").assertStatus(200);
        }
    }

    @Test
    void tokenWhenForwardedForComesFromAnUntrustedPeerThenTheConnectionsAddressCounts() throws Exception {
        try (SeedServer server = SeedServer.start(SeedServer.yaml(config("login-failure-window: 15m")))) {
            for (int i = 0; i < 3; i++) {
                password(server, "guess" + i, "203.0.113." + i).assertError(400, "invalid_grant");
            }
            password(server, "alice-password", "198.51.100.2").assertError(429, "invalid_grant");
        }
    }

    @Test
    void tokenWhenClientSecretGuessesUsedUpThen429WithInvalidClientAndNoChallenge() throws Exception {
        try (SeedServer server = SeedServer.start(SeedServer.yaml(config("login-failure-window: 1m")))) {
            for (int i = 0; i < 3; i++) {
                server.post("/oauth/token", "grant_type=password&username=alice&password=x", "Authorization",
                        SeedServer.basic("shop", "guess" + i), "Content-Type", FORM).assertError(401, "invalid_client");
            }
            Reply limited = server.post("/oauth/token", "grant_type=password&username=alice&password=x", "Authorization",
                    SeedServer.basic("shop", "guess9"), "Content-Type", FORM).assertError(429, "invalid_client");
            assertEquals("60", limited.header("Retry-After"));
            assertEquals(null, limited.header("WWW-Authenticate"), "429 is no authentication challenge");
        }
    }

    /** The review's restart burst, doubled: a freshly started server, one client's correct secret 32 times at once. */
    @Test
    void tokenWhenThirtyTwoRequestsOfOneClientHitAFreshServerThenThirtyTwoTokens() throws Exception {
        // The real PBKDF2 cost, and a secret this JVM has never checked, as after a restart.
        String secret = "burst-" + UUID.randomUUID();
        String yaml = """
                audiences: [api]
                clients:
                  - id: busy
                    secret-hash: "%s"
                    grants: [client_credentials]
                example: {resources: []}
                """.formatted(new SecretHasher().hash(secret));
        try (SeedServer server = SeedServer.start(SeedServer.yaml(yaml))) {
            ExecutorService pool = Executors.newFixedThreadPool(32);
            CountDownLatch go = new CountDownLatch(1);
            try {
                List<Future<Integer>> answers = new ArrayList<>();
                for (int i = 0; i < 32; i++) {
                    answers.add(pool.submit(() -> {
                        go.await();
                        return server.post("/oauth/token", "grant_type=client_credentials", "Authorization",
                                SeedServer.basic("busy", secret), "Content-Type", FORM).status();
                    }));
                }
                go.countDown();
                List<Integer> statuses = new ArrayList<>();
                for (Future<Integer> f : answers) {
                    statuses.add(f.get(60, TimeUnit.SECONDS));
                }
                assertEquals(List.of(200), statuses.stream().distinct().toList(), statuses.toString());
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /** {@code n} requests released at once, each {@code send}'s reply. */
    private static List<Reply> atOnce(int n, java.util.concurrent.Callable<Reply> send) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<Reply>> answers = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                answers.add(pool.submit(() -> {
                    go.await();
                    return send.call();
                }));
            }
            go.countDown();
            List<Reply> replies = new ArrayList<>();
            for (Future<Reply> f : answers) {
                replies.add(f.get(120, TimeUnit.SECONDS));
            }
            return replies;
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * The restart burst of a password client: a freshly started server, one user's correct password
     * 32 times at once from one address, against the default limits (5 failures per user and
     * address) and the real PBKDF2 cost. The requests share one check; those the limits leave
     * without a reservation of their own share its success.
     */
    @Test
    void tokenWhenThirtyTwoIdenticalCorrectPasswordsHitAFreshServerThenThirtyTwoTokens() throws Exception {
        String password = "burst-" + UUID.randomUUID();
        String yaml = """
                audiences: [api]
                clients:
                  - id: shop
                    secret-hash: "%s"
                    grants: [password]
                users:
                  - username: alice
                    password-hash: "%s"
                example: {resources: []}
                """.formatted(CHEAP.hash("shop-secret"), new SecretHasher().hash(password));
        try (SeedServer server = SeedServer.start(SeedServer.yaml(yaml))) {
            List<Reply> replies = atOnce(32, () -> server.post("/oauth/token", "grant_type=password&username=alice&password=" + password,
                    "Authorization", SeedServer.basic("shop", "shop-secret"), "Content-Type", FORM));
            assertEquals(List.of(200), replies.stream().map(Reply::status).distinct().toList(),
                    () -> replies.stream().map(r -> r.status() + " " + r.body()).toList().toString());
            for (Reply r : replies) {
                assertEquals("Bearer", r.text("token_type"));
            }
        }
    }

    /**
     * The review's guessing burst with one guess repeated: 20 identical wrong passwords at once
     * from one address, limit 3. Exactly three are let through to a check (which they share as far
     * as they overlap) and answered {@code 400}, however the requests overlap; every other is {@code 429 invalid_grant} with {@code Retry-After}; and
     * afterwards the right password from that address is refused too.
     */
    @Test
    void tokenWhenTwentyIdenticalWrongPasswordsAtOnceThenAtMostTheLimitCheckedAndTheRest429() throws Exception {
        try (SeedServer server = SeedServer.start(SeedServer.yaml(config("login-failure-window: 10m")))) {
            List<Reply> replies = atOnce(20, () -> server.post("/oauth/token", "grant_type=password&username=alice&password=guess",
                    "Authorization", SeedServer.basic("shop", "shop-secret"), "Content-Type", FORM));
            long checked = 0;
            for (Reply r : replies) {
                if (r.status() == 400) {
                    r.assertError(400, "invalid_grant");
                    assertEquals("the username or password is wrong", r.text("error_description"));
                    checked++;
                } else {
                    r.assertError(429, "invalid_grant");
                    assertEquals("600", r.header("Retry-After"));
                }
            }
            // Each request reserved its own failure: exactly the limit's three were let through, sharing one check or more.
            assertEquals(3, checked, () -> replies.stream().map(r -> r.status() + " " + r.body()).toList().toString());
            password(server, "alice-password", "203.0.113.7").assertError(429, "invalid_grant");
        }
    }
}
