package dev.oauthlet;

import dev.oauthlet.config.ConfigLoader;
import dev.oauthlet.config.OauthletConfig;
import dev.oauthlet.crypto.SecretHasher;
import dev.oauthlet.error.ErrorCode;
import dev.oauthlet.error.OAuthException;
import dev.oauthlet.protocol.TokenRequest;
import dev.oauthlet.protocol.TokenResponse;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Fixtures for core tests: servers built from YAML with cheap secret hashing, ES256 keys (fast to
 * generate), in-memory storage and a hand-moved clock, and short ways to send token requests.
 */
public final class TestServers {

    public static final String ISSUER = "https://auth.test";
    /** Hashing cost for test configurations: PBKDF2's real cost would make every test slow. */
    public static final SecretHasher CHEAP = new SecretHasher(1000);

    private TestServers() {
    }

    /** Parses {@code yaml} the way the server would, knowing the built-in grants. */
    public static OauthletConfig config(String yaml) {
        Set<String> grants = OauthletBuilder.discoverGrantTypes(TestServers.class.getClassLoader());
        return new ConfigLoader(grants, CHEAP).load("test.yml",
                new ByteArrayInputStream(("signing: {algorithm: ES256}\n" + yaml).getBytes(StandardCharsets.UTF_8)));
    }

    /** A server for {@code yaml} on {@code clock}. */
    public static Oauthlet server(String yaml, MutableClock clock) {
        return server(yaml, clock, b -> { });
    }

    /** A server for {@code yaml} on {@code clock}, the builder adjusted by {@code tweak} first. */
    public static Oauthlet server(String yaml, MutableClock clock, Consumer<OauthletBuilder> tweak) {
        OauthletBuilder b = Oauthlet.builder().config(config(yaml)).issuer(ISSUER).clock(clock);
        tweak.accept(b);
        return b.build();
    }

    /** Raw parameters from name/value pairs, each once. */
    public static Map<String, List<String>> params(String... nameValues) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            m.computeIfAbsent(nameValues[i], k -> new java.util.ArrayList<>()).add(nameValues[i + 1]);
        }
        return m;
    }

    /** A token request with no Authorization header. */
    public static TokenResponse token(Oauthlet server, String... nameValues) {
        return server.token(TokenRequest.parse(params(nameValues), null));
    }

    /** A token request with an Authorization header. */
    public static TokenResponse tokenWith(Oauthlet server, String authorization, String... nameValues) {
        return server.token(TokenRequest.parse(params(nameValues), authorization));
    }

    /** {@code Basic base64(id:secret)}, form-urlencoded first as RFC 6749 §2.3.1 says. */
    public static String basic(String id, String secret) {
        String pair = java.net.URLEncoder.encode(id, StandardCharsets.UTF_8) + ":"
                + java.net.URLEncoder.encode(secret, StandardCharsets.UTF_8);
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    public static String bearer(String token) {
        return "Bearer " + token;
    }

    /** Asserts that {@code call} is refused with {@code code}, and returns the refusal. */
    public static OAuthException assertRefused(ErrorCode code, Executable call) {
        OAuthException e = assertThrows(OAuthException.class, call);
        assertEquals(code, e.error(), () -> "expected " + code.code() + " but got " + e.getMessage());
        return e;
    }
}
