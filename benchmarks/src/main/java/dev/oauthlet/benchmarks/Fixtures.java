package dev.oauthlet.benchmarks;

import dev.oauthlet.Oauthlet;
import dev.oauthlet.OauthletBuilder;
import dev.oauthlet.config.OauthletConfig;
import dev.oauthlet.protocol.TokenRequest;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The server the benchmarks measure: one client credentials client, in-memory store, RS256. */
final class Fixtures {

    static final String CLIENT = "bench-client";
    static final String SECRET = "bench-secret";

    private Fixtures() {
    }

    static OauthletConfig config(String storageUrl) {
        return OauthletBuilder.readConfig("bench.yml", new ByteArrayInputStream(yaml(storageUrl).getBytes(StandardCharsets.UTF_8)), Set.of());
    }

    /** The configuration as a file holds it. */
    static String yaml(String storageUrl) {
        return """
                issuer: https://auth.bench.test
                storage:
                  url: "%s"
                  pool-size: 8
                audiences: [api]
                clients:
                  - id: %s
                    secret: %s
                    grants: [client_credentials, password, refresh_token]
                    scopes: [read, write]
                users:
                  - username: alice
                    password: alice-password
                """.formatted(storageUrl, CLIENT, SECRET);
    }

    static Oauthlet server(String storageUrl) {
        return Oauthlet.builder().config(config(storageUrl)).build();
    }

    static String basic() {
        return "Basic " + Base64.getEncoder().encodeToString((CLIENT + ":" + SECRET).getBytes(StandardCharsets.UTF_8));
    }

    static TokenRequest clientCredentials() {
        return TokenRequest.parse(Map.of("grant_type", List.of("client_credentials")), basic());
    }
}
