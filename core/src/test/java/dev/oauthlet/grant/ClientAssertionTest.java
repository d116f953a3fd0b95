package dev.oauthlet.grant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.oauthlet.Oauthlet;
import dev.oauthlet.TestConfigs;
import dev.oauthlet.config.ConfigException;
import dev.oauthlet.error.ErrorCode;
import dev.oauthlet.error.OAuthException;
import dev.oauthlet.protocol.TokenManagementRequest;
import dev.oauthlet.protocol.TokenRequest;
import dev.oauthlet.protocol.TokenResponse;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Jwks;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** RFC 7523 client authentication, as draft-ietf-oauth-rfc7523bis tightens it: the positive flows and every refusal. */
class ClientAssertionTest {

    private static final String ISSUER = TestConfigs.ISSUER;
    private static final String HMAC_SECRET = "b2b-hmac-secret-of-more-than-32-bytes!";
    private static final KeyPair KEY = Jwts.SIG.ES256.keyPair().build();

    /** A JWK Set document of {@code key}'s public half; JSON is YAML too, so it goes into the file as written. */
    private static String jwks(KeyPair key, String kid) {
        return dev.oauthlet.protocol.Json.write(Map.of("keys", List.of(new LinkedHashMap<>(Jwks.builder().key(key.getPublic()).id(kid).build()))));
    }

    private static String config(String extraTokens) {
        return """
                issuer: %s
                signing: {algorithm: ES256}
                audiences: [api]
                tokens: {%s}
                clients:
                  - id: b2b
                    token-endpoint-auth-method: private_key_jwt
                    jwks: %s
                    grants: [client_credentials]
                    scopes: [read]
                  - id: hmac
                    token-endpoint-auth-method: client_secret_jwt
                    secret: %s
                    grants: [client_credentials]
                    scopes: [read]
                  - id: classic
                    secret: classic-secret
                    grants: [client_credentials]
                    scopes: [read]
                  - id: post-only
                    token-endpoint-auth-method: client_secret_post
                    secret: post-secret
                    grants: [client_credentials]
                    scopes: [read]
                """.formatted(ISSUER, extraTokens, jwks(KEY, "k1"), HMAC_SECRET);
    }

    private Oauthlet server = TestConfigs.server(TestConfigs.load(config("")));

    @AfterEach
    void close() {
        server.close();
    }

    private static Map<String, Object> claims(String client) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("iss", client);
        c.put("sub", client);
        c.put("aud", ISSUER);
        c.put("jti", UUID.randomUUID().toString());
        c.put("exp", Instant.now().plusSeconds(60).getEpochSecond());
        return c;
    }

    private static String signed(Map<String, Object> claims, KeyPair key, String kid) {
        var b = Jwts.builder().claims(claims);
        if (kid != null) {
            b.header().keyId(kid);
        }
        return b.signWith(key.getPrivate()).compact();
    }

    private static String hmac(Map<String, Object> claims, String secret) {
        return Jwts.builder().claims(claims).signWith(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"),
                Jwts.SIG.HS256).compact();
    }

    private TokenResponse token(String assertion, String clientId) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        params.put("grant_type", List.of("client_credentials"));
        params.put("client_assertion_type", List.of(TokenRequest.JWT_BEARER));
        params.put("client_assertion", List.of(assertion));
        if (clientId != null) {
            params.put("client_id", List.of(clientId));
        }
        return server.token(TokenRequest.parse(params, null));
    }

    private String refusal(String assertion) {
        OAuthException e = assertThrows(OAuthException.class, () -> token(assertion, null));
        assertEquals(ErrorCode.INVALID_CLIENT, e.error());
        return e.description();
    }

    @Test
    void tokenWhenPrivateKeyJwtSignedByRegisteredKeyThenIssuedToThatClient() {
        TokenResponse r = token(signed(claims("b2b"), KEY, "k1"), "b2b");

        assertEquals("b2b", server.verifier().verify(r.accessToken()).clientId());
    }

    @Test
    void tokenWhenAssertionHasNoKidAndClientHasOneKeyThenThatKeyVerifies() {
        assertEquals("b2b", server.verifier().verify(token(signed(claims("b2b"), KEY, null), null).accessToken()).clientId());
    }

    @Test
    void tokenWhenClientSecretJwtThenIssued() {
        assertEquals("hmac", server.verifier().verify(token(hmac(claims("hmac"), HMAC_SECRET), null).accessToken()).clientId());
    }

    @Test
    void tokenWhenAssertionReplayedThenRefused() {
        String assertion = signed(claims("b2b"), KEY, "k1");
        token(assertion, null);

        assertEquals("client authentication failed: the client assertion was used before", refusal(assertion));
    }

    @Test
    void tokenWhenAudienceIsTokenEndpointOrArrayThenRefusedUnlessLegacyAudience() {
        Map<String, Object> endpointAud = claims("b2b");
        endpointAud.put("aud", ISSUER + "/oauth/token");
        Map<String, Object> arrayAud = claims("b2b");
        arrayAud.put("aud", List.of(ISSUER));

        assertTrue(refusal(signed(endpointAud, KEY, "k1")).contains("aud must be the issuer identifier"));
        assertTrue(refusal(signed(arrayAud, KEY, "k1")).contains("aud must be the issuer identifier"));

        server.close();
        server = TestConfigs.server(TestConfigs.load(config("client-assertion-legacy-audience: true")));
        token(signed(endpointAud, KEY, "k1"), null);
        token(signed(arrayAud, KEY, "k1"), null);
    }

    @Test
    void tokenWhenAudienceIsAnotherServerThenRefused() {
        Map<String, Object> c = claims("b2b");
        c.put("aud", "https://evil.example.com");
        assertTrue(refusal(signed(c, KEY, "k1")).contains("aud must be the issuer identifier"));
    }

    @Test
    void tokenWhenExpiredOrExpiringTooLateOrWithoutExpThenRefused() {
        Map<String, Object> expired = claims("b2b");
        expired.put("exp", Instant.now().minus(Duration.ofMinutes(5)).getEpochSecond());
        Map<String, Object> far = claims("b2b");
        far.put("exp", Instant.now().plus(Duration.ofHours(1)).getEpochSecond());
        Map<String, Object> none = claims("b2b");
        none.remove("exp");

        assertEquals("client authentication failed: the client assertion has expired", refusal(signed(expired, KEY, "k1")));
        assertTrue(refusal(signed(far, KEY, "k1")).contains("minutes ahead"));
        assertEquals("client authentication failed: the client assertion has no exp", refusal(signed(none, KEY, "k1")));
    }

    @Test
    void tokenWhenNoJtiOrIssDiffersFromSubThenRefused() {
        Map<String, Object> noJti = claims("b2b");
        noJti.remove("jti");
        Map<String, Object> otherIss = claims("b2b");
        otherIss.put("iss", "hmac");

        assertEquals("client authentication failed: the client assertion has no jti", refusal(signed(noJti, KEY, "k1")));
        assertTrue(refusal(signed(otherIss, KEY, "k1")).contains("iss and sub must both be the client id"));
    }

    @Test
    void tokenWhenSignedByUnknownKeyOrKidThenRefused() {
        KeyPair other = Jwts.SIG.ES256.keyPair().build();

        assertTrue(refusal(signed(claims("b2b"), other, "k1")).contains("signature does not verify"));
        assertTrue(refusal(signed(claims("b2b"), KEY, "k2")).contains("kid is not one of the client's keys"));
    }

    @Test
    void tokenWhenAssertionCarriesItsOwnKeyThenRefused() {
        KeyPair attacker = Jwts.SIG.ES256.keyPair().build();
        String assertion = Jwts.builder().header().keyId("k1").add("jwk", Jwks.builder().key(attacker.getPublic()).build()).and()
                .claims(claims("b2b")).signWith(attacker.getPrivate()).compact();

        assertTrue(refusal(assertion).contains("names a key of its own"));
    }

    @Test
    void tokenWhenPrivateKeyJwtClientSendsHmacOrNoneThenRefused() {
        assertTrue(refusal(hmac(claims("b2b"), HMAC_SECRET)).contains("signed with RS256, ES256 or EdDSA"));
        String unsigned = Jwts.builder().claims(claims("b2b")).compact();
        assertTrue(refusal(unsigned).contains("signature does not verify"));
    }

    @Test
    void tokenWhenClientSecretJwtSignedWithWrongSecretThenRefused() {
        assertTrue(refusal(hmac(claims("hmac"), "another-secret-of-more-than-32-bytes-long")).contains("signature does not verify"));
    }

    /** Only the configured method: no downgrade from a key to a secret, and no assertion for a secret client. */
    @Test
    void tokenWhenMethodIsNotTheClientsThenInvalidClient() {
        assertTrue(refusal(signed(claims("classic"), KEY, "k1")).contains("authenticates with its secret"));
        OAuthException basic = assertThrows(OAuthException.class, () -> server.token(TokenRequest.parse(
                Map.of("grant_type", List.of("client_credentials")), "Basic " + java.util.Base64.getEncoder()
                        .encodeToString("post-only:post-secret".getBytes(StandardCharsets.UTF_8)))));
        assertEquals("client authentication failed: this client authenticates with client_secret_post, not client_secret_basic",
                basic.description());
        assertEquals(ErrorCode.INVALID_CLIENT, assertThrows(OAuthException.class, () -> server.token(TokenRequest.parse(
                Map.of("grant_type", List.of("client_credentials")), "Basic " + java.util.Base64.getEncoder()
                        .encodeToString("b2b:anything".getBytes(StandardCharsets.UTF_8))))).error());
    }

    @Test
    void tokenWhenClientIdDiffersFromAssertionThenRefused() {
        OAuthException e = assertThrows(OAuthException.class, () -> token(signed(claims("b2b"), KEY, "k1"), "hmac"));
        assertEquals("client authentication failed: client_id is not the assertion's sub", e.description());
    }

    @Test
    void parseWhenAssertionAndSecretTogetherOrWrongTypeThenInvalidRequest() {
        OAuthException twice = assertThrows(OAuthException.class, () -> TokenRequest.parse(Map.of(
                "grant_type", List.of("client_credentials"), "client_assertion_type", List.of(TokenRequest.JWT_BEARER),
                "client_assertion", List.of("x.y.z"), "client_secret", List.of("s"), "client_id", List.of("b2b")), null));
        assertEquals(ErrorCode.INVALID_REQUEST, twice.error());
        OAuthException type = assertThrows(OAuthException.class, () -> TokenRequest.parse(Map.of(
                "grant_type", List.of("client_credentials"), "client_assertion_type", List.of("urn:example:saml"),
                "client_assertion", List.of("x.y.z")), null));
        assertEquals(ErrorCode.INVALID_REQUEST, type.error());
    }

    @Test
    void revokeAndIntrospectWhenPrivateKeyJwtThenAuthenticated() {
        String access = token(signed(claims("b2b"), KEY, "k1"), null).accessToken();
        Map<String, List<String>> params = new LinkedHashMap<>();
        params.put("token", List.of(access));
        params.put("client_assertion_type", List.of(TokenRequest.JWT_BEARER));
        params.put("client_assertion", List.of(signed(claims("b2b"), KEY, "k1")));

        assertTrue(server.introspect(TokenManagementRequest.parse(params, null)).active());
        params.put("client_assertion", List.of(signed(claims("b2b"), KEY, "k1")));
        server.revoke(TokenManagementRequest.parse(params, null));
        params.put("client_assertion", List.of(signed(claims("b2b"), KEY, "k1")));
        assertEquals(false, server.introspect(TokenManagementRequest.parse(params, null)).active());
    }

    /** jwks-uri: fetched over HTTP (loopback here; https elsewhere), cached, and refetched for a new kid. */
    @Test
    void tokenWhenKeysComeFromJwksUriThenFetchedAndNewKidRefetched() throws Exception {
        KeyPair rotated = Jwts.SIG.ES256.keyPair().build();
        String[] body = {jwks(KEY, "k1")};
        int[] fetches = {0};
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/jwks.json", ex -> {
            fetches[0]++;
            byte[] b = body[0].getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        http.start();
        try {
            server.close();
            server = TestConfigs.server(TestConfigs.load("""
                    issuer: %s
                    signing: {algorithm: ES256}
                    audiences: [api]
                    clients:
                      - id: b2b
                        token-endpoint-auth-method: private_key_jwt
                        jwks-uri: http://127.0.0.1:%d/jwks.json
                        grants: [client_credentials]
                    """.formatted(ISSUER, http.getAddress().getPort())));

            token(signed(claims("b2b"), KEY, "k1"), null);
            token(signed(claims("b2b"), KEY, "k1"), null);
            assertEquals(1, fetches[0]);
            body[0] = jwks(rotated, "k2");
            token(signed(claims("b2b"), rotated, "k2"), null);
            assertEquals(2, fetches[0]);
        } finally {
            http.stop(0);
        }
    }

    @Test
    void loadWhenPrivateKeyJwtWithoutKeysOrWithSecretThenConfigErrorNamingTheKey() {
        ConfigException noKeys = assertThrows(ConfigException.class, () -> TestConfigs.load("""
                issuer: https://a.example
                audiences: [api]
                clients:
                  - id: b2b
                    token-endpoint-auth-method: private_key_jwt
                    grants: [client_credentials]
                """));
        assertTrue(noKeys.getMessage().contains("clients[0]: client 'b2b' with private_key_jwt needs exactly one of 'jwks' and 'jwks-uri'"),
                noKeys.getMessage());
        ConfigException shortSecret = assertThrows(ConfigException.class, () -> TestConfigs.load("""
                issuer: https://a.example
                audiences: [api]
                clients:
                  - id: hmac
                    token-endpoint-auth-method: client_secret_jwt
                    secret: short
                    grants: [client_credentials]
                """));
        assertTrue(shortSecret.getMessage().contains("clients[0].secret: client_secret_jwt needs a secret of at least 32 bytes"),
                shortSecret.getMessage());
        ConfigException unknown = assertThrows(ConfigException.class, () -> TestConfigs.load("""
                issuer: https://a.example
                audiences: [api]
                clients:
                  - id: c
                    token-endpoint-auth-method: tls_client_auth
                    secret: s
                    grants: [client_credentials]
                """));
        assertTrue(unknown.getMessage().contains("unknown method 'tls_client_auth'"), unknown.getMessage());
        ConfigException badJwks = assertThrows(ConfigException.class, () -> TestConfigs.load("""
                issuer: https://a.example
                audiences: [api]
                clients:
                  - id: c
                    token-endpoint-auth-method: private_key_jwt
                    jwks: {keys: []}
                    grants: [client_credentials]
                """));
        assertTrue(badJwks.getMessage().contains("clients[0].jwks:"), badJwks.getMessage());
    }

}
