package dev.oauthlet.example;

import dev.oauthlet.OauthletBuilder;
import dev.oauthlet.config.ConfigLoader;
import dev.oauthlet.config.OauthletConfig;
import dev.oauthlet.crypto.SecretHasher;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/** Configurations for the example's tests, with secrets hashed at the cheapest cost so tests stay fast. */
final class ExampleConfigs {

    static final Set<String> GRANTS = OauthletBuilder.discoverGrantTypes(ExampleConfigs.class.getClassLoader());

    private ExampleConfigs() {
    }

    /**
     * The authorization code flow as seed 003 describes it: a confidential third-party client
     * whose code exchange returns a refresh token and {@code expires_in: 7200}; a first-party
     * public client; two users.
     *
     * @param callback the redirect URI both clients register
     * @param extra    more YAML appended at the top level
     */
    static OauthletConfig authorizationCode(String callback, String extra) {
        return authorizationCode(callback, "", extra);
    }

    /** The same, with {@code pages} more keys under {@code pages:} (indented by two spaces). */
    static OauthletConfig authorizationCode(String callback, String pages, String extra) {
        String yaml = """
                signing:
                  algorithm: ES256
                audiences: [back-office]
                scopes:
                  orders:read: See your orders and their delivery status
                  orders:write: Create, change and cancel orders for you
                pages:
                  name: Acme
                clients:
                  - id: partner-app
                    name: Partner Dashboard
                    secret: partner-secret
                    grants: [authorization_code, refresh_token]
                    audience: back-office
                    scopes: [orders:read, orders:write]
                    access-token-ttl: 2h
                    redirect-uris: [CALLBACK]
                  - id: own-app
                    name: Acme Mobile
                    public: true
                    first-party: true
                    grants: [authorization_code]
                    audience: back-office
                    scopes: [orders:read]
                    redirect-uris: [CALLBACK]
                users:
                  - username: alice
                    password: alice-password
                  - username: bob
                    password: bob-password
                """.replace("CALLBACK", callback).replace("  name: Acme\n", "  name: Acme\n" + pages) + extra;
        return new ConfigLoader(GRANTS, new SecretHasher(1000)).load("test.yml", new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * OpenID Connect sign-in: a relying party {@code rp-app} asking for {@code openid} and the
     * standard scopes, a stricter one ({@code strict-rp}: a nonce in every request, a registered
     * post-logout URI), alice with a subject of her own and userinfo claims, bob without any.
     *
     * @param algorithm {@code signing.algorithm} of the access tokens; ID tokens are RS256 whatever it is
     */
    static OauthletConfig openIdConnect(String callback, String algorithm, String extra) {
        String yaml = """
                signing:
                  algorithm: ALG
                audiences: [back-office]
                scopes:
                  openid: Sign you in
                  profile: Your name and profile
                  email: Your email address
                  orders:read: See your orders and their delivery status
                pages:
                  name: Acme
                authorization:
                  login-failure-delay: 0s
                clients:
                  - id: rp-app
                    name: Partner Portal
                    secret: rp-secret
                    grants: [authorization_code, refresh_token]
                    audience: back-office
                    scopes: [openid, profile, email, address, phone, orders:read]
                    redirect-uris: [CALLBACK]
                    post-logout-redirect-uris: [CALLBACK/signed-out]
                    dpop: allowed
                  - id: strict-rp
                    name: Strict Portal
                    secret: strict-secret
                    grants: [authorization_code]
                    audience: back-office
                    scopes: [openid, email]
                    redirect-uris: [CALLBACK]
                    require-nonce: true
                    post-logout-redirect-uris: [CALLBACK/bye]
                users:
                  - username: alice
                    password: alice-password
                    subject: u-1001
                    userinfo:
                      name: Alice Liddell
                      given_name: Alice
                      email: alice@example.com
                      email_verified: true
                      phone_number: "+44 20 7946 0000"
                      address:
                        locality: Oxford
                        country: GB
                      updated_at: 1764547200
                  - username: bob
                    password: bob-password
                """.replace("CALLBACK", callback).replace("ALG", algorithm) + extra;
        return new ConfigLoader(GRANTS, new SecretHasher(1000)).load("test.yml", new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    }
}
