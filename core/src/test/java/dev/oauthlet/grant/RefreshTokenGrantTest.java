package dev.oauthlet.grant;

import dev.oauthlet.MutableClock;
import dev.oauthlet.Oauthlet;
import dev.oauthlet.error.ErrorCode;
import dev.oauthlet.protocol.TokenResponse;
import dev.oauthlet.token.AccessToken;
import dev.oauthlet.user.AuthenticatedUser;
import dev.oauthlet.user.UserAuthenticator;
import dev.oauthlet.user.UserCredentials;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static dev.oauthlet.TestServers.assertRefused;
import static dev.oauthlet.TestServers.basic;
import static dev.oauthlet.TestServers.server;
import static dev.oauthlet.TestServers.token;
import static dev.oauthlet.TestServers.tokenWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

class RefreshTokenGrantTest {

    static final String CONFIG = """
            audiences: [api]
            tokens:
              refresh-token-ttl: 30d
              refresh-token-reuse-grace: 10s
            clients:
              - id: app
                secret: app-secret
                grants: [password, refresh_token]
                scopes: [profile, orders]
              - id: keeper
                secret: keeper-secret
                grants: [password, refresh_token]
                refresh-token-rotation: keep
                refresh-token-ttl: 90d
              - id: trusting
                secret: trusting-secret
                grants: [password, refresh_token]
                refresh-without-client-authentication: true
              - id: mobile
                public: true
                grants: [password, refresh_token]
              - id: tablet
                public: true
                grants: [password, refresh_token]
            users:
              - username: alice
                password: alice-password
                tenants: [{type: merchant, id: shop-1}, {type: merchant, id: shop-2}]
            """;

    private final MutableClock clock = new MutableClock();
    private final Oauthlet server = server(CONFIG, clock);

    @AfterEach
    void close() {
        server.close();
    }

    private TokenResponse login(String client, String... extra) {
        String[] base = {"grant_type", "password", "username", "alice", "password", "alice-password"};
        String[] all = java.util.stream.Stream.concat(java.util.Arrays.stream(base), java.util.Arrays.stream(extra)).toArray(String[]::new);
        return tokenWith(server, basic(client, client + "-secret"), all);
    }

    private TokenResponse refresh(String client, String refreshToken, String... extra) {
        String[] base = {"grant_type", "refresh_token", "refresh_token", refreshToken};
        String[] all = java.util.stream.Stream.concat(java.util.Arrays.stream(base), java.util.Arrays.stream(extra)).toArray(String[]::new);
        return tokenWith(server, basic(client, client + "-secret"), all);
    }

    @Test
    void refreshWhenRotateThenNewRefreshTokenAndNewAccessTokenForTheSameUser() {
        TokenResponse login = login("app");
        TokenResponse r = refresh("app", login.refreshToken());
        assertNotNull(r.refreshToken());
        assertNotEquals(login.refreshToken(), r.refreshToken());
        assertEquals("alice", server.verifier().verify(r.accessToken()).subject());
        assertEquals("profile orders", r.scope());
    }

    @Test
    void refreshWhenOldTokenPresentedWithinGraceThenSameSuccessor() {
        TokenResponse login = login("app");
        TokenResponse first = refresh("app", login.refreshToken());
        clock.advance(Duration.ofSeconds(10));
        TokenResponse second = refresh("app", login.refreshToken());
        assertEquals(first.refreshToken(), second.refreshToken());
        assertNotEquals(first.accessToken(), second.accessToken());
    }

    @Test
    void refreshWhenOldTokenPresentedAfterGraceThenInvalidGrantAndWholeFamilyRevoked() {
        TokenResponse login = login("app");
        TokenResponse first = refresh("app", login.refreshToken());
        TokenResponse second = refresh("app", first.refreshToken());
        clock.advance(Duration.ofSeconds(11));
        var e = assertRefused(ErrorCode.INVALID_GRANT, () -> refresh("app", login.refreshToken()));
        assertEquals("the refresh token was already used; its token family is revoked", e.description());
        assertRefused(ErrorCode.INVALID_GRANT, () -> refresh("app", first.refreshToken()));
        assertRefused(ErrorCode.INVALID_GRANT, () -> refresh("app", second.refreshToken()));
        // Another login of the same user starts a family of its own, untouched.
        assertNotNull(refresh("app", login("app").refreshToken()).refreshToken());
    }

    @Test
    void refreshWhenOldTokenPresentedAfterGraceAndSuccessorNeverUsedThenSameSuccessor() {
        // The lost answer: the rotation committed, the client never saw its successor and retries later.
        TokenResponse login = login("app");
        TokenResponse lost = refresh("app", login.refreshToken());
        clock.advance(Duration.ofHours(1));
        TokenResponse retry = refresh("app", login.refreshToken());
        assertEquals(lost.refreshToken(), retry.refreshToken());
        assertEquals("alice", server.verifier().verify(retry.accessToken()).subject());
        assertNotNull(refresh("app", retry.refreshToken()).refreshToken(), "the family lives on");
    }

    @Test
    void refreshWhenOldTokenPresentedAfterRetriedSuccessorWasUsedThenInvalidGrantAndFamilyRevoked() {
        TokenResponse login = login("app");
        TokenResponse lost = refresh("app", login.refreshToken());
        clock.advance(Duration.ofMinutes(1));
        TokenResponse retry = refresh("app", login.refreshToken());
        TokenResponse next = refresh("app", retry.refreshToken());
        clock.advance(Duration.ofMinutes(1));
        var e = assertRefused(ErrorCode.INVALID_GRANT, () -> refresh("app", login.refreshToken()));
        assertEquals("the refresh token was already used; its token family is revoked", e.description());
        assertRefused(ErrorCode.INVALID_GRANT, () -> refresh("app", lost.refreshToken()));
        assertRefused(ErrorCode.INVALID_GRANT, () -> refresh("app", next.refreshToken()));
    }

    @Test
    void refreshWhenKeepThenNoNewRefreshTokenAndTheSameOneKeepsWorking() {
        TokenResponse login = login("keeper");
        TokenResponse r1 = refresh("keeper", login.refreshToken());
        clock.advance(Duration.ofDays(60));
        TokenResponse r2 = refresh("keeper", login.refreshToken());
        assertNull(r1.refreshToken());
        assertNull(r2.refreshToken());
        assertEquals("alice", server.verifier().verify(r2.accessToken()).subject());
    }

    @Test
    void refreshWhenClientsOwnLifetimeIsOverThenInvalidGrant() {
        TokenResponse login = login("keeper");
        clock.advance(Duration.ofDays(90));
        var e = assertRefused(ErrorCode.INVALID_GRANT, () -> refresh("keeper", login.refreshToken()));
        assertEquals("the refresh token has expired", e.description());
    }

    @Test
    void refreshWhenServerLifetimeIsOverThenInvalidGrant() {
        TokenResponse login = login("app");
        clock.advance(Duration.ofDays(30));
        assertRefused(ErrorCode.INVALID_GRANT, () -> refresh("app", login.refreshToken()));
    }

    @Test
    void refreshWhenScopeNarrowedThenAccessTokenNarrowedAndRefreshTokenKeepsTheGrant() {
        TokenResponse login = login("app");
        TokenResponse narrow = refresh("app", login.refreshToken(), "scope", "orders");
        assertEquals("orders", narrow.scope());
        assertEquals(Set.of("orders"), server.verifier().verify(narrow.accessToken()).scopes());
        TokenResponse full = refresh("app", narrow.refreshToken());
        assertEquals("profile orders", full.scope());
    }

    @Test
    void refreshWhenScopeWidenedThenInvalidScope() {
        TokenResponse login = login("app", "scope", "orders");
        assertRefused(ErrorCode.INVALID_SCOPE, () -> refresh("app", login.refreshToken(), "scope", "orders profile"));
    }

    @Test
    void refreshWhenLoggedInForTenantThenTenantClaimsAgainAfterRefresh() {
        TokenResponse login = login("app", "tenantType", "merchant", "tenantId", "shop-2");
        TokenResponse r = refresh("app", login.refreshToken(), "tenantType", "merchant", "tenantId", "shop-2");
        AccessToken t = server.verifier().verify(r.accessToken());
        assertEquals("merchant", t.claims().get("tenantType"));
        assertEquals("shop-2", t.claims().get("tenantId"));
        // Without naming the tenant, the token's own tenant still applies.
        AccessToken again = server.verifier().verify(refresh("app", r.refreshToken()).accessToken());
        assertEquals("shop-2", again.claims().get("tenantId"));
    }

    @Test
    void refreshWhenAnotherTenantNamedThenInvalidGrant() {
        TokenResponse login = login("app", "tenantType", "merchant", "tenantId", "shop-1");
        assertRefused(ErrorCode.INVALID_GRANT, () -> refresh("app", login.refreshToken(), "tenantType", "merchant", "tenantId", "shop-2"));
    }

    @Test
    void refreshWhenTenantNamedForTokenIssuedWithoutOneThenInvalidGrant() {
        TokenResponse login = login("app");
        assertRefused(ErrorCode.INVALID_GRANT, () -> refresh("app", login.refreshToken(), "tenantType", "merchant", "tenantId", "shop-1"));
    }

    @Test
    void refreshWhenOwnAuthenticatorsIdentityParameterAddedThenInvalidGrantAndTenantParametersLeftAlone() {
        UserAuthenticator regional = new UserAuthenticator() {
            @Override
            public Optional<AuthenticatedUser> authenticate(UserCredentials c) {
                String region = c.attributes().get("region");
                return Optional.of(new AuthenticatedUser(c.username(), region == null ? Map.of() : Map.of("region", region)));
            }

            @Override
            public Set<String> identityParameters() {
                return Set.of("region");
            }
        };
        try (Oauthlet regionalServer = server(CONFIG, clock, b -> b.userAuthenticator(regional))) {
            // Logged in without a region: a refresh may not add one.
            TokenResponse login = tokenWith(regionalServer, basic("app", "app-secret"), "grant_type", "password", "username", "bob",
                    "password", "any");
            assertRefused(ErrorCode.INVALID_GRANT, () -> tokenWith(regionalServer, basic("app", "app-secret"), "grant_type",
                    "refresh_token", "refresh_token", login.refreshToken(), "region", "us"));
            // tenantType is not among this authenticator's identity parameters: the grant leaves it alone.
            assertNotNull(tokenWith(regionalServer, basic("app", "app-secret"), "grant_type", "refresh_token", "refresh_token",
                    login.refreshToken(), "tenantType", "merchant").accessToken());
        }
    }

    @Test
    void refreshWhenTokenOfAnotherClientThenInvalidGrant() {
        TokenResponse login = login("app");
        var e = assertRefused(ErrorCode.INVALID_GRANT, () -> refresh("keeper", login.refreshToken()));
        assertEquals("the refresh token is invalid", e.description());
        // The owner can still use it: the foreign attempt changed nothing.
        assertNotNull(refresh("app", login.refreshToken()).refreshToken());
    }

    @Test
    void refreshWhenTokenUnknownThenInvalidGrant() {
        assertRefused(ErrorCode.INVALID_GRANT, () -> refresh("app", "not-a-token"));
    }

    @Test
    void refreshWhenRefreshTokenMissingThenInvalidRequest() {
        assertRefused(ErrorCode.INVALID_REQUEST, () -> tokenWith(server, basic("app", "app-secret"), "grant_type", "refresh_token"));
    }

    @Test
    void refreshWhenNoClientAuthenticationAndClientOptedInThenTheTokenIdentifiesIt() {
        TokenResponse login = login("trusting");
        TokenResponse r = token(server, "grant_type", "refresh_token", "refresh_token", login.refreshToken());
        assertEquals("trusting", server.verifier().verify(r.accessToken()).clientId());
    }

    @Test
    void refreshWhenNoClientAuthenticationAndClientDidNotOptInThenInvalidClient() {
        TokenResponse login = login("app");
        assertRefused(ErrorCode.INVALID_CLIENT, () -> token(server, "grant_type", "refresh_token", "refresh_token", login.refreshToken()));
    }

    @Test
    void refreshWhenPublicClientSendsOnlyItsIdThenIssuedButNotWithAnotherPublicClientsId() {
        TokenResponse login = token(server, "grant_type", "password", "client_id", "mobile", "username", "alice", "password", "alice-password");
        assertRefused(ErrorCode.INVALID_GRANT, () -> token(server, "grant_type", "refresh_token", "client_id", "tablet",
                "refresh_token", login.refreshToken()));
        TokenResponse r = token(server, "grant_type", "refresh_token", "client_id", "mobile", "refresh_token", login.refreshToken());
        assertEquals("mobile", server.verifier().verify(r.accessToken()).clientId());
        assertNotNull(r.refreshToken());
    }

    @Test
    void refreshWhenNoClientAuthenticationAndUnknownTokenThenInvalidClient() {
        assertRefused(ErrorCode.INVALID_CLIENT, () -> token(server, "grant_type", "refresh_token", "refresh_token", "nope"));
    }

    @Test
    void refreshWhenTheFamilyReachesItsMaximumLifetimeThenItEndsHoweverOftenItWasRefreshed() {
        try (Oauthlet capped = server(CONFIG.replace("refresh-token-ttl: 30d", "refresh-token-ttl: 30d\n  refresh-token-max-lifetime: 45d"),
                clock)) {
            String refresh = tokenWith(capped, basic("app", "app-secret"), "grant_type", "password", "username", "alice",
                    "password", "alice-password").refreshToken();
            clock.advance(Duration.ofDays(20));
            refresh = tokenWith(capped, basic("app", "app-secret"), "grant_type", "refresh_token", "refresh_token", refresh).refreshToken();
            clock.advance(Duration.ofDays(24));
            // Day 44: the successor of day 20 would live to day 50 on its own; the family ends on day 45.
            refresh = tokenWith(capped, basic("app", "app-secret"), "grant_type", "refresh_token", "refresh_token", refresh).refreshToken();
            clock.advance(Duration.ofDays(1).plusSeconds(1));
            String last = refresh;
            assertRefused(ErrorCode.INVALID_GRANT, () -> tokenWith(capped, basic("app", "app-secret"), "grant_type", "refresh_token",
                    "refresh_token", last));
        }
    }
}
