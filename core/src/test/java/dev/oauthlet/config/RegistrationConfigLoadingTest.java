package dev.oauthlet.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oauthlet.TestConfigs;
import dev.oauthlet.client.ClientAuthMethod;
import dev.oauthlet.crypto.SecretHasher;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code registration:} and {@code endpoints.registration}: defaults, the policy, and each refusal naming file, key and fix. */
class RegistrationConfigLoadingTest {

    private static final String TOKEN = "0123456789abcdef0123456789abcdef";
    private static final String BASE = """
            audiences: [api, reports]
            scopes: {write: Write, read: Read}
            """;

    private static OauthletConfig load(String yaml) {
        return TestConfigs.load(BASE + yaml);
    }

    private static String refusal(String yaml) {
        return assertThrows(ConfigException.class, () -> load(yaml)).getMessage();
    }

    @Test
    void loadWhenNoRegistrationSectionThenOffWithTheDefaultPath() {
        OauthletConfig c = load("");
        assertNull(c.registration());
        assertEquals("/oauth/register", c.endpoints().registration());
    }

    @Test
    void loadWhenTokenFromTheEnvironmentThenOnlyItsHashIsKeptAndPolicyDefaultsToWhatTheFileOffers() {
        OauthletConfig c = new ConfigLoader(TestConfigs.DISCOVERED_GRANTS, new SecretHasher(1000), Placeholders.of(Map.of("REG", TOKEN)))
                .load("test.yml", new ByteArrayInputStream((BASE + "registration: {initial-access-token: \"${REG}\"}\n")
                        .getBytes(StandardCharsets.UTF_8)));
        RegistrationConfig r = c.registration();

        assertEquals(List.of(RegistrationConfig.hash(TOKEN)), r.initialAccessTokenHashes());
        assertFalse(r.toString().contains(TOKEN), "the token itself is not kept");
        assertTrue(r.acceptsInitialAccessToken(TOKEN));
        assertFalse(r.acceptsInitialAccessToken(TOKEN + "0"));
        assertFalse(r.open());
        assertEquals(Set.of("authorization_code", "refresh_token"), r.policy().grants());
        assertEquals(List.of("read", "write"), List.copyOf(r.policy().scopes()));
        assertEquals(List.of("api", "reports"), List.copyOf(r.policy().audiences()));
        assertEquals(Set.of("https", "http"), r.policy().redirectUriSchemes());
        assertEquals(RegistrationConfig.Policy.DEFAULT_AUTH_METHODS, r.policy().authMethods());
        assertNull(r.policy().secretLifetime());
        assertFalse(r.policy().jwksUriPrivateNetworks());
    }

    @Test
    void loadWhenPolicyGivenThenTaken() {
        RegistrationConfig r = load("""
                endpoints: {registration: /connect/register}
                registration:
                  initial-access-token: [%s, %s]
                  open: true
                  policy:
                    grants: [client_credentials]
                    scopes: [read]
                    audiences: [reports]
                    redirect-uri-schemes: [https]
                    token-endpoint-auth-methods: [private_key_jwt, none]
                    client-secret-lifetime: 90d
                    jwks-uri-private-networks: true
                """.formatted(TOKEN, TOKEN + "-2")).registration();

        assertEquals(2, r.initialAccessTokenHashes().size());
        assertTrue(r.acceptsInitialAccessToken(TOKEN + "-2"));
        assertTrue(r.open());
        assertEquals(Set.of("client_credentials"), r.policy().grants());
        assertEquals(Set.of("reports"), r.policy().audiences());
        assertEquals(Set.of(ClientAuthMethod.PRIVATE_KEY_JWT, ClientAuthMethod.NONE), r.policy().authMethods());
        assertEquals(Duration.ofDays(90), r.policy().secretLifetime());
        assertTrue(r.policy().jwksUriPrivateNetworks());
        assertEquals("/connect/register", load("endpoints: {registration: /connect/register}\nregistration: {open: true}\n")
                .endpoints().registration());
    }

    @Test
    void loadWhenRegistrationMistakenThenEachRefusalNamesFileKeyAndFix() {
        assertEquals("test.yml: registration: nobody could register: give initial-access-token (e.g. ${REGISTRATION_TOKEN}), or open: true"
                + " to let any client register", refusal("registration: {}\n"));
        assertTrue(refusal("registration: {initial-access-token: short}\n")
                .startsWith("test.yml: registration.initial-access-token[0]: shorter than 32 characters"));
        assertTrue(refusal("registration: {open: true, tokens: x}\n").startsWith("test.yml: registration.tokens: unknown key 'tokens'"));
        assertTrue(refusal("registration: {open: true, policy: {grants: [implicit]}}\n")
                .startsWith("test.yml: registration.policy.grants[0]: unknown grant 'implicit'"));
        assertTrue(refusal("registration: {open: true, policy: {audiences: [elsewhere]}}\n")
                .startsWith("test.yml: registration.policy.audiences[0]: unknown audience 'elsewhere'"));
        assertTrue(refusal("registration: {open: true, policy: {redirect-uri-schemes: [javascript]}}\n")
                .startsWith("test.yml: registration.policy.redirect-uri-schemes[0]: unknown scheme 'javascript'"));
        assertTrue(refusal("registration: {open: true, policy: {token-endpoint-auth-methods: [client_secret_jwt]}}\n")
                .startsWith("test.yml: registration.policy.token-endpoint-auth-methods[0]: client_secret_jwt needs signing.key-encryption-key"));
        assertTrue(refusal("registration: {open: true, policy: {token-endpoint-auth-methods: [tls_client_auth]}}\n")
                .startsWith("test.yml: registration.policy.token-endpoint-auth-methods[0]: unknown method 'tls_client_auth'"));
        assertTrue(refusal("signing: {key-encryption-key: " + KEK + "}\nregistration: {open: true, policy: {token-endpoint-auth-methods:"
                + " [client_secret_jwt], client-secret-lifetime: 30d}}\n")
                .startsWith("test.yml: registration.policy.client-secret-lifetime: cannot be set while token-endpoint-auth-methods offers"
                        + " client_secret_jwt"));
        assertTrue(refusal("registration: {open: true, open-rate-limit: {per-address: 0}}\n")
                .startsWith("test.yml: registration.open-rate-limit.per-address:"));
        assertTrue(refusal("registration: {open: true, open-rate-limit: {window: 2d}}\n")
                .startsWith("test.yml: registration.open-rate-limit.window: is longer than 24h"));
        assertTrue(refusal("registration: {open: true, open-rate-limit: {burst: 3}}\n")
                .startsWith("test.yml: registration.open-rate-limit.burst: unknown key 'burst'"));
        assertTrue(refusal("registration: {open: true, policy: {client-secret-lifetime: 0s}}\n")
                .startsWith("test.yml: registration.policy.client-secret-lifetime: must be longer than zero"));
        assertTrue(refusal("endpoints: {registration: /connect/register/}\nregistration: {open: true}\n")
                .startsWith("test.yml: endpoints.registration: must not end with '/'"));
        assertTrue(refusal("endpoints: {registration: /connect/register}\n")
                .startsWith("test.yml: endpoints.registration: is set, but registration: is missing"));
    }

    /** 32 bytes, base64: a key-encryption key as {@code openssl rand -base64 32} makes one. */
    private static final String KEK = java.util.Base64.getEncoder().encodeToString(
            "a key-encryption key of 32 bytes".getBytes(StandardCharsets.US_ASCII));

    @Test
    void loadWhenClientSecretJwtOfferedWithAKeyEncryptionKeyThenInThePolicy() {
        RegistrationConfig r = load("signing: {key-encryption-key: " + KEK + "}\nregistration: {open: true, policy:"
                + " {token-endpoint-auth-methods: [client_secret_jwt, private_key_jwt]}}\n").registration();
        assertEquals(Set.of(ClientAuthMethod.CLIENT_SECRET_JWT, ClientAuthMethod.PRIVATE_KEY_JWT), r.policy().authMethods());
    }

    @Test
    void loadWhenOpenRateLimitGivenThenItElseTheDefault() {
        assertEquals(RegistrationConfig.OpenRateLimit.DEFAULT, load("registration: {open: true}\n").registration().openRateLimit());
        assertEquals(new RegistrationConfig.OpenRateLimit(5, Duration.ofMinutes(10)),
                load("registration: {open: true, open-rate-limit: {per-address: 5, window: 10m}}\n").registration().openRateLimit());
    }

    @Test
    void loadWhenNoAudienceAtAllThenRegistrationRefused() {
        String message = assertThrows(ConfigException.class, () -> TestConfigs.load("registration: {open: true}\n")).getMessage();
        assertEquals("test.yml: registration: no audience to offer registered clients (list audiences: at the top level)", message);
    }
}
