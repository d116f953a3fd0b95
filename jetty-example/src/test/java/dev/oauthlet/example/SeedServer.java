package dev.oauthlet.example;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oauthlet.config.OauthletConfig;
import dev.oauthlet.config.TokensConfig;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Iterator;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An example server started for a test on a free loopback port, and a plain HTTP client that
 * sends requests exactly as a test spells them: no Content-Type unless the test gives one.
 */
final class SeedServer implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    final JettyExample.Running running;

    private SeedServer(JettyExample.Running running) {
        this.running = running;
    }

    /** Starts the example with {@code jetty-example/examples/NAME}, as {@code --config} would. */
    static SeedServer start(String name) throws Exception {
        return start(example(name));
    }

    /** Starts the example with {@code NAME}, its Oauthlet configuration changed by {@code change}. */
    static SeedServer start(String name, UnaryOperator<OauthletConfig> change) throws Exception {
        ExampleConfig e = example(name);
        return start(new ExampleConfig(change.apply(e.oauthlet()), e.resources()));
    }

    static SeedServer start(ExampleConfig config) throws Exception {
        return new SeedServer(JettyExample.createServer(config, "127.0.0.1", 0));
    }

    /** Reads an example file the way the example's {@code --config} does. */
    static ExampleConfig example(String name) {
        // Surefire runs in target/test-work (see the pom); the examples sit in the module directory.
        return ExampleConfig.read(Path.of(System.getProperty("basedir", "."), "examples", name));
    }

    /** Reads an example configuration from YAML text. */
    static ExampleConfig yaml(String text) {
        return ExampleConfig.read("test.yml", new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** {@code config} with its token policy changed, e.g. to short lifetimes a test can wait out. */
    static OauthletConfig withTokens(OauthletConfig c, UnaryOperator<TokensConfig> change) {
        return c.toBuilder().tokens(change.apply(c.tokens())).build();
    }

    JettyExample.Running running() {
        return running;
    }

    String url() {
        return running.url();
    }

    /** {@code POST path} with {@code body} and {@code headers} (name, value, name, value, ...). */
    Reply post(String path, String body, String... headers) throws Exception {
        return send("POST", path, body, headers);
    }

    /** {@code GET pathAndQuery} with {@code headers}. */
    Reply get(String pathAndQuery, String... headers) throws Exception {
        return send("GET", pathAndQuery, null, headers);
    }

    Reply send(String method, String pathAndQuery, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url() + pathAndQuery)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.headers(), r.body());
    }

    static String basic(String id, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    /** The claims of a JWT, read without verifying it (the server's verifier is tested elsewhere). */
    static JsonNode jwtClaims(String jwt) throws Exception {
        return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    }

    @Override
    public void close() throws Exception {
        running.close();
    }

    /** An HTTP answer. */
    record Reply(int status, HttpHeaders headers, String body) {

        JsonNode json() throws Exception {
            return JSON.readTree(body);
        }

        String text(String member) throws Exception {
            JsonNode n = json().get(member);
            return n == null ? null : n.asText();
        }

        Set<String> members() throws Exception {
            Set<String> names = new TreeSet<>();
            for (Iterator<String> it = json().fieldNames(); it.hasNext(); ) {
                names.add(it.next());
            }
            return names;
        }

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        /** Asserts the status, and that no cache may keep the answer (RFC 6749 §5.1). */
        Reply assertStatus(int expected) {
            assertEquals(expected, status, () -> "status " + status + ": " + body);
            assertEquals("no-store", header("Cache-Control"));
            assertEquals("no-cache", header("Pragma"));
            return this;
        }

        /** Asserts an RFC 6749 §5.2 error: the status, the code, JSON, no-store. */
        Reply assertError(int expectedStatus, String code) throws Exception {
            assertStatus(expectedStatus);
            assertEquals(code, text("error"), body);
            assertEquals("application/json;charset=utf-8", header("Content-Type").toLowerCase(java.util.Locale.ROOT).replace(" ", ""));
            return this;
        }
    }
}
