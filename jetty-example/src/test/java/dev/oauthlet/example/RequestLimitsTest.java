package dev.oauthlet.example;

import dev.oauthlet.example.SeedServer.Reply;
import dev.oauthlet.crypto.SecretHasher;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the example accepts from the network, over real sockets: the slow-body attack, connections
 * per address, and every kind of malformed or oversized input answered as RFC 6749 JSON with the
 * accurate status — never a 500, never a hung thread.
 */
class RequestLimitsTest {

    static final String FORM = "application/x-www-form-urlencoded";
    static final String APP = SeedServer.basic("app", "app-secret");

    static SeedServer server;

    @BeforeAll
    static void start() throws Exception {
        server = SeedServer.start(SeedServer.yaml("""
                signing: {algorithm: ES256}
                audiences: [api]
                clients:
                  - id: app
                    secret-hash: "%s"
                    grants: [client_credentials]
                    scopes: [read]
                """.formatted(new SecretHasher(1000).hash("app-secret"))));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    /**
     * 200 connections from one address send {@code Content-Length: 1000} and then a byte every
     * 4 s. Ordinary clients from another address keep getting tokens at once; the attacker's
     * connections beyond the per-address limit are closed, and the admitted ones answered 408
     * when the read deadline passes.
     */
    @Test
    @Timeout(60)
    void tokenWhenSlowBodyAttackFromOneAddressThenOtherClientsStillServedAndAttackerRefused() throws Exception {
        InetAddress attacker = InetAddress.getByName("127.0.0.2");
        int port = server.running.port();
        List<Socket> sockets = new ArrayList<>();
        ScheduledExecutorService dribble = Executors.newSingleThreadScheduledExecutor();
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
        try {
            byte[] head = ("POST /oauth/token HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + APP + "\r\nContent-Type: " + FORM
                    + "\r\nContent-Length: 1000\r\n\r\ng").getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 200; i++) {
                Socket s = new Socket();
                s.bind(new InetSocketAddress(attacker, 0));
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
                try {
                    s.getOutputStream().write(head);
                } catch (IOException closedAlready) {
                    // Over the per-address limit: the server may close before the write.
                }
                sockets.add(s);
            }
            long start = System.nanoTime();
            dribble.scheduleAtFixedRate(() -> sockets.forEach(RequestLimitsTest::dribble), 4, 4, TimeUnit.SECONDS);

            // While the attack goes on, and past the deadline, an ordinary client is served at once, every time.
            long worst = 0;
            while (System.nanoTime() - start < Duration.ofSeconds(12).toNanos()) {
                long t = System.nanoTime();
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(server.running.url() + "/oauth/token"))
                        .timeout(Duration.ofSeconds(5)).header("Authorization", APP).header("Content-Type", FORM)
                        .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode(), r.body());
                worst = Math.max(worst, System.nanoTime() - t);
                Thread.sleep(500);
            }
            assertTrue(worst < Duration.ofSeconds(3).toNanos(), "slowest token request during the attack: " + worst / 1_000_000 + " ms");

            int closed = 0;
            int timedOut = 0;
            List<String> other = new ArrayList<>();
            long readUntil = start + Duration.ofSeconds(20).toNanos();
            for (Socket s : sockets) {
                String status = statusLine(s, readUntil);
                if (status == null) {
                    closed++;
                } else if (status.startsWith("HTTP/1.1 408")) {
                    timedOut++;
                } else {
                    other.add(status);
                }
            }
            assertEquals(List.of(), other, "answers other than 408 or a closed connection");
            assertTrue(closed >= 200 - 64, "connections beyond the per-address limit closed: " + closed);
            assertEquals(200, closed + timedOut);
            assertTrue(timedOut > 0, "the admitted slow bodies are answered 408");
        } finally {
            dribble.shutdownNow();
            for (Socket s : sockets) {
                s.close();
            }
        }
        server.post("/oauth/token", "grant_type=client_credentials", "Authorization", APP, "Content-Type", FORM).assertStatus(200);
    }

    @Test
    void tokenWhenManyConnectionsOneAfterAnotherThenNoneRefused() throws Exception {
        // Closed connections must leave the per-address count, even though a closed socket no longer knows its peer.
        byte[] request = ("POST /oauth/token HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: " + APP
                + "\r\nContent-Type: " + FORM + "\r\nContent-Length: 29\r\n\r\ngrant_type=client_credentials").getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < 150; i++) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.running.port())) {
                s.getOutputStream().write(request);
                assertEquals("HTTP/1.1 200 OK", statusLine(s, System.nanoTime() + Duration.ofSeconds(5).toNanos()), "connection " + i);
            }
        }
    }

    private static void dribble(Socket s) {
        try {
            OutputStream out = s.getOutputStream();
            out.write('x');
            out.flush();
        } catch (IOException closed) {
            // Refused or answered: nothing more to send.
        }
    }

    /** The status line the server sent on {@code s}, or {@code null} if it closed without one. */
    private static String statusLine(Socket s, long untilNanos) throws IOException {
        StringBuilder line = new StringBuilder();
        try {
            InputStream in = s.getInputStream();
            while (true) {
                long left = Math.max(1, (untilNanos - System.nanoTime()) / 1_000_000);
                s.setSoTimeout((int) Math.min(left, Integer.MAX_VALUE));
                int c = in.read();
                if (c < 0 || c == '\n') {
                    return line.length() == 0 ? null : line.toString().strip();
                }
                line.append((char) c);
            }
        } catch (SocketTimeoutException e) {
            return "no answer before the deadline (" + line + ")";
        } catch (IOException reset) {
            return line.length() == 0 ? null : line.toString().strip();
        }
    }

    private static Reply token(String contentType, byte[] body) throws Exception {
        return raw("/oauth/token", contentType, body);
    }

    private static Reply raw(String path, String contentType, byte[] body) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.running.url() + path))
                .header("Authorization", APP).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.headers(), r.body());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void tokenWhenFormBodyNotUtf8ThenInvalidRequest() throws Exception {
        Reply r = token(FORM, bytes("grant_type=client_credentials&scope=\u00c3\u0028"));
        r.assertError(400, "invalid_request");
        assertEquals("the request is not valid UTF-8", r.text("error_description"));
    }

    @Test
    void tokenWhenPercentEscapesNotUtf8ThenInvalidRequest() throws Exception {
        token(FORM, bytes("grant_type=client_credentials&scope=%C3%28")).assertError(400, "invalid_request");
    }

    @Test
    void tokenWhenPercentEncodingMalformedThenInvalidRequest() throws Exception {
        Reply r = token(FORM, bytes("grant_type=client_credentials&scope=%zz"));
        r.assertError(400, "invalid_request");
        assertEquals("the parameters are not properly percent-encoded", r.text("error_description"));
        token(FORM, bytes("grant_type=client_credentials&scope=%4")).assertError(400, "invalid_request");
    }

    @Test
    void tokenWhenJsonNotAnObjectThenInvalidRequest() throws Exception {
        for (String body : List.of("[\"grant_type\"]", "\"client_credentials\"", "12", "null")) {
            Reply r = token("application/json", bytes(body));
            r.assertError(400, "invalid_request");
            assertEquals("the body must be a JSON object", r.text("error_description"), body);
        }
    }

    @Test
    void tokenWhenJsonObjectFollowedByGarbageThenInvalidRequest() throws Exception {
        // Found by EndpointFuzzTest: Jackson's readTree stops after the first value unless told otherwise.
        Reply r = token("application/json", bytes("{\"grant_type\": \"client_credentials\"}}%G"));
        r.assertError(400, "invalid_request");
        assertEquals("the body is not valid JSON", r.text("error_description"));
    }

    @Test
    void tokenWhenScopeEndsInControlCharacterThenInvalidScope() throws Exception {
        // Found by EndpointFuzzTest: trim() turned "read\0" into "read".
        token(FORM, bytes("grant_type=client_credentials&scope=read%00")).assertError(400, "invalid_scope");
        token(FORM, bytes("grant_type=client_credentials&scope=%09")).assertError(400, "invalid_scope");
    }

    @Test
    void tokenWhenJsonProtocolParameterNotAStringThenInvalidRequest() throws Exception {
        for (String value : List.of("true", "1", "[\"client_credentials\"]", "{\"a\": 1}")) {
            Reply r = token("application/json", bytes("{\"grant_type\": " + value + "}"));
            r.assertError(400, "invalid_request");
            assertEquals("parameter 'grant_type' must be a string", r.text("error_description"), value);
        }
    }

    @Test
    void tokenWhenJsonNotUtf8ThenInvalidRequest() throws Exception {
        token("application/json", bytes("{\"grant_type\": \"client_credentials\", \"scope\": \"\u00ff\u00fe\"}"))
                .assertError(400, "invalid_request");
    }

    @Test
    void tokenWhenTooManyParametersThenInvalidRequest() throws Exception {
        StringBuilder b = new StringBuilder("grant_type=client_credentials");
        for (int i = 0; i < 64; i++) {
            b.append("&p").append(i).append("=x");
        }
        Reply r = token(FORM, bytes(b.toString()));
        r.assertError(400, "invalid_request");
        assertEquals("more than 64 parameters", r.text("error_description"));
    }

    @Test
    void tokenWhenParameterValueTooLongThenInvalidRequest() throws Exception {
        Reply r = token(FORM, bytes("grant_type=client_credentials&scope=" + "r".repeat(8 * 1024 + 1)));
        r.assertError(400, "invalid_request");
        assertEquals("parameter 'scope' is longer than 8192 characters", r.text("error_description"));
    }

    @Test
    void tokenWhenParameterNameTooLongThenInvalidRequest() throws Exception {
        token(FORM, bytes("grant_type=client_credentials&" + "n".repeat(129) + "=1")).assertError(400, "invalid_request");
    }

    @Test
    void tokenWhenCharsetNotUtf8ThenUnsupportedMediaType() throws Exception {
        token(FORM + "; charset=ISO-8859-1", bytes("grant_type=client_credentials")).assertError(415, "invalid_request");
        token(FORM + "; charset=UTF-8", bytes("grant_type=client_credentials")).assertStatus(200);
    }

    @Test
    void revocationAndIntrospectionWhenBodyTooLargeThenPayloadTooLarge() throws Exception {
        for (String path : List.of("/oauth/revoke", "/oauth/introspect")) {
            raw(path, FORM, bytes("token=" + "t".repeat(20_000))).assertError(413, "invalid_request");
        }
    }

    @Test
    void tokenWhenDeclaredBodyHugeThenPayloadTooLargeAtOnce() throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.running.port())) {
            s.getOutputStream().write(("POST /oauth/token HTTP/1.1\r\nHost: x\r\nContent-Type: " + FORM
                    + "\r\nContent-Length: 100000000\r\n\r\ngrant_type=").getBytes(StandardCharsets.US_ASCII));
            assertEquals("HTTP/1.1 413 Payload Too Large", statusLine(s, System.nanoTime() + Duration.ofSeconds(5).toNanos()));
        }
    }

    @Test
    void tokenWhenHeadersTooLargeThenJsonInvalidRequest() throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.running.port())) {
            s.getOutputStream().write(("POST /oauth/token HTTP/1.1\r\nHost: x\r\nX-Padding: " + "p".repeat(10_000)
                    + "\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(answer.startsWith("HTTP/1.1 431 "), answer);
            assertTrue(answer.contains("application/json"), answer);
            assertTrue(answer.endsWith("{\"error\":\"invalid_request\",\"error_description\":\"the request headers are too large\"}"), answer);
        }
    }

    @Test
    void tokenWhenRequestLineMalformedThenJsonInvalidRequest() throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.running.port())) {
            s.getOutputStream().write("POST /oauth/%zztoken HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(answer.startsWith("HTTP/1.1 400 "), answer);
            assertTrue(answer.contains("\"error\":\"invalid_request\""), answer);
        }
    }
}
