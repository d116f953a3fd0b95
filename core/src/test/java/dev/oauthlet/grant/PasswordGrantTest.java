package dev.oauthlet.grant;

import dev.oauthlet.MutableClock;
import dev.oauthlet.Oauthlet;
import dev.oauthlet.error.ErrorCode;
import dev.oauthlet.error.OAuthException;
import dev.oauthlet.protocol.TokenResponse;
import dev.oauthlet.token.AccessToken;
import dev.oauthlet.user.AuthenticatedUser;
import dev.oauthlet.user.UserCredentials;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static dev.oauthlet.TestServers.assertRefused;
import static dev.oauthlet.TestServers.basic;
import static dev.oauthlet.TestServers.server;
import static dev.oauthlet.TestServers.token;
import static dev.oauthlet.TestServers.tokenWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PasswordGrantTest {

    static final String CONFIG = """
            audiences: [api]
            clients:
              - id: app
                secret: app-secret
                grants: [password, refresh_token]
                scopes: [profile, orders]
              - id: kiosk
                secret: kiosk-secret
                grants: [password]
              - id: mobile
                public: true
                grants: [password, refresh_token]
            users:
              - username: alice
                password: alice-password
                tenants:
                  - {type: merchant, id: shop-1}
                  - {type: merchant, id: shop-2}
                claims: {email: alice@example.com}
            """;

    private final MutableClock clock = new MutableClock();
    private final Oauthlet server = server(CONFIG, clock);

    @AfterEach
    void close() {
        server.close();
    }

    private TokenResponse login(String... extra) {
        String[] base = {"grant_type", "password", "username", "alice", "password", "alice-password"};
        String[] all = new String[base.length + extra.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return tokenWith(server, basic("app", "app-secret"), all);
    }

    @Test
    void tokenWhenPasswordRightThenUserTokenWithRefreshTokenAndUserClaims() {
        TokenResponse r = login();
        AccessToken t = server.verifier().verify(r.accessToken());
        assertEquals("alice", t.subject());
        assertEquals("app", t.clientId());
        assertEquals("alice@example.com", t.claims().get("email"));
        assertEquals("profile orders", r.scope());
        assertNotNull(r.refreshToken());
    }

    @Test
    void tokenWhenPasswordWrongThenInvalidGrant() {
        assertRefused(ErrorCode.INVALID_GRANT, () -> tokenWith(server, basic("app", "app-secret"),
                "grant_type", "password", "username", "alice", "password", "guess"));
    }

    @Test
    void tokenWhenUserUnknownThenInvalidGrantWithTheSameDescription() {
        var unknown = assertRefused(ErrorCode.INVALID_GRANT, () -> tokenWith(server, basic("app", "app-secret"),
                "grant_type", "password", "username", "mallory", "password", "guess"));
        var wrong = assertRefused(ErrorCode.INVALID_GRANT, () -> tokenWith(server, basic("app", "app-secret"),
                "grant_type", "password", "username", "alice", "password", "guess"));
        assertEquals(wrong.description(), unknown.description());
    }

    @Test
    void tokenWhenUsernameMissingThenInvalidRequest() {
        var e = assertRefused(ErrorCode.INVALID_REQUEST, () -> tokenWith(server, basic("app", "app-secret"),
                "grant_type", "password", "password", "alice-password"));
        assertEquals("username is missing", e.description());
    }

    @Test
    void tokenWhenTenantIsTheUsersThenTenantClaims() {
        AccessToken t = server.verifier().verify(login("tenantType", "merchant", "tenantId", "shop-2").accessToken());
        assertEquals("merchant", t.claims().get("tenantType"));
        assertEquals("shop-2", t.claims().get("tenantId"));
    }

    @Test
    void tokenWhenTenantIsNotTheUsersThenInvalidGrant() {
        var e = assertRefused(ErrorCode.INVALID_GRANT, () -> login("tenantType", "merchant", "tenantId", "shop-9"));
        assertEquals("the user does not belong to this tenant", e.description());
    }

    @Test
    void tokenWhenTenantNamedButPasswordWrongThenSameAnswerAsAnyWrongPassword() {
        // Tenant membership is only checked after the password: a guesser learns nothing about it.
        var e = assertRefused(ErrorCode.INVALID_GRANT, () -> tokenWith(server, basic("app", "app-secret"), "grant_type", "password",
                "username", "alice", "password", "guess", "tenantType", "merchant", "tenantId", "shop-9"));
        assertEquals("the username or password is wrong", e.description());
    }

    @Test
    void tokenWhenScopeOutsideClientsThenInvalidScope() {
        assertRefused(ErrorCode.INVALID_SCOPE, () -> login("scope", "admin"));
    }

    @Test
    void tokenWhenClientLacksRefreshGrantThenNoRefreshToken() {
        TokenResponse r = tokenWith(server, basic("kiosk", "kiosk-secret"),
                "grant_type", "password", "username", "alice", "password", "alice-password");
        assertNull(r.refreshToken());
    }

    @Test
    void tokenWhenPublicClientSendsOnlyItsIdThenIssued() {
        TokenResponse r = token(server, "grant_type", "password", "client_id", "mobile", "username", "alice", "password", "alice-password");
        assertEquals("mobile", server.verifier().verify(r.accessToken()).clientId());
    }

    @Test
    void tokenWhenConfidentialClientSendsOnlyItsIdThenInvalidClient() {
        assertRefused(ErrorCode.INVALID_CLIENT, () -> token(server, "grant_type", "password", "client_id", "app",
                "username", "alice", "password", "alice-password"));
    }

    @Test
    void tokenWhenApplicationsUserAuthenticatorThenItDecidesWithTheRequestsAttributes() {
        List<UserCredentials> seen = new CopyOnWriteArrayList<>();
        try (Oauthlet s = server(CONFIG, clock, b -> b.userAuthenticator(c -> {
            seen.add(c);
            if (!c.password().equals("app-users-password")) {
                return Optional.empty();
            }
            if (!"acme".equals(c.attributes().get("tenantId"))) {
                throw OAuthException.invalidGrant("not a member of that tenant");
            }
            return Optional.of(new AuthenticatedUser("user-42", Map.of("tenantId", "acme", "plan", "gold")));
        }))) {
            TokenResponse r = tokenWith(s, basic("app", "app-secret"), "grant_type", "password", "username", "bob",
                    "password", "app-users-password", "tenantId", "acme");
            AccessToken t = s.verifier().verify(r.accessToken());
            assertEquals("user-42", t.subject());
            assertEquals("gold", t.claims().get("plan"));
            assertEquals(Map.of("tenantId", "acme"), seen.get(0).attributes());
            assertRefused(ErrorCode.INVALID_GRANT, () -> tokenWith(s, basic("app", "app-secret"), "grant_type", "password",
                    "username", "bob", "password", "app-users-password", "tenantId", "other"));
            // The built-in store's alice does not exist for this authenticator.
            assertRefused(ErrorCode.INVALID_GRANT, () -> tokenWith(s, basic("app", "app-secret"), "grant_type", "password",
                    "username", "alice", "password", "alice-password"));
        }
    }

    @Test
    void tokenWhenCustomizerThenClaimsFromClientUserAndRequestButNeverRegisteredOnes() {
        try (Oauthlet s = server(CONFIG, clock, b -> b.customizer((ctx, claims) -> {
            claims.put("client_name", ctx.client().name());
            claims.put("mail", ctx.userClaims().get("email"));
            claims.put("via", ctx.grantType());
            claims.put("tenant_asked", String.valueOf(ctx.parameters().get("tenantId")));
            claims.put("sub", "someone-else");
            claims.put("exp", 0);
        }))) {
            TokenResponse r = tokenWith(s, basic("app", "app-secret"), "grant_type", "password", "username", "alice",
                    "password", "alice-password", "tenantType", "merchant", "tenantId", "shop-1");
            AccessToken t = s.verifier().verify(r.accessToken());
            assertEquals("app", t.claims().get("client_name"));
            assertEquals("alice@example.com", t.claims().get("mail"));
            assertEquals("password", t.claims().get("via"));
            assertEquals("shop-1", t.claims().get("tenant_asked"));
            assertEquals("alice", t.subject());
            assertTrue(t.expiresAt().isAfter(clock.instant()));
            assertFalse(t.claims().containsKey("password"));
        }
    }

    @Test
    void tokenWhenCustomizerThenItNeverSeesThePassword() {
        List<Map<String, String>> seen = new CopyOnWriteArrayList<>();
        try (Oauthlet s = server(CONFIG, clock, b -> b.customizer((ctx, claims) -> seen.add(ctx.parameters())))) {
            tokenWith(s, basic("app", "app-secret"), "grant_type", "password", "username", "alice", "password", "alice-password");
            assertEquals(Set.of(), seen.get(0).keySet());
        }
    }
}
