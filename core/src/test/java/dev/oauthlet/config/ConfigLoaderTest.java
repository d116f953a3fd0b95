package dev.oauthlet.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oauthlet.TestConfigs;
import dev.oauthlet.client.ClientRegistration;
import dev.oauthlet.client.RefreshRotation;
import dev.oauthlet.config.TokenEndpointConfig.RequestFormat;
import dev.oauthlet.crypto.SecretHasher;
import dev.oauthlet.error.ErrorCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    private static String error(String yaml) {
        return assertThrows(ConfigException.class, () -> TestConfigs.parse(yaml)).getMessage();
    }

    @Test
    void loadWhenIssueExampleThenEveryKeyIsRead() {
        OauthletConfig c = TestConfigs.parse("""
                issuer: http://127.0.0.1:8080/
                storage:
                  url: jdbc:h2:file:./data/oauthlet
                  username: sa
                  password: ""
                signing:
                  algorithm: ES256
                tokens:
                  access-token-ttl: 2h
                endpoints:
                  token:
                    - path: /oauth/token
                      formats: [form, json]
                    - path: /api/v3/login
                      formats: [query]
                audiences: [back-office, storefront]
                clients:
                  - id: backoffice-app
                    secret: change-me
                    grants: [client_credentials]
                    audience: back-office
                    scopes: [orders:read, orders:write]
                """);
        assertEquals("http://127.0.0.1:8080", c.issuer(), "a trailing slash is dropped");
        assertEquals("jdbc:h2:file:./data/oauthlet", c.storage().url());
        assertEquals("sa", c.storage().username());
        assertEquals("ES256", c.signing().algorithm());
        assertEquals(Duration.ofHours(2), c.tokens().accessTokenTtl());
        assertEquals(2, c.endpoints().token().size());
        assertEquals(Set.of(RequestFormat.FORM, RequestFormat.JSON), c.endpoints().token().get(0).formats());
        assertEquals(Set.of(RequestFormat.QUERY), c.endpoints().token().get(1).formats());
        ClientRegistration client = c.clients().get(0);
        assertEquals("back-office", client.audience());
        assertEquals(Set.of("orders:read", "orders:write"), client.scopes());
        assertEquals(client.scopes(), client.defaultScopes(), "default scopes default to all allowed scopes");
    }

    @Test
    void loadWhenSecretGivenThenOnlyItsHashIsKept() {
        ClientRegistration client = TestConfigs.twoAudiences().clients().get(0);
        assertTrue(SecretHasher.isHash(client.secretHash()));
        assertFalse(client.secretHash().contains("backoffice-secret"));
        assertTrue(SecretHasher.matches("backoffice-secret", client.secretHash()));
        assertFalse(SecretHasher.matches("backoffice-secreT", client.secretHash()));
    }

    @Test
    void loadWhenGrantMisspelledThenMessageNamesFileKeyPathAndKnownGrants() {
        String msg = error("""
                audiences: [a]
                clients:
                  - {id: one, secret: s, grants: [client_credentials]}
                  - {id: two, secret: s, grants: [client_credentials]}
                  - {id: three, secret: s, grants: [pasword]}
                """);
        assertEquals("oauthlet.yml: clients[2].grants[0]: unknown grant 'pasword' (known: client_credentials, password, refresh_token)", msg);
    }

    @Test
    void loadWhenUnknownKeyThenMessageNamesItAndTheKnownKeys() {
        String msg = error("""
                tokens:
                  access-token-tll: 1h
                """);
        assertTrue(msg.startsWith("oauthlet.yml: tokens.access-token-tll: unknown key 'access-token-tll' (known: access-token-ttl,"), msg);
    }

    @Test
    void loadWhenDurationMalformedThenMessageShowsAcceptedForms() {
        String msg = error("""
                tokens:
                  access-token-ttl: one hour
                """);
        assertEquals("oauthlet.yml: tokens.access-token-ttl: 'one hour' is not a duration (use 90s, 15m, 1h, 90d or ISO-8601 such as PT1H)", msg);
    }

    @Test
    void loadWhenDurationsInEveryFormThenParsed() {
        OauthletConfig c = TestConfigs.parse("""
                tokens:
                  access-token-ttl: 90s
                  refresh-token-ttl: 90d
                  authorization-code-ttl: PT1H
                  refresh-token-reuse-grace: 15m
                  refresh-token-rotation: keep
                  expired-token-error: auth_expired
                """);
        assertEquals(Duration.ofSeconds(90), c.tokens().accessTokenTtl());
        assertEquals(Duration.ofDays(90), c.tokens().refreshTokenTtl());
        assertEquals(Duration.ofHours(1), c.tokens().authorizationCodeTtl());
        assertEquals(Duration.ofMinutes(15), c.tokens().refreshReuseGrace());
        assertEquals(RefreshRotation.KEEP, c.tokens().refreshRotation());
        assertEquals(ErrorCode.AUTH_EXPIRED, c.tokens().expiredTokenError());
    }

    @Test
    void loadWhenAudienceUnknownThenMessageListsAudiences() {
        String msg = error("""
                audiences: [back-office, storefront]
                clients:
                  - {id: x, secret: s, grants: [client_credentials], audience: backoffice}
                """);
        assertEquals("oauthlet.yml: clients[0].audience: unknown audience 'backoffice' (known: back-office, storefront)", msg);
    }

    @Test
    void loadWhenConfidentialClientHasNoSecretThenMessageSaysHowToFix() {
        String msg = error("""
                audiences: [a]
                clients:
                  - {id: x, grants: [client_credentials]}
                """);
        assertEquals("oauthlet.yml: clients[0]: confidential client 'x' needs 'secret', 'secret-hash' or 'secrets' (or set public: true)", msg);
    }

    @Test
    void loadWhenClientListsSecretsThenEachIsKeptWithItsExpiryAndTheClientIsTheFiles() {
        OauthletConfig c = TestConfigs.parse("""
                audiences: [a]
                clients:
                  - id: x
                    grants: [client_credentials]
                    secrets:
                      - secret: new
                      - secret-hash: sha256$ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0
                        expires: 2027-01-31T00:00:00Z
                """);
        ClientRegistration x = c.clients().get(0);
        assertEquals(2, x.secrets().size());
        assertTrue(SecretHasher.matches("new", x.secrets().get(0).hash()));
        assertNull(x.secrets().get(0).expiresAt());
        assertTrue(SecretHasher.matches("abc", x.secrets().get(1).hash()));
        assertEquals(java.time.Instant.parse("2027-01-31T00:00:00Z"), x.secrets().get(1).expiresAt());
        assertTrue(x.declaredInFile());
    }

    @Test
    void loadWhenSecretExpiryIsNoInstantThenMessageShowsTheFormat() {
        String msg = error("""
                audiences: [a]
                clients:
                  - id: x
                    grants: [client_credentials]
                    secrets:
                      - {secret: s, expires: tomorrow}
                """);
        assertEquals("oauthlet.yml: clients[0].secrets[0].expires: 'tomorrow' is not an instant (write e.g. 2027-01-31T00:00:00Z)", msg);
    }

    @Test
    void loadWhenClientHasSecretAndSecretsThenRefused() {
        String msg = error("""
                audiences: [a]
                clients:
                  - {id: x, secret: s, secrets: [{secret: t}], grants: [client_credentials]}
                """);
        assertEquals("oauthlet.yml: clients[0]: has both 'secret'/'secret-hash' and 'secrets' (list every secret under 'secrets')", msg);
    }

    @Test
    void loadWhenUserPasswordHashIsAFastHashThenRefused() {
        String msg = error("""
                users:
                  - {username: u, password-hash: "sha256$ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0"}
                """);
        assertEquals("oauthlet.yml: users[0].password-hash: not a pbkdf2-sha256 hash (generate one with: java -jar jetty-example.jar --hash-secret)", msg);
    }

    @Test
    void loadWhenClientIdRepeatedThenRefused() {
        String msg = error("""
                audiences: [a]
                clients:
                  - {id: x, secret: s, grants: [client_credentials]}
                  - {id: x, secret: t, grants: [client_credentials]}
                """);
        assertEquals("oauthlet.yml: clients[1]: duplicate client id 'x' (each id once)", msg);
    }

    @Test
    void loadWhenFormatUnknownThenMessageListsFormats() {
        String msg = error("""
                endpoints:
                  token:
                    - path: /oauth/token
                      formats: [form, xml]
                """);
        assertEquals("oauthlet.yml: endpoints.token[0].formats[1]: unknown format 'xml' (known: form, json, query)", msg);
    }

    @Test
    void loadWhenAlgorithmUnknownThenMessageListsAlgorithms() {
        String msg = error("""
                signing:
                  algorithm: RS512
                """);
        assertEquals("oauthlet.yml: signing.algorithm: unknown algorithm 'RS512' (known: RS256, ES256, EdDSA, HS256)", msg);
    }

    @Test
    void loadWhenStopTimeoutGivenThenReadAndDefaultIsTenSeconds() {
        assertEquals(Duration.ofSeconds(25), TestConfigs.parse("server:\n  stop-timeout: 25s\n").server().stopTimeout());
        assertEquals(Duration.ofSeconds(10), TestConfigs.parse("audiences: [api]\n").server().stopTimeout());
    }

    @Test
    void loadWhenStopTimeoutTooLongThenMessageNamesKeyAndRange() {
        String msg = error("""
                server:
                  stop-timeout: 1h
                """);
        assertEquals("oauthlet.yml: server.stop-timeout: must be from 0s to 5m (how long a stop lets requests in flight finish)", msg);
    }

    @Test
    void loadWhenRedirectUriIsPlainHttpOnPublicHostThenRefused() {
        String msg = error("""
                audiences: [a]
                clients:
                  - {id: x, secret: s, grants: [client_credentials], redirect-uris: ["https://ok.example/cb", "http://evil.example/cb"]}
                """);
        assertTrue(msg.startsWith("oauthlet.yml: clients[0].redirect-uris[1]: 'http://evil.example/cb' must be"), msg);
    }

    @Test
    void loadWhenDefaultScopeNotAllowedThenRefused() {
        String msg = error("""
                audiences: [a]
                clients:
                  - {id: x, secret: s, grants: [client_credentials], scopes: [a], default-scopes: [b]}
                """);
        assertEquals("oauthlet.yml: clients[0].default-scopes[0]: scope 'b' is not among the client's scopes (a)", msg);
    }

    @Test
    void loadWhenNotYamlThenMessageNamesFile() {
        String msg = error("clients: [ {id: x");
        assertTrue(msg.startsWith("oauthlet.yml: not valid YAML"), msg);
    }

    @Test
    void loadWhenFileMissingThenMessageNamesPath(@TempDir Path dir) {
        Path missing = dir.resolve("nope.yml");
        ConfigLoader loader = new ConfigLoader(TestConfigs.GRANTS, new SecretHasher(1_000));
        String msg = assertThrows(ConfigException.class, () -> loader.load(missing)).getMessage();
        assertTrue(msg.startsWith(missing + ": cannot be read"), msg);
    }

    @Test
    void loadWhenFileGivenThenErrorsUseItsName(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("custom.yml");
        Files.writeString(file, "issuer: ftp://x\n");
        ConfigLoader loader = new ConfigLoader(TestConfigs.GRANTS, new SecretHasher(1_000));
        String msg = assertThrows(ConfigException.class, () -> loader.load(file)).getMessage();
        assertEquals("custom.yml: issuer: must be an http(s) URL such as https://auth.example.com, got 'ftp://x'", msg);
    }

    @Test
    void withIssuerWhenTrailingSlashThenDroppedAsTheFileLoaderDoes() {
        OauthletConfig c = TestConfigs.parse("audiences: [a]\n").withIssuer("https://auth.example.com/");

        assertEquals("https://auth.example.com", c.issuer());
    }

    @Test
    void withIssuerWhenNotAUrlThenConfigExceptionNamingIssuer() {
        OauthletConfig c = TestConfigs.parse("audiences: [a]\n");

        String msg = assertThrows(ConfigException.class, () -> c.withIssuer("auth.example.com")).getMessage();
        assertEquals("issuer: must be an http(s) URL such as https://auth.example.com, got 'auth.example.com'", msg);
    }

    @Test
    void loadWhenIssuerHasAQueryThenError() {
        String msg = assertThrows(ConfigException.class, () -> TestConfigs.parse("issuer: https://a.example?x=1\n")).getMessage();
        assertTrue(msg.contains("issuer: must have no query or fragment"), msg);
    }

    @Test
    void toStringWhenKeyPasswordSetThenItIsHidden() {
        SigningConfig s = new SigningConfig("RS256", null, Path.of("keys.p12"), "hunter2-secret");

        assertFalse(s.toString().contains("hunter2-secret"), s.toString());
        assertTrue(s.toString().contains("keys.p12"), s.toString());
    }

    @Test
    void loadWhenNothingButDefaultsThenDefaultsApply() {
        OauthletConfig c = TestConfigs.parse("audiences: [a]\n");
        assertNull(c.issuer());
        assertEquals(StorageConfig.MEMORY, c.storage().url());
        assertEquals("RS256", c.signing().algorithm());
        assertEquals(TokensConfig.defaults(), c.tokens());
        assertEquals("/oauth/token", c.endpoints().token().get(0).path());
        assertNotEquals(0, c.endpoints().token().get(0).formats().size());
    }
}
