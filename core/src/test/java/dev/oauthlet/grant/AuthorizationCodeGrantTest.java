package dev.oauthlet.grant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oauthlet.MutableClock;
import dev.oauthlet.Oauthlet;
import dev.oauthlet.TestConfigs;
import dev.oauthlet.protocol.TokenRequest;
import dev.oauthlet.protocol.TokenResponse;
import dev.oauthlet.spi.ForwardingStorage;
import dev.oauthlet.authorize.AuthorizationRequest;
import dev.oauthlet.config.OauthletConfig;
import dev.oauthlet.config.StorageConfig;
import dev.oauthlet.error.ErrorCode;
import dev.oauthlet.error.OAuthException;
import dev.oauthlet.token.AccessToken;
import dev.oauthlet.token.BearerTokenValidator;
import dev.oauthlet.token.TokenVerificationException;
import dev.oauthlet.user.AuthenticatedUser;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AuthorizationCodeGrantTest {

    static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    static final String CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
    static final String CALLBACK = "https://partner.example.com/callback";
    static final String PARTNER_BASIC = "Basic " + Base64.getEncoder().encodeToString("partner-app:partner-secret".getBytes(StandardCharsets.UTF_8));

    private final MutableClock clock = new MutableClock();
    private Oauthlet server = server(TestConfigs.load(TestConfigs.AUTHORIZATION_CODE));
    private final AuthenticatedUser alice = new AuthenticatedUser("alice", Map.of("department", "sales"));

    private Oauthlet server(OauthletConfig config) {
        return Oauthlet.builder().config(config).clock(clock).build();
    }

    @AfterEach
    void close() {
        server.close();
    }

    /** A code for alice from partner-app's authorization request, with {@code changes} applied to it. */
    private String code(Map<String, String> changes) {
        Map<String, List<String>> m = new HashMap<>();
        m.put("client_id", List.of("partner-app"));
        m.put("response_type", List.of("code"));
        m.put("redirect_uri", List.of(CALLBACK));
        m.put("scope", List.of("orders:read orders:write"));
        m.put("state", List.of("xyz"));
        m.put("code_challenge", List.of(CHALLENGE));
        m.put("code_challenge_method", List.of("S256"));
        changes.forEach((k, v) -> {
            if (v == null) {
                m.remove(k);
            } else {
                m.put(k, List.of(v));
            }
        });
        AuthorizationRequest request = server.authorizer().parse(m);
        String location = server.authorizer().approve(alice, request, true);
        for (String pair : URI.create(location).getRawQuery().split("&")) {
            if (pair.startsWith("code=")) {
                return URLDecoder.decode(pair.substring(5), StandardCharsets.UTF_8);
            }
        }
        throw new AssertionError("no code in " + location);
    }

    private String code() {
        return code(Map.of());
    }

    /** The token request partner-app sends, with {@code changes} applied (a null value removes the parameter). */
    private TokenResponse exchange(String code, String authorization, Map<String, String> changes) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("grant_type", "authorization_code");
        p.put("code", code);
        p.put("redirect_uri", CALLBACK);
        p.put("code_verifier", VERIFIER);
        p.putAll(changes);
        Map<String, List<String>> raw = new LinkedHashMap<>();
        p.forEach((k, v) -> {
            if (v != null) {
                raw.put(k, List.of(v));
            }
        });
        return server.token(TokenRequest.parse(raw, authorization));
    }

    private TokenResponse exchange(String code) {
        return exchange(code, PARTNER_BASIC, Map.of());
    }

    private OAuthException refused(String code, String authorization, Map<String, String> changes) {
        return assertThrows(OAuthException.class, () -> exchange(code, authorization, changes));
    }

    private static Map<String, String> change(String k, String v) {
        Map<String, String> m = new HashMap<>();
        m.put(k, v);
        return m;
    }

    @Test
    void handleWhenEverythingMatchesThenAccessAndRefreshTokenForTheUser() {
        TokenResponse r = exchange(code());
        assertEquals(7200, r.expiresIn(), "partner-app's access-token-ttl");
        assertNotNull(r.refreshToken());
        assertEquals("orders:read orders:write", r.scope());
        AccessToken token = server.verifier().verify(r.accessToken());
        assertEquals("alice", token.subject());
        assertEquals("partner-app", token.clientId());
        assertEquals(Set.of("orders:read", "orders:write"), token.scopes());
        assertEquals("sales", token.claims().get("department"));
    }

    @Test
    void handleWhenClientSecretInBodyThenAlsoAccepted() {
        TokenResponse r = exchange(code(), null, Map.of("client_id", "partner-app", "client_secret", "partner-secret"));
        assertNotNull(r.accessToken());
    }

    @Test
    void handleWhenRefreshTokenUsedThenRefreshWorksForTheSameUser() {
        TokenResponse r = exchange(code());
        TokenResponse refreshed = server.token(TokenRequest.parse(Map.of("grant_type", List.of("refresh_token"),
                "refresh_token", List.of(r.refreshToken())), PARTNER_BASIC));
        assertEquals("alice", server.verifier().verify(refreshed.accessToken()).subject());
    }

    @Test
    void handleWhenCodeUsedTwiceThenInvalidGrantAndEverythingIssuedFromItIsRevoked() {
        String code = code();
        TokenResponse first = exchange(code);
        OAuthException again = assertThrows(OAuthException.class, () -> exchange(code));
        assertEquals(ErrorCode.INVALID_GRANT, again.error());

        String jti = server.verifier().verify(first.accessToken()).jti();
        assertTrue(server.storage().revokedTokens().isRevoked(jti), "the access token is deny-listed");
        OAuthException refresh = assertThrows(OAuthException.class, () -> server.token(TokenRequest.parse(Map.of(
                "grant_type", List.of("refresh_token"), "refresh_token", List.of(first.refreshToken())), PARTNER_BASIC)));
        assertEquals(ErrorCode.INVALID_GRANT, refresh.error());
    }

    @Test
    void handleWhenSecondUseRacesBeforeTheFirstStoresItsRefreshTokenThenThatFamilyIsRevokedAnyway() {
        // The second redemption runs, in full, at the worst moment: after the first consumed the code,
        // before it stored its refresh token. Its family revocation then finds nothing to revoke.
        java.util.concurrent.atomic.AtomicReference<Runnable> beforeFirstSave = new java.util.concurrent.atomic.AtomicReference<>();
        dev.oauthlet.internal.memory.MemoryStorage data = new dev.oauthlet.internal.memory.MemoryStorage();
        dev.oauthlet.spi.RefreshTokenStore tokens = new ForwardingStorage.ForwardingRefreshTokenStore(data.refreshTokens()) {
            @Override
            public void save(dev.oauthlet.spi.RefreshTokenRecord token) {
                Runnable hook = beforeFirstSave.getAndSet(null);
                if (hook != null) {
                    hook.run();
                }
                super.save(token);
            }
        };
        dev.oauthlet.spi.Storage racing = new ForwardingStorage(data) {
            @Override
            public dev.oauthlet.spi.RefreshTokenStore refreshTokens() {
                return tokens;
            }
        };
        server.close();
        server = Oauthlet.builder().config(TestConfigs.load(TestConfigs.AUTHORIZATION_CODE)).storage(racing).clock(clock).build();
        String code = code();
        beforeFirstSave.set(() -> assertEquals(ErrorCode.INVALID_GRANT, assertThrows(OAuthException.class, () -> exchange(code)).error()));

        TokenResponse first = exchange(code);

        assertNull(beforeFirstSave.get(), "the second use ran inside the first");
        OAuthException refresh = assertThrows(OAuthException.class, () -> server.token(TokenRequest.parse(Map.of(
                "grant_type", List.of("refresh_token"), "refresh_token", List.of(first.refreshToken())), PARTNER_BASIC)));
        assertEquals(ErrorCode.INVALID_GRANT, refresh.error());
        assertTrue(server.storage().revokedTokens().isRevoked(server.verifier().verify(first.accessToken()).jti()));
    }

    @Test
    void handleWhenCodeUsedTwiceThenAResourceCheckingTheDenyListRefusesTheFirstAccessToken() {
        String code = code();
        TokenResponse first = exchange(code);
        BearerTokenValidator resource = new BearerTokenValidator(server.verifier(), "back-office", null,
                server.storage().revokedTokens());
        assertEquals("alice", resource.validate(first.accessToken()).subject());
        assertThrows(OAuthException.class, () -> exchange(code));
        TokenVerificationException e = assertThrows(TokenVerificationException.class, () -> resource.validate(first.accessToken()));
        assertEquals(TokenVerificationException.Reason.REVOKED, e.reason());
    }

    @Test
    void handleWhenCodeReusedAfterRefreshRotatedThenTheSuccessorIsRevokedToo() {
        String code = code();
        TokenResponse first = exchange(code);
        TokenResponse rotated = server.token(TokenRequest.parse(Map.of("grant_type", List.of("refresh_token"),
                "refresh_token", List.of(first.refreshToken())), PARTNER_BASIC));
        assertThrows(OAuthException.class, () -> exchange(code));
        OAuthException e = assertThrows(OAuthException.class, () -> server.token(TokenRequest.parse(Map.of(
                "grant_type", List.of("refresh_token"), "refresh_token", List.of(rotated.refreshToken())), PARTNER_BASIC)));
        assertEquals(ErrorCode.INVALID_GRANT, e.error());
    }

    @Test
    void handleWhenFirstUseFailedThenTheCodeIsSpentAnyway() {
        String code = code();
        assertEquals(ErrorCode.INVALID_GRANT, refused(code, PARTNER_BASIC, Map.of("code_verifier", VERIFIER.replace('d', 'e'))).error());
        assertEquals(ErrorCode.INVALID_GRANT, assertThrows(OAuthException.class, () -> exchange(code)).error());
    }

    @Test
    void handleWhenCodeUnknownThenInvalidGrant() {
        assertEquals(ErrorCode.INVALID_GRANT, refused("not-a-code", PARTNER_BASIC, Map.of()).error());
    }

    @Test
    void handleWhenCodeMissingThenInvalidRequest() {
        assertEquals(ErrorCode.INVALID_REQUEST, refused(null, PARTNER_BASIC, Map.of()).error());
    }

    @Test
    void handleWhenCodeExpiredThenInvalidGrant() {
        String code = code();
        clock.advance(Duration.ofSeconds(60));
        OAuthException e = refused(code, PARTNER_BASIC, Map.of());
        assertEquals(ErrorCode.INVALID_GRANT, e.error());
        assertTrue(e.description().contains("expired"));
    }

    @Test
    void handleWhenCodeTtlConfiguredThenHonoursIt() {
        server.close();
        server = server(TestConfigs.load(TestConfigs.AUTHORIZATION_CODE.replace("audiences:", "tokens:\n  authorization-code-ttl: 5m\naudiences:")));
        String code = code();
        clock.advance(Duration.ofMinutes(4));
        assertNotNull(exchange(code).accessToken());
    }

    @Test
    void handleWhenAnotherClientPresentsTheCodeThenInvalidGrant() {
        String ownBasic = "Basic " + Base64.getEncoder().encodeToString("own-app:own-secret".getBytes(StandardCharsets.UTF_8));
        assertEquals(ErrorCode.INVALID_GRANT, refused(code(), ownBasic, Map.of()).error());
    }

    @Test
    void handleWhenAnotherClientReplaysAUsedCodeThenInvalidGrantAndNothingIsRevoked() {
        String code = code();
        TokenResponse first = exchange(code);
        OAuthException replay = refused(code, null, Map.of("client_id", "mobile-app", "redirect_uri", "http://127.0.0.1:7777/cb"));
        assertEquals(ErrorCode.INVALID_GRANT, replay.error());
        assertEquals("the authorization code was issued to another client", replay.description());

        String jti = server.verifier().verify(first.accessToken()).jti();
        assertFalse(server.storage().revokedTokens().isRevoked(jti), "another client's replay leaves the access token alone");
        assertNotNull(server.token(TokenRequest.parse(Map.of(
                "grant_type", List.of("refresh_token"), "refresh_token", List.of(first.refreshToken())), PARTNER_BASIC)).accessToken(),
                "and the refresh family");
    }

    @Test
    void handleWhenRedirectUriMissingThenInvalidGrant() {
        assertEquals(ErrorCode.INVALID_GRANT, refused(code(), PARTNER_BASIC, change("redirect_uri", null)).error());
    }

    @Test
    void handleWhenRedirectUriIsAnotherRegisteredOneThenInvalidGrant() {
        OAuthException e = refused(code(), PARTNER_BASIC, Map.of("redirect_uri", "https://partner.example.com/other?tab=1"));
        assertEquals(ErrorCode.INVALID_GRANT, e.error());
    }

    @Test
    void handleWhenVerifierMissingThenInvalidGrant() {
        assertEquals(ErrorCode.INVALID_GRANT, refused(code(), PARTNER_BASIC, change("code_verifier", null)).error());
    }

    @Test
    void handleWhenVerifierWrongThenInvalidGrant() {
        OAuthException e = refused(code(), PARTNER_BASIC, Map.of("code_verifier", "x".repeat(43)));
        assertEquals(ErrorCode.INVALID_GRANT, e.error());
    }

    @Test
    void handleWhenVerifierIsTheChallengeThenInvalidGrant() {
        assertEquals(ErrorCode.INVALID_GRANT, refused(code(), PARTNER_BASIC, Map.of("code_verifier", CHALLENGE)).error());
    }

    @Test
    void handleWhenCodeHadNoChallengeThenWorksWithoutVerifierAndRefusesOne() {
        server.close();
        server = server(TestConfigs.load(TestConfigs.AUTHORIZATION_CODE + "  pkce-required: false\n"));
        Map<String, String> noPkce = change("code_challenge", null);
        noPkce.put("code_challenge_method", null);
        assertNotNull(exchange(code(noPkce), PARTNER_BASIC, change("code_verifier", null)).accessToken());
        // RFC 9700 §2.1.1: a verifier for a code without a challenge is a downgrade attempt.
        assertEquals(ErrorCode.INVALID_GRANT, refused(code(noPkce), PARTNER_BASIC, Map.of()).error());
    }

    @Test
    void handleWhenConfidentialClientSendsNoSecretThenInvalidClient() {
        OAuthException e = refused(code(), null, Map.of("client_id", "partner-app"));
        assertEquals(ErrorCode.INVALID_CLIENT, e.error());
    }

    @Test
    void handleWhenSecretWrongThenInvalidClient() {
        String wrong = "Basic " + Base64.getEncoder().encodeToString("partner-app:wrong".getBytes(StandardCharsets.UTF_8));
        assertEquals(ErrorCode.INVALID_CLIENT, refused(code(), wrong, Map.of()).error());
    }

    @Test
    void handleWhenPublicClientWithoutSecretThenTokens() {
        Map<String, String> mobile = new HashMap<>();
        mobile.put("client_id", "mobile-app");
        mobile.put("redirect_uri", null);
        mobile.put("scope", "orders:read");
        String code = code(mobile);
        TokenResponse r = exchange(code, null, Map.of("client_id", "mobile-app", "redirect_uri", "http://127.0.0.1:7777/cb"));
        assertEquals("mobile-app", server.verifier().verify(r.accessToken()).clientId());
        assertNotNull(r.refreshToken());
    }

    @Test
    void handleWhenRedirectUriOmittedInBothThenTokens() {
        Map<String, String> mobile = new HashMap<>();
        mobile.put("client_id", "mobile-app");
        mobile.put("redirect_uri", null);
        mobile.put("scope", "orders:read");
        Map<String, String> tokenChanges = new HashMap<>();
        tokenChanges.put("client_id", "mobile-app");
        tokenChanges.put("redirect_uri", null);
        assertNotNull(exchange(code(mobile), null, tokenChanges).accessToken());
    }

    @Test
    void handleWhenClientHasNoRefreshGrantThenNoRefreshToken() {
        Map<String, String> own = new HashMap<>();
        own.put("client_id", "own-app");
        own.put("redirect_uri", "https://own.example.com/cb");
        own.put("scope", "orders:read");
        String ownBasic = "Basic " + Base64.getEncoder().encodeToString("own-app:own-secret".getBytes(StandardCharsets.UTF_8));
        TokenResponse r = exchange(code(own), ownBasic, Map.of("redirect_uri", "https://own.example.com/cb"));
        assertNull(r.refreshToken());
    }

    @Test
    void handleWhenClientMayNotUseTheGrantThenUnauthorizedClient() {
        String machine = "Basic " + Base64.getEncoder().encodeToString("machine:machine-secret".getBytes(StandardCharsets.UTF_8));
        assertEquals(ErrorCode.UNAUTHORIZED_CLIENT, refused(code(), machine, Map.of()).error());
    }

    @Test
    void handleWhenStoredInH2ThenCodeClaimsSurviveAndReuseRevokes() {
        server.close();
        OauthletConfig h2 = TestConfigs.load(TestConfigs.AUTHORIZATION_CODE)
                .withStorage(StorageConfig.jdbc("jdbc:h2:mem:authcode-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", ""));
        server = server(h2);
        String code = code();
        TokenResponse first = exchange(code);
        assertEquals("sales", server.verifier().verify(first.accessToken()).claims().get("department"));
        assertEquals(ErrorCode.INVALID_GRANT, assertThrows(OAuthException.class, () -> exchange(code)).error());
        assertTrue(server.storage().revokedTokens().isRevoked(server.verifier().verify(first.accessToken()).jti()));
        assertThrows(OAuthException.class, () -> server.token(TokenRequest.parse(Map.of(
                "grant_type", List.of("refresh_token"), "refresh_token", List.of(first.refreshToken())), PARTNER_BASIC)));
    }

    @Test
    void grantTypesWhenDiscoveredThenIncludeAuthorizationCode() {
        assertTrue(server.grantTypes().contains("authorization_code"));
        assertFalse(AuthorizationCodeGrant.accessTokenId("a").equals(AuthorizationCodeGrant.accessTokenId("b")));
    }
}
