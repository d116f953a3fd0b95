package dev.oauthlet.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.oauthlet.client.Origin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code registration.open-rate-limit} over HTTP: a concurrent burst of open registrations from one
 * address gets exactly the limit's worth of {@code 201}s, the rest {@code 429} with
 * {@code Retry-After} and an RFC 7591 error body; the address is the one a trusted proxy names,
 * and {@code X-Forwarded-For} from anyone else changes nothing; registrations with an initial
 * access token are not counted.
 */
class OpenRegistrationLimitHttpTest {

    private static final String INITIAL_TOKEN = "initial-access-token-for-the-limit-test";
    private static final int LIMIT = 4;
    private static final int BURST = 16;

    private JettyExample.Running server;
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private void start(String authorization) throws Exception {
        server = JettyExample.createServer(ExampleConfigs.authorizationCode("http://127.0.0.1:9/callback", """
                authorization:
                  login-failure-delay: 0s
                %sregistration:
                  open: true
                  initial-access-token: [%s]
                  open-rate-limit: {per-address: %d, window: 10m}
                  policy: {grants: [client_credentials]}
                """.formatted(authorization, INITIAL_TOKEN, LIMIT)), 0);
    }

    private HttpResponse<String> register(String forwardedFor, String initialToken) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + "/oauth/register")).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"grant_types\": [\"client_credentials\"]}"));
        if (forwardedFor != null) {
            b.header("X-Forwarded-For", forwardedFor);
        }
        if (initialToken != null) {
            b.header("Authorization", "Bearer " + initialToken);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** {@link #BURST} registrations released at once; the i-th from {@code forwardedFor(i)}. */
    private List<HttpResponse<String>> burst(java.util.function.IntFunction<String> forwardedFor) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(BURST);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<HttpResponse<String>>> futures = new ArrayList<>();
            for (int i = 0; i < BURST; i++) {
                int n = i;
                Callable<HttpResponse<String>> call = () -> {
                    go.await();
                    return register(forwardedFor.apply(n), null);
                };
                futures.add(pool.submit(call));
            }
            go.countDown();
            List<HttpResponse<String>> out = new ArrayList<>();
            for (Future<HttpResponse<String>> f : futures) {
                out.add(f.get());
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private static long created(List<HttpResponse<String>> responses) {
        return responses.stream().filter(r -> r.statusCode() == 201).count();
    }

    private long registeredClients() {
        return server.oauthlet().storage().clients().findAll().stream().filter(c -> c.origin() == Origin.REGISTRATION).count();
    }

    private static void assertLimited(HttpResponse<String> r) {
        assertEquals(429, r.statusCode(), r.body());
        assertEquals("600", r.headers().firstValue("Retry-After").orElse(null), "the window, in seconds");
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), r.headers().toString());
        assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(null));
        JsonNode body = ExampleFixtures.json(r.body());
        assertEquals("temporarily_unavailable", body.get("error").asText());
        assertEquals("too many registrations from this address without an initial access token; try again later",
                body.get("error_description").asText());
    }

    @Test
    void registerWhenConcurrentBurstFromOneForwardedAddressThenExactlyTheLimitIsRegisteredAndTheRest429() throws Exception {
        start("  trusted-proxies: [127.0.0.1]\n");

        List<HttpResponse<String>> responses = burst(i -> "203.0.113.7");

        assertEquals(LIMIT, created(responses), responses.stream().map(HttpResponse::statusCode).toList().toString());
        responses.stream().filter(r -> r.statusCode() != 201).forEach(OpenRegistrationLimitHttpTest::assertLimited);
        assertEquals(LIMIT, registeredClients(), "no refused registration left a client behind");
        // Another address, as the trusted proxy says, has its own count; an initial access token is not counted at all.
        assertEquals(201, register("198.51.100.9", null).statusCode());
        assertEquals(201, register("203.0.113.7", INITIAL_TOKEN).statusCode());
        assertLimited(register("203.0.113.7", null));
        assertEquals(LIMIT + 2, registeredClients());
    }

    @Test
    void registerWhenForwardedForComesFromAnUntrustedPeerThenItIsIgnoredAndTheConnectionsAddressIsCounted() throws Exception {
        start("");

        List<HttpResponse<String>> responses = burst(i -> "192.0.2." + (i + 1));

        assertEquals(LIMIT, created(responses), "made-up X-Forwarded-For values must not each get a limit of their own");
        responses.stream().filter(r -> r.statusCode() != 201).forEach(OpenRegistrationLimitHttpTest::assertLimited);
        assertEquals(LIMIT, registeredClients());
    }
}
