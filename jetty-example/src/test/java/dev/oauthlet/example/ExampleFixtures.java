package dev.oauthlet.example;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oauthlet.OauthletBuilder;
import dev.oauthlet.config.ConfigLoader;
import dev.oauthlet.config.OauthletConfig;
import dev.oauthlet.config.SigningConfig;
import dev.oauthlet.crypto.SecretHasher;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** The example's configuration made cheap for tests, and plain HTTP calls against a running example. */
final class ExampleFixtures {

    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final ObjectMapper JSON = new ObjectMapper();

    private ExampleFixtures() {
    }

    /** The test configuration with {@code algorithm} signing. */
    static OauthletConfig config(String algorithm) {
        try (InputStream in = ExampleFixtures.class.getClassLoader().getResourceAsStream("oauthlet-test.yml")) {
            OauthletConfig c = new ConfigLoader(OauthletBuilder.discoverGrantTypes(ExampleFixtures.class.getClassLoader()),
                    new SecretHasher(1000)).load("oauthlet-test.yml", in);
            return c.toBuilder().signing(new SigningConfig(algorithm, null, null, null)).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }

    static String token(JettyExample.Running server, String clientId, String secret) {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(server.url() + "/oauth/token"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build());
        if (r.statusCode() != 200) {
            throw new AssertionError("token request failed: " + r.statusCode() + " " + r.body());
        }
        return json(r.body()).get("access_token").asText();
    }

    static HttpResponse<String> getWithBearer(String url, String token) {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).GET().build());
    }
}
