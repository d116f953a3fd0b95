package dev.oauthlet.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.oauthlet.client.ClientRegistration;
import dev.oauthlet.crypto.SecretHasher;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two Oauthlet nodes on different ports sharing one real PostgreSQL database. */
class MultiNodePostgresTest {

    private static final int REQUESTS = 50;

    @TempDir
    static Path data;
    private static PostgresServer postgres;
    private static JettyExample.Running nodeA;
    private static JettyExample.Running nodeB;

    @BeforeAll
    static void start() throws Exception {
        postgres = new PostgresServer(data.resolve("pg"));
        ExampleConfig config = SeedServer.yaml("""
                issuer: http://oauthlet.multinode.test
                storage:
                  url: "%s"
                  username: postgres
                  pool-size: 8
                tokens:
                  refresh-token-reuse-grace: 3s
                audiences: [api]
                clients:
                  - id: app
                    secret: app-secret
                    grants: [password, refresh_token]
                    scopes: [read, write]
                  - id: web
                    secret: web-secret
                    grants: [authorization_code, refresh_token]
                    scopes: [read]
                    redirect-uris: ["http://127.0.0.1/callback"]
                    first-party: true
                users:
                  - username: alice
                    password: alice-password
                """.formatted(postgres.jdbcUrl()));
        // Both nodes start from the same file, as a deployment's nodes do; the second finds the key the first made.
        nodeA = JettyExample.createServer(config, "127.0.0.1", 0);
        nodeB = JettyExample.createServer(config, "127.0.0.1", 0);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            nodeA.close();
            nodeB.close();
        } finally {
            postgres.close();
        }
    }

    private static Http.Response refresh(JettyExample.Running node, String refreshToken) {
        return Http.postForm(node.url() + "/oauth/token", Http.basic("app", "app-secret"),
                Http.form("grant_type", "refresh_token", "refresh_token", refreshToken));
    }

    @Test
    void refreshWhenFiftyConcurrentOnTwoNodesThenOneSuccessorAndReuseAfterGraceKillsFamily() throws Exception {
        Http.Response login = Http.postForm(nodeA.url() + "/oauth/token", Http.basic("app", "app-secret"),
                Http.form("grant_type", "password", "username", "alice", "password", "alice-password"));
        assertEquals(200, login.status(), login.body());
        String original = login.json().get("refresh_token").asText();

        ExecutorService pool = Executors.newFixedThreadPool(REQUESTS);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Http.Response>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < REQUESTS; i++) {
                JettyExample.Running node = i % 2 == 0 ? nodeA : nodeB;
                answers.add(pool.submit(() -> {
                    go.await();
                    return refresh(node, original);
                }));
            }
            go.countDown();
            Set<String> successors = new HashSet<>();
            for (Future<Http.Response> f : answers) {
                Http.Response r = f.get();
                assertEquals(200, r.status(), r.body());
                successors.add(r.json().get("refresh_token").asText());
            }
            assertEquals(1, successors.size(), "every caller within the grace period gets the same successor");
            String successor = successors.iterator().next();
            assertNotEquals(original, successor);

            Http.Response next = refresh(nodeB, successor);
            assertEquals(200, next.status(), "the successor works, on either node: " + next.body());
            String third = next.json().get("refresh_token").asText();

            Thread.sleep(3_500);
            Http.Response reuse = refresh(nodeA, original);
            assertEquals(400, reuse.status());
            assertEquals("invalid_grant", reuse.json().get("error").asText());
            Http.Response afterTheft = refresh(nodeB, third);
            assertEquals(400, afterTheft.status(), "reuse after the grace period revokes the whole family");
            assertEquals("invalid_grant", afterTheft.json().get("error").asText());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void codeWhenRedeemedOnBothNodesAtOnceThenOneWinsAndItsTokensAreRevoked() throws Exception {
        String verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        String challenge = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                java.security.MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        var authorizer = nodeA.oauthlet().authorizer();
        var request = authorizer.parse(java.util.Map.of("client_id", List.of("web"), "response_type", List.of("code"),
                "redirect_uri", List.of("http://127.0.0.1/callback"), "scope", List.of("read"), "state", List.of("xyz"),
                "code_challenge", List.of(challenge), "code_challenge_method", List.of("S256")));
        var user = ((dev.oauthlet.authorize.LoginOutcome.SignedIn) authorizer.signIn("alice", "alice-password", "127.0.0.1")).user();
        String location = authorizer.approve(user, request, true);
        String code = java.net.URLDecoder.decode(location.replaceAll(".*[?&]code=([^&]+).*", "$1"), java.nio.charset.StandardCharsets.UTF_8);

        ExecutorService pool = Executors.newFixedThreadPool(2);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<Http.Response>> answers = new ArrayList<>();
            for (JettyExample.Running node : List.of(nodeA, nodeB)) {
                answers.add(pool.submit(() -> {
                    go.await();
                    return Http.postForm(node.url() + "/oauth/token", Http.basic("web", "web-secret"),
                            Http.form("grant_type", "authorization_code", "code", code, "redirect_uri", "http://127.0.0.1/callback",
                                    "code_verifier", verifier));
                }));
            }
            go.countDown();
            List<Http.Response> won = new ArrayList<>();
            List<Http.Response> lost = new ArrayList<>();
            for (Future<Http.Response> f : answers) {
                Http.Response r = f.get();
                (r.status() == 200 ? won : lost).add(r);
            }
            assertEquals(1, won.size(), "exactly one redemption wins");
            assertEquals(1, lost.size());
            assertEquals("invalid_grant", lost.get(0).json().get("error").asText());

            // RFC 6749 §4.1.2: a code used twice revokes what it yielded, on every node.
            String refreshToken = won.get(0).json().get("refresh_token").asText();
            Http.Response refreshed = Http.postForm(nodeB.url() + "/oauth/token", Http.basic("web", "web-secret"),
                    Http.form("grant_type", "refresh_token", "refresh_token", refreshToken));
            assertEquals(400, refreshed.status(), refreshed.body());
            assertEquals("invalid_grant", refreshed.json().get("error").asText());
            Http.Response introspected = Http.postForm(nodeA.url() + "/oauth/introspect", Http.basic("web", "web-secret"),
                    Http.form("token", won.get(0).json().get("access_token").asText()));
            assertEquals(200, introspected.status(), introspected.body());
            assertEquals(false, introspected.json().get("active").asBoolean(), "the access token is on the deny-list");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void clientWhenAddedOnOneNodeThenUsableOnTheOther() {
        ClientRegistration reporting = new ClientRegistration("reporting", "Reporting", new SecretHasher().hash("reporting-secret"),
                false, Set.of("client_credentials"), "api", Set.of("read"), Set.of("read"), null, List.of(), false);
        nodeA.oauthlet().storage().clients().save(reporting);

        Http.Response r = Http.postForm(nodeB.url() + "/oauth/token", Http.basic("reporting", "reporting-secret"),
                Http.form("grant_type", "client_credentials"));
        assertEquals(200, r.status(), r.body());
        String token = r.json().get("access_token").asText();
        assertNotNull(nodeA.oauthlet().verifier().verify(token), "node A verifies what node B signed: they share the key");
    }
}
