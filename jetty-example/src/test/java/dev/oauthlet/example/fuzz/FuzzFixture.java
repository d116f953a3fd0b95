package dev.oauthlet.example.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oauthlet.crypto.SecretHasher;
import dev.oauthlet.example.ExampleConfig;
import dev.oauthlet.example.JettyExample;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Tuple;

/**
 * The example under fuzzing — a confidential client with every token-endpoint grant, a web client
 * for the authorization endpoint, a user, a protected resource — and the tokens it issued before
 * fuzzing began, from which generators draw and mutate token strings.
 */
final class FuzzFixture implements AutoCloseable {

    static final String CLIENT = "app";
    static final String SECRET = "app-secret";
    static final String WEB = "web";
    static final String CALLBACK = "http://127.0.0.1:9/cb";
    static final String USER = "alice";
    static final String PASSWORD = "alice-password";
    static final Set<String> SCOPES_OK = Set.of("read", "write", "read write", "write read");
    static final String FORM = "application/x-www-form-urlencoded";
    static final ObjectMapper JSON = new ObjectMapper();
    /** The initial access token of dynamic client registration. */
    static final String INITIAL_TOKEN = "fuzz-initial-access-token-0123456789";

    final JettyExample.Running server;
    /** Access tokens issued to {@link #CLIENT} for the resource's audience. */
    final List<String> accessTokens = new ArrayList<>();
    /** Refresh tokens issued to {@link #CLIENT}; the fuzzer rotates and revokes some of them. */
    final List<String> refreshTokens = new ArrayList<>();
    /** A client registered through {@code /oauth/register} before fuzzing, and its registration access token. */
    String registeredId;
    String registrationToken;

    private FuzzFixture(JettyExample.Running server) {
        this.server = server;
    }

    static FuzzFixture start() throws Exception {
        SecretHasher cheap = new SecretHasher(1000);
        String yaml = """
                signing: {algorithm: ES256}
                audiences: [api]
                authorization:
                  login-failure-delay: 0s
                  login-max-failures-per-user: 1000
                  login-max-failures-per-address: 1000
                clients:
                  - id: app
                    secret-hash: "%s"
                    grants: [client_credentials, password, refresh_token]
                    audience: api
                    scopes: [read, write]
                    refresh-token-for-client-credentials: true
                  - id: web
                    secret-hash: "%s"
                    grants: [authorization_code, refresh_token]
                    audience: api
                    scopes: [read, write]
                    redirect-uris: [%s]
                users:
                  - username: alice
                    password-hash: "%s"
                metrics: {enabled: true}
                registration:
                  initial-access-token: %s
                  policy: {grants: [client_credentials, authorization_code, refresh_token], scopes: [read, write]}
                example:
                  resources: [{path: /api/*, audience: api, filter: {revocation-check: "true"}}]
                """.formatted(cheap.hash(SECRET), cheap.hash("web-secret"), CALLBACK, cheap.hash(PASSWORD), INITIAL_TOKEN);
        ExampleConfig config = ExampleConfig.read("fuzz.yml", new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
        FuzzFixture f = new FuzzFixture(JettyExample.createServer(config, "127.0.0.1", 0));
        for (int i = 0; i < 4; i++) {
            f.issue("grant_type=client_credentials");
            f.issue("grant_type=password&username=" + USER + "&password=" + PASSWORD);
        }
        f.register();
        return f;
    }

    int port() {
        return server.port();
    }

    /** Asks for a token with correct client credentials; throws when the server does not give one. */
    JsonNode issue(String form) throws Exception {
        RawHttp.Answer a = RawHttp.send(port(), new FuzzRequest("POST", "/oauth/token",
                List.of(Map.entry("Authorization", basic(CLIENT, SECRET)), Map.entry("Content-Type", FORM)),
                form.getBytes(StandardCharsets.UTF_8), true, "fixture"));
        if (a.status() != 200) {
            throw new AssertionError("the fixture's token request failed: " + a);
        }
        JsonNode json = JSON.readTree(a.body());
        accessTokens.add(json.get("access_token").asText());
        if (json.has("refresh_token")) {
            refreshTokens.add(json.get("refresh_token").asText());
        }
        return json;
    }

    /** Registers a client for the registration target's read, replace and delete requests. */
    private void register() throws Exception {
        RawHttp.Answer a = RawHttp.send(port(), new FuzzRequest("POST", "/oauth/register",
                List.of(Map.entry("Authorization", "Bearer " + INITIAL_TOKEN), Map.entry("Content-Type", "application/json")),
                "{\"grant_types\": [\"client_credentials\"]}".getBytes(StandardCharsets.UTF_8), true, "fixture"));
        if (a.status() != 201) {
            throw new AssertionError("the fixture's registration failed: " + a);
        }
        JsonNode json = JSON.readTree(a.body());
        registeredId = json.get("client_id").asText();
        registrationToken = json.get("registration_access_token").asText();
    }

    /** Whether {@code token} is, unchanged, one this fixture was issued. */
    boolean issued(String token) {
        return accessTokens.contains(token) || refreshTokens.contains(token);
    }

    static String basic(String id, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    /** Issued tokens, mutated ones (a flipped character, cut, extended, re-headed) and made-up strings. */
    Arbitrary<String> tokenStrings() {
        Arbitrary<String> issued = Arbitraries.of(all());
        // Not a segment's last character: its low bits may be base64 padding, so a flip there can leave the bytes alone.
        Arbitrary<String> flipped = issued.flatMap(t -> Arbitraries.integers().between(0, t.length() - 2)
                .map(i -> t.charAt(i + 1) == '.' ? Math.max(0, i - 1) : i)
                .map(i -> t.substring(0, i) + (t.charAt(i) == 'A' ? 'B' : 'A') + t.substring(i + 1)));
        Arbitrary<String> cut = issued.flatMap(t -> Arbitraries.integers().between(0, t.length() - 1).map(i -> t.substring(0, i)));
        Arbitrary<String> jwts = issued.filter(t -> t.chars().filter(c -> c == '.').count() == 2);
        List<Tuple.Tuple2<Integer, Arbitrary<String>>> kinds = List.of(
                Tuple.of(3, issued),
                Tuple.of(3, flipped),
                Tuple.of(1, cut),
                Tuple.of(1, issued.map(t -> t + "x")),
                Tuple.of(1, jwts.map(FuzzFixture::withAlgNone)),
                Tuple.of(1, jwts.map(t -> t.substring(0, t.lastIndexOf('.') + 1))),
                Tuple.of(2, Arbitraries.strings().ofMaxLength(80)),
                Tuple.of(1, Arbitraries.strings().withChars("abcdefABCDEF0123456789-_.").ofMinLength(20).ofMaxLength(400)),
                Tuple.of(1, Arbitraries.of("", " ", "null", "undefined", "%00", "\u0000", "a".repeat(9000), "ä€𝄞", "Bearer ", "..", "e30.e30.")));
        return Arbitraries.frequencyOf(kinds);
    }

    private List<String> all() {
        List<String> all = new ArrayList<>(accessTokens);
        all.addAll(refreshTokens);
        return all;
    }

    /** The token with its header replaced by {@code {"alg":"none"}} and its signature dropped. */
    static String withAlgNone(String jwt) {
        String header = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\",\"typ\":\"at+jwt\"}".getBytes(StandardCharsets.UTF_8));
        String[] parts = jwt.split("\\.");
        return header + "." + parts[1] + ".";
    }

    @Override
    public void close() throws Exception {
        server.close();
    }
}
