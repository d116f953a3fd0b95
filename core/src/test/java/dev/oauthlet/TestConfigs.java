package dev.oauthlet;

import dev.oauthlet.config.ConfigLoader;
import dev.oauthlet.config.OauthletConfig;
import dev.oauthlet.internal.SecretHasher;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/** Fixture factory: configurations parsed from YAML text, hashing secrets cheaply so tests stay fast. */
public final class TestConfigs {

    public static final Set<String> GRANTS = Set.of("client_credentials", "password", "refresh_token");
    public static final String ISSUER = "https://auth.example.test";

    private TestConfigs() {
    }

    public static OauthletConfig parse(String yaml) {
        return new ConfigLoader(GRANTS, new SecretHasher(1_000))
                .load("oauthlet.yml", new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    }

    /** Two audiences, one client credentials client each, in-memory storage. */
    public static OauthletConfig twoAudiences() {
        return parse("""
                issuer: %s
                audiences: [back-office, storefront]
                clients:
                  - id: backoffice-app
                    secret: backoffice-secret
                    grants: [client_credentials]
                    audience: back-office
                    scopes: [orders:read, orders:write]
                  - id: storefront-app
                    secret: storefront-secret
                    grants: [client_credentials]
                    audience: storefront
                    scopes: [catalog:read]
                  - id: password-only
                    secret: p-secret
                    grants: [password]
                    audience: storefront
                """.formatted(ISSUER));
    }

    public static Oauthlet server(OauthletConfig config) {
        return Oauthlet.builder().config(config).build();
    }
}
