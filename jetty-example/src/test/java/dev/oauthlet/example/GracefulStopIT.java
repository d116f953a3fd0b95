package dev.oauthlet.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oauthlet.example.OneShotHttp.Kind;
import dev.oauthlet.example.OneShotHttp.Outcome;
import dev.oauthlet.crypto.SecretHasher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM to the example jar, running as a process on an H2 file, in the middle of mixed traffic
 * (refresh chains, client_credentials, protected resource calls, JWKS), then a restart on the
 * same file: every request the server had accepted before the signal gets its whole answer, none
 * a 5xx; every refresh family still refreshes after the restart; one log line tells of the stop.
 */
class GracefulStopIT {

    private static final int CHAINS = 6;
    private static final String SHOP = Http.basic("shop-app", "shop-secret");
    private static final String BACK_OFFICE = Http.basic("backoffice-app", "backoffice-secret");

    @TempDir
    Path dir;

    private Path config() throws Exception {
        String stopTimeout = System.getProperty("graceful-stop-it.stop-timeout", "10s");
        SecretHasher cheap = new SecretHasher(1000);
        Path file = dir.resolve("oauthlet.yml");
        Files.writeString(file, """
                storage:
                  url: jdbc:h2:file:%s
                  username: sa
                tokens:
                  refresh-token-reuse-grace: 1s
                server:
                  stop-timeout: %s
                audiences: [back-office, storefront]
                clients:
                  - id: backoffice-app
                    secret-hash: %s
                    grants: [client_credentials]
                    audience: back-office
                    scopes: [orders:read]
                  - id: slow-app
                    secret-hash: %s
                    grants: [client_credentials]
                    audience: back-office
                  - id: shop-app
                    secret-hash: %s
                    grants: [password, refresh_token]
                    audience: storefront
                    scopes: [cart:write]
                users:
                  - username: alice
                    password-hash: %s
                """.formatted(dir.resolve("db/oauthlet").toString().replace('\\', '/'), stopTimeout, cheap.hash("backoffice-secret"),
                new SecretHasher().hash("slow-secret"),
                cheap.hash("shop-secret"), cheap.hash("alice-password")));
        return file;
    }

    @Test
    void sigtermWhenUnderMixedLoadThenNoAcceptedRequestCutNo5xxAndEveryFamilySurvivesTheRestart() throws Exception {
        Path config = config();
        List<String> chains = new ArrayList<>();
        String lostOriginal;
        String lostSuccessor;
        List<Outcome> beforeSignal = Collections.synchronizedList(new ArrayList<>());
        List<Outcome> afterSignal = Collections.synchronizedList(new ArrayList<>());
        AtomicLong signalAt = new AtomicLong(Long.MAX_VALUE);
        ExampleProcess first = ExampleProcess.start(config, dir, "first.log");
        try {
            int port = first.port();
            for (int i = 0; i < CHAINS; i++) {
                chains.add(login(port));
            }
            // A lost answer: the rotation commits, the client never reads its successor.
            lostOriginal = login(port);
            lostSuccessor = refresh(port, lostOriginal).json().get("refresh_token").asText();
            String access = OneShotHttp.exchange(port, "POST", "/oauth/token", BACK_OFFICE, "grant_type=client_credentials")
                    .json().get("access_token").asText();

            AtomicBoolean running = new AtomicBoolean(true);
            ExecutorService load = Executors.newFixedThreadPool(CHAINS + 4);
            List<Future<?>> loops = new ArrayList<>();
            for (int i = 0; i < CHAINS; i++) {
                int chain = i;
                loops.add(load.submit(() -> {
                    while (running.get()) {
                        Outcome o = refresh(port, chains.get(chain));
                        record(o, signalAt, beforeSignal, afterSignal);
                        if (o.kind() != Kind.ANSWERED) {
                            return null;
                        }
                        if (o.status() == 200) {
                            chains.set(chain, o.json().get("refresh_token").asText());
                        }
                    }
                    return null;
                }));
            }
            String[][] others = {
                {"POST", "/oauth/token", BACK_OFFICE, "grant_type=client_credentials"},
                {"GET", "/api/back-office/me", "Bearer " + access, null},
                {"GET", "/api/back-office/me", "Bearer " + access, null},
                {"GET", "/oauth/jwks", null, null},
            };
            for (String[] r : others) {
                loops.add(load.submit(() -> {
                    while (running.get()) {
                        Outcome o = OneShotHttp.exchange(port, r[0], r[1], r[2], r[3]);
                        record(o, signalAt, beforeSignal, afterSignal);
                        if (o.kind() != Kind.ANSWERED) {
                            return null;
                        }
                    }
                    return null;
                }));
            }
            // Enough traffic that requests are in flight at the signal, however slow this machine is today.
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (beforeSignal.size() < 300 && System.nanoTime() < until) {
                Thread.sleep(50);
            }
            // A request surely in flight at the signal: a client's first secret check is a full PBKDF2 run (600,000 rounds).
            ExecutorService slowClient = Executors.newSingleThreadExecutor();
            Future<Outcome> slow = slowClient.submit(() -> OneShotHttp.exchange(port, "POST", "/oauth/token",
                    Http.basic("slow-app", "slow-secret"), "grant_type=client_credentials"));
            Thread.sleep(100);
            signalAt.set(System.nanoTime());
            first.terminate();
            int exit = first.awaitExit(30);
            running.set(false);
            for (Future<?> f : loops) {
                f.get(30, TimeUnit.SECONDS);
            }
            load.shutdown();
            Outcome slowAnswer = slow.get(30, TimeUnit.SECONDS);
            slowClient.shutdown();
            assertEquals(200, slowAnswer.status(), "the request in flight at the signal is answered: " + slowAnswer);
            beforeSignal.add(slowAnswer);
            assertEquals(143, exit, "the JVM's exit status after SIGTERM");
        } finally {
            first.close();
        }

        List<Outcome> broken = beforeSignal.stream().filter(o -> o.kind() != Kind.ANSWERED || o.status() >= 500).toList();
        assertEquals(List.of(), broken, "requests the server had before the signal: each gets its whole answer, none a 5xx");
        assertTrue(beforeSignal.size() >= 100, "the load ran: " + beforeSignal.size() + " requests before the signal");
        List<Outcome> failed = afterSignal.stream().filter(o -> o.kind() == Kind.ANSWERED && o.status() >= 500).toList();
        assertEquals(List.of(), failed, "requests connected after the signal are refused or answered, never a 5xx");
        List<Outcome> refused = beforeSignal.stream().filter(o -> o.kind() == Kind.ANSWERED && o.status() != 200).toList();
        assertEquals(List.of(), refused, "nothing refused under load");

        List<String> log = first.logLines();
        System.out.printf("GracefulStopIT: %d requests connected before SIGTERM, %d after (%d refused, %d cut, %d answered); %s%n",
                beforeSignal.size(), afterSignal.size(), afterSignal.stream().filter(o -> o.kind() == Kind.REFUSED).count(),
                afterSignal.stream().filter(o -> o.kind() == Kind.CUT).count(),
                afterSignal.stream().filter(o -> o.kind() == Kind.ANSWERED).count(),
                log.stream().filter(l -> l.contains("Oauthlet stopped in")).findFirst().orElse("no stop line"));
        List<String> stopped = log.stream().filter(l -> l.contains("Oauthlet stopped in")).toList();
        assertEquals(1, stopped.size(), String.join("\n", log));
        java.util.regex.Matcher drained = java.util.regex.Pattern.compile(": (\\d+) requests in flight finished, store closed$").matcher(stopped.get(0));
        assertTrue(drained.find() && Integer.parseInt(drained.group(1)) >= 1, "the stop waited for the slow request: " + stopped.get(0));
        assertTrue(log.stream().noneMatch(l -> l.contains("Exception") || l.startsWith("\tat ") || l.contains(" ERROR ")),
                "a graceful stop logs no error:\n" + String.join("\n", log));

        try (ExampleProcess second = ExampleProcess.start(config, dir, "second.log")) {
            int lost = 0;
            for (String token : chains) {
                Outcome o = refresh(second.port(), token);
                if (o.status() != 200) {
                    lost++;
                }
            }
            assertEquals(0, lost, "refresh families lost across the stop");
            Outcome retry = refresh(second.port(), lostOriginal);
            assertEquals(200, retry.status(), retry.toString());
            assertEquals(lostSuccessor, retry.json().get("refresh_token").asText(), "a lost answer is answered again, not treated as theft");
            Outcome next = refresh(second.port(), lostSuccessor);
            assertEquals(200, next.status(), next.toString());
            assertNotEquals(lostSuccessor, next.json().get("refresh_token").asText());
        }
    }

    private static void record(Outcome o, AtomicLong signalAt, List<Outcome> before, List<Outcome> after) {
        (o.connectedNanos() < signalAt.get() ? before : after).add(o);
    }

    private static String login(int port) {
        Outcome o = OneShotHttp.exchange(port, "POST", "/oauth/token", SHOP,
                "grant_type=password&username=alice&password=alice-password");
        assertEquals(200, o.status(), o.toString());
        return o.json().get("refresh_token").asText();
    }

    private static Outcome refresh(int port, String token) {
        return OneShotHttp.exchange(port, "POST", "/oauth/token", SHOP, "grant_type=refresh_token&refresh_token=" + token);
    }
}
