package dev.oauthlet.grant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oauthlet.Oauthlet;
import dev.oauthlet.TestConfigs;
import dev.oauthlet.TokenRequest;
import dev.oauthlet.TokenResponse;
import dev.oauthlet.error.ErrorCode;
import dev.oauthlet.error.OAuthException;
import dev.oauthlet.token.AccessToken;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ClientCredentialsGrantTest {

    private static Oauthlet server;

    @BeforeAll
    static void start() {
        server = TestConfigs.server(TestConfigs.twoAudiences());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static TokenResponse token(String authorization, String... kv) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.computeIfAbsent(kv[i], k -> new ArrayList<>()).add(kv[i + 1]);
        }
        return server.token(TokenRequest.parse(m, authorization));
    }

    private static String basic(String id, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    private static OAuthException refusal(String authorization, String... kv) {
        return assertThrows(OAuthException.class, () -> token(authorization, kv));
    }

    @Test
    void tokenWhenBasicCredentialsThenSignedAccessTokenForClientAudience() {
        TokenResponse r = token(basic("backoffice-app", "backoffice-secret"), "grant_type", "client_credentials");
        assertEquals("Bearer", r.tokenType());
        assertEquals(3600, r.expiresIn());
        assertNull(r.refreshToken(), "RFC 6749 §4.4.3: no refresh token for client_credentials");
        assertEquals("orders:read orders:write", r.scope());
        AccessToken t = server.verifier().verify(r.accessToken());
        assertEquals("backoffice-app", t.subject());
        assertEquals("backoffice-app", t.clientId());
        assertEquals("back-office", t.audience());
        assertEquals(TestConfigs.ISSUER, t.issuer());
        assertEquals(Set.of("orders:read", "orders:write"), t.scopes());
        assertEquals(Duration.ofHours(1), Duration.between(t.issuedAt(), t.expiresAt()));
    }

    @Test
    void tokenWhenBodyCredentialsThenIssued() {
        TokenResponse r = token(null, "grant_type", "client_credentials", "client_id", "storefront-app", "client_secret", "storefront-secret");
        assertEquals("storefront", server.verifier().verify(r.accessToken()).audience());
    }

    @Test
    void tokenWhenScopeNarrowedThenOnlyThatScope() {
        TokenResponse r = token(basic("backoffice-app", "backoffice-secret"), "grant_type", "client_credentials", "scope", "orders:read");
        assertEquals("orders:read", r.scope());
        assertEquals(Set.of("orders:read"), server.verifier().verify(r.accessToken()).scopes());
    }

    @Test
    void tokenWhenScopeNotAllowedThenInvalidScope() {
        OAuthException e = refusal(basic("backoffice-app", "backoffice-secret"), "grant_type", "client_credentials", "scope", "catalog:read");
        assertEquals(ErrorCode.INVALID_SCOPE, e.error());
        assertEquals(400, e.error().status());
    }

    @Test
    void tokenWhenSecretWrongThenInvalidClient() {
        OAuthException e = refusal(basic("backoffice-app", "backoffice-secreT"), "grant_type", "client_credentials");
        assertEquals(ErrorCode.INVALID_CLIENT, e.error());
        assertEquals(401, e.error().status());
    }

    @Test
    void tokenWhenSecretRightAfterCachedCheckThenStillComparesSecret() {
        token(basic("backoffice-app", "backoffice-secret"), "grant_type", "client_credentials");
        assertEquals(ErrorCode.INVALID_CLIENT, refusal(basic("backoffice-app", "backoffice-secret2"), "grant_type", "client_credentials").error());
        assertEquals(ErrorCode.INVALID_CLIENT, refusal(basic("backoffice-app", ""), "grant_type", "client_credentials").error());
    }

    @Test
    void tokenWhenClientUnknownThenInvalidClient() {
        assertEquals(ErrorCode.INVALID_CLIENT, refusal(basic("nobody", "x"), "grant_type", "client_credentials").error());
    }

    @Test
    void tokenWhenNoClientAuthenticationThenInvalidClient() {
        assertEquals(ErrorCode.INVALID_CLIENT, refusal(null, "grant_type", "client_credentials").error());
    }

    @Test
    void tokenWhenConfidentialClientSendsOnlyItsIdThenInvalidClient() {
        assertEquals(ErrorCode.INVALID_CLIENT, refusal(null, "grant_type", "client_credentials", "client_id", "backoffice-app").error());
    }

    @Test
    void tokenWhenGrantTypeUnknownThenUnsupportedGrantType() {
        OAuthException e = refusal(basic("backoffice-app", "backoffice-secret"), "grant_type", "magic");
        assertEquals(ErrorCode.UNSUPPORTED_GRANT_TYPE, e.error());
    }

    @Test
    void tokenWhenClientNotAllowedGrantThenUnauthorizedClient() {
        OAuthException e = refusal(basic("password-only", "p-secret"), "grant_type", "client_credentials");
        assertEquals(ErrorCode.UNAUTHORIZED_CLIENT, e.error());
    }

    @Test
    void tokenWhenIssuedTwiceThenDistinctJti() {
        String a = token(basic("backoffice-app", "backoffice-secret"), "grant_type", "client_credentials").accessToken();
        String b = token(basic("backoffice-app", "backoffice-secret"), "grant_type", "client_credentials").accessToken();
        assertTrue(!server.verifier().verify(a).jti().equals(server.verifier().verify(b).jti()));
    }
}
