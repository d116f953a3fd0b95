package dev.oauthlet.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.oauthlet.crypto.SecretHasher;
import dev.oauthlet.spi.SigningKeyRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes on one PostgreSQL with a 4-second rotation period, under load, each fresh token taken
 * at one node presented at once to the other's Bearer filter: no refusal across a rotation, one
 * key per period for the cluster, and the same JWKS on both nodes.
 */
class KeyRotationAcrossNodesTest {

    private static final Duration PERIOD = Duration.ofSeconds(4);
    private static final Duration LEAD = PERIOD.dividedBy(2);
    private static final String CLIENT = Http.basic("backoffice-app", "backoffice-secret");

    @TempDir
    Path data;

    @Test
    void rotationWhenTwoNodesUnderLoadThenNoCrossNodeRefusalOneKeyPerPeriodAndIdenticalJwks() throws Exception {
        try (PostgresServer postgres = new PostgresServer(data.resolve("pg"))) {
            ExampleConfig config = SeedServer.yaml("""
                    issuer: http://oauthlet.rotation.test
                    storage:
                      url: "%s"
                      username: postgres
                    signing:
                      algorithm: ES256
                      rotation: 4s
                    audiences: [back-office]
                    clients:
                      - id: backoffice-app
                        secret-hash: %s
                        grants: [client_credentials]
                        audience: back-office
                    """.formatted(postgres.jdbcUrl(), new SecretHasher(1000).hash("backoffice-secret")));
            try (JettyExample.Running a = JettyExample.createServer(config, "127.0.0.1", 0);
                 JettyExample.Running b = JettyExample.createServer(config, "127.0.0.1", 0)) {
                assertEquals(Duration.ofSeconds(1), a.oauthlet().jwksMaxAge(), "JWKS caches expire within half the lead");
                AtomicBoolean running = new AtomicBoolean(true);
                AtomicInteger accepted = new AtomicInteger();
                List<String> refusals = Collections.synchronizedList(new ArrayList<>());
                ExecutorService load = Executors.newFixedThreadPool(4);
                List<Future<?>> loops = new ArrayList<>();
                JettyExample.Running[][] pairs = {{a, b}, {b, a}, {a, b}, {b, a}};
                for (JettyExample.Running[] pair : pairs) {
                    loops.add(load.submit(() -> {
                        while (running.get()) {
                            Http.Response t = Http.postForm(pair[0].url() + "/oauth/token", CLIENT, "grant_type=client_credentials");
                            assertEquals(200, t.status(), t.body());
                            Http.Response r = Http.get(pair[1].url() + "/api/back-office/me", "Bearer " + t.json().get("access_token").asText());
                            if (r.status() == 200) {
                                accepted.incrementAndGet();
                            } else {
                                refusals.add(r.status() + " " + r.header("WWW-Authenticate"));
                            }
                        }
                        return null;
                    }));
                }
                // Count periods from when the load runs: a period whose lead passes without any request gets no key of its own.
                long warmUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (accepted.get() < 10 && System.nanoTime() < warmUp) {
                    Thread.sleep(20);
                }
                Instant start = Instant.now();
                // Compare the JWKS of both nodes in the middle of each half period: after a publication, and after a switch.
                List<String> jwksDifferences = new ArrayList<>();
                int samples = 0;
                Instant end = start.plus(PERIOD.multipliedBy(3)).plus(PERIOD.dividedBy(4));
                while (Instant.now().isBefore(end)) {
                    long intoPeriod = Instant.now().toEpochMilli() % PERIOD.toMillis();
                    long quarter = PERIOD.toMillis() / 4;
                    long toNextSample = Math.floorMod(quarter - intoPeriod, LEAD.toMillis());
                    Thread.sleep(toNextSample == 0 ? LEAD.toMillis() : toNextSample);
                    Set<String> atA = kids(Http.get(a.url() + "/oauth/jwks", null).json());
                    Set<String> atB = kids(Http.get(b.url() + "/oauth/jwks", null).json());
                    samples++;
                    if (!atA.equals(atB)) {
                        jwksDifferences.add(atA + " vs " + atB);
                    }
                }
                running.set(false);
                for (Future<?> f : loops) {
                    f.get(30, TimeUnit.SECONDS);
                }
                load.shutdown();
                Instant stopped = Instant.now();

                assertEquals(List.of(), refusals, "fresh tokens refused by the other node (" + accepted.get() + " accepted)");
                assertTrue(accepted.get() > 20, "the load ran: " + accepted.get());
                // A node due to publish must never hold a JWKS response while it generates a key (an RSA one can take
                // seconds under this load): both nodes serve the same keys at every sample.
                assertEquals(List.of(), jwksDifferences, "JWKS of the two nodes differed in " + jwksDifferences.size() + " of " + samples
                        + " samples");
                assertTrue(samples >= 5, "samples taken: " + samples);

                Map<Instant, String> byStart = new TreeMap<>();
                Map<Instant, String> idTokenKeys = new TreeMap<>();
                for (SigningKeyRecord k : a.oauthlet().storage().signingKeys().findAll()) {
                    // The ID tokens' own RS256 keys (access tokens are ES256 here; made when the JWKS was first asked for) rotate on the same periods, 1 ms later.
                    (k.algorithm().equals("RS256") ? idTokenKeys : byStart).put(k.signsFrom(), k.kid());
                }
                for (Instant t : idTokenKeys.keySet()) {
                    assertEquals(1, t.toEpochMilli() % PERIOD.toMillis(), "an ID-token key off its boundary: " + idTokenKeys);
                }
                long first = Math.floorDiv(start.toEpochMilli(), PERIOD.toMillis()) + 1;
                long last = Math.floorDiv(stopped.toEpochMilli(), PERIOD.toMillis());
                for (long n = first; n <= last; n++) {
                    assertTrue(byStart.containsKey(Instant.ofEpochMilli(n * PERIOD.toMillis())), "a key for the period starting at "
                            + Instant.ofEpochMilli(n * PERIOD.toMillis()) + ": " + byStart);
                }
                long perPeriod = byStart.keySet().stream().filter(t -> t.toEpochMilli() % PERIOD.toMillis() == 0).count();
                // The first key signs from the start of the period the nodes started in; at most one more per boundary since.
                long firstKeyPeriod = Math.floorDiv(byStart.keySet().iterator().next().toEpochMilli(), PERIOD.toMillis());
                long allowed = Math.floorDiv(stopped.plus(LEAD).toEpochMilli(), PERIOD.toMillis()) - firstKeyPeriod + 1;
                assertTrue(perPeriod <= allowed && byStart.size() == perPeriod,
                        "one key per period, on its boundary, and no other: " + byStart);
            }
        }
    }

    private static Set<String> kids(JsonNode jwks) {
        Set<String> out = new TreeSet<>();
        jwks.get("keys").forEach(k -> out.add(k.get("kid").asText()));
        return out;
    }
}
