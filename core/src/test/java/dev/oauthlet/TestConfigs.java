package dev.oauthlet;

import dev.oauthlet.config.ConfigLoader;
import dev.oauthlet.config.OauthletConfig;
import dev.oauthlet.config.Placeholders;
import dev.oauthlet.crypto.SecretHasher;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/** Fixture factory: configurations parsed from YAML text, hashing secrets cheaply so tests stay fast. */
public final class TestConfigs {

    public static final Set<String> GRANTS = Set.of("client_credentials", "password", "refresh_token");
    public static final String ISSUER = "https://auth.example.test";
    /** Every grant on the class path, the authorization code grant among them. */
    public static final Set<String> DISCOVERED_GRANTS = OauthletBuilder.discoverGrantTypes(TestConfigs.class.getClassLoader());

    /**
     * Clients and a user for the authorization code flow: a confidential third-party client, a
     * public one, a first-party one, and one without the grant. ES256, as EC keys are made in
     * milliseconds where RSA keys take a good part of a second.
     */
    public static final String AUTHORIZATION_CODE = """
            issuer: https://auth.example.com
            signing:
              algorithm: ES256
            audiences: [back-office]
            scopes:
              orders:read: Read your orders
              orders:write: Create and change orders
            clients:
              - id: partner-app
                name: Partner Dashboard
                secret: partner-secret
                grants: [authorization_code, refresh_token]
                scopes: [orders:read, orders:write]
                default-scopes: [orders:read]
                access-token-ttl: 2h
                redirect-uris: [https://partner.example.com/callback, "https://partner.example.com/other?tab=1"]
              - id: mobile-app
                public: true
                grants: [authorization_code, refresh_token]
                scopes: [orders:read]
                redirect-uris: [http://127.0.0.1:7777/cb]
              - id: own-app
                first-party: true
                secret: own-secret
                grants: [authorization_code]
                scopes: [orders:read]
                redirect-uris: [https://own.example.com/cb]
              - id: machine
                secret: machine-secret
                grants: [client_credentials]
                redirect-uris: [https://machine.example.com/cb]
            users:
              - username: alice
                password: alice-password
                claims: {department: sales}
              - username: bob
                password: bob-password
              - username: carol
                password: carol-password
            authorization:
              login-failure-delay: 0s
              login-max-failures-per-user: 3
              login-max-failures-per-address: 5
            """;

    private TestConfigs() {
    }

    /** Parses {@code yaml} knowing every grant on the class path. */
    public static OauthletConfig load(String yaml) {
        return new ConfigLoader(DISCOVERED_GRANTS, new SecretHasher(1_000))
                .load("test.yml", new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    }

    public static OauthletConfig parse(String yaml) {
        return parse(yaml, Placeholders.fromSystem());
    }

    /** Parses {@code yaml} as {@code oauthlet.yml}, its placeholders taken from {@code env}. */
    public static OauthletConfig parse(String yaml, Placeholders env) {
        return new ConfigLoader(GRANTS, new SecretHasher(1_000), env)
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
