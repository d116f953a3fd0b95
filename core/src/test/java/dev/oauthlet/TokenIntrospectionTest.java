package dev.oauthlet;

import dev.oauthlet.error.ErrorCode;
import dev.oauthlet.protocol.IntrospectionResponse;
import dev.oauthlet.protocol.TokenManagementRequest;
import dev.oauthlet.protocol.TokenResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static dev.oauthlet.TestServers.assertRefused;
import static dev.oauthlet.TestServers.basic;
import static dev.oauthlet.TestServers.params;
import static dev.oauthlet.TestServers.server;
import static dev.oauthlet.TestServers.tokenWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenIntrospectionTest {

    static final String CONFIG = """
            audiences: [api, billing]
            clients:
              - id: app
                secret: app-secret
                grants: [password, refresh_token]
                scopes: [profile, orders]
                audience: api
              - id: resource-server
                secret: rs-secret
                grants: [client_credentials]
                audience: api
                introspect-audiences: [api]
              - id: billing-rs
                secret: billing-secret
                grants: [client_credentials]
                audience: billing
                introspect-audiences: [billing]
              - id: nosy
                secret: nosy-secret
                grants: [client_credentials]
                audience: api
              - id: mobile
                public: true
                grants: [password, refresh_token]
                audience: api
            users:
              - username: alice
                password: alice-password
                tenants: [{type: merchant, id: shop-1}]
            """;

    private final MutableClock clock = new MutableClock();
    private final Oauthlet server = server(CONFIG, clock);

    @AfterEach
    void close() {
        server.close();
    }

    private TokenResponse login() {
        return tokenWith(server, basic("app", "app-secret"), "grant_type", "password", "username", "alice",
                "password", "alice-password", "tenantType", "merchant", "tenantId", "shop-1");
    }

    private IntrospectionResponse introspect(String authorization, String token) {
        return server.introspect(TokenManagementRequest.parse(params("token", token), authorization));
    }

    @Test
    void introspectWhenActiveAccessTokenThenItsClaims() {
        TokenResponse login = login();
        IntrospectionResponse r = introspect(basic("resource-server", "rs-secret"), login.accessToken());
        assertTrue(r.active());
        Map<String, Object> m = r.members();
        assertEquals("orders profile", m.get("scope"));
        assertEquals("app", m.get("client_id"));
        assertEquals("alice", m.get("sub"));
        assertEquals("api", m.get("aud"));
        assertEquals("Bearer", m.get("token_type"));
        assertEquals(clock.instant().plus(Duration.ofHours(1)).getEpochSecond(), m.get("exp"));
        assertEquals("shop-1", m.get("tenantId"));
        assertTrue(r.toJson().startsWith("{\"active\":true,"), r.toJson());
    }

    @Test
    void introspectWhenCallerServesAnotherAudienceThenInactiveLikeAnUnknownToken() {
        TokenResponse login = login();
        assertEquals(java.util.Map.of("active", false), introspect(basic("billing-rs", "billing-secret"), login.accessToken()).toMap());
    }

    @Test
    void introspectWhenCallerHasNoIntrospectAudiencesThenOnlyItsOwnTokensAreActive() {
        TokenResponse login = login();
        assertFalse(introspect(basic("nosy", "nosy-secret"), login.accessToken()).active(), "same audience, but not configured to serve it");
        String own = tokenWith(server, basic("nosy", "nosy-secret"), "grant_type", "client_credentials").accessToken();
        assertTrue(introspect(basic("nosy", "nosy-secret"), own).active());
        assertTrue(introspect(basic("app", "app-secret"), login.accessToken()).active(), "a client reads its own token");
    }

    @Test
    void introspectWhenAccessTokenRevokedThenInactive() {
        TokenResponse login = login();
        server.revoke(TokenManagementRequest.parse(params("token", login.accessToken()), basic("app", "app-secret")));
        IntrospectionResponse r = introspect(basic("resource-server", "rs-secret"), login.accessToken());
        assertFalse(r.active());
        assertEquals("{\"active\":false}", r.toJson());
    }

    @Test
    void introspectWhenRefreshTokenRevokedThenInactive() {
        TokenResponse login = login();
        server.revoke(TokenManagementRequest.parse(params("token", login.refreshToken()), basic("app", "app-secret")));
        assertFalse(introspect(basic("app", "app-secret"), login.refreshToken()).active());
    }

    @Test
    void introspectWhenAccessTokenExpiredThenInactive() {
        TokenResponse login = login();
        clock.advance(Duration.ofHours(2));
        assertFalse(introspect(basic("resource-server", "rs-secret"), login.accessToken()).active());
    }

    @Test
    void introspectWhenTokenUnknownThenInactive() {
        assertFalse(introspect(basic("resource-server", "rs-secret"), "never-issued").active());
        assertFalse(introspect(basic("resource-server", "rs-secret"), "eyJhbGciOiJub25lIn0.e30.").active());
    }

    @Test
    void introspectWhenOwnRefreshTokenThenActiveWithItsGrant() {
        TokenResponse login = login();
        IntrospectionResponse r = introspect(basic("app", "app-secret"), login.refreshToken());
        assertTrue(r.active());
        assertEquals("refresh_token", r.members().get("token_type"));
        assertEquals("alice", r.members().get("sub"));
        assertEquals("shop-1", r.members().get("tenantId"));
    }

    @Test
    void introspectWhenAnotherClientsRefreshTokenThenInactive() {
        TokenResponse login = login();
        assertFalse(introspect(basic("resource-server", "rs-secret"), login.refreshToken()).active());
    }

    @Test
    void introspectWhenRefreshTokenRotatedThenInactive() {
        TokenResponse login = login();
        tokenWith(server, basic("app", "app-secret"), "grant_type", "refresh_token", "refresh_token", login.refreshToken());
        assertFalse(introspect(basic("app", "app-secret"), login.refreshToken()).active());
    }

    @Test
    void introspectWhenPublicClientThenInvalidClient() {
        TokenResponse login = login();
        assertRefused(ErrorCode.INVALID_CLIENT, () -> server.introspect(TokenManagementRequest.parse(
                params("token", login.accessToken(), "client_id", "mobile"), null)));
    }

    @Test
    void introspectWhenNoClientAuthenticationThenInvalidClient() {
        TokenResponse login = login();
        assertRefused(ErrorCode.INVALID_CLIENT, () -> introspect(null, login.accessToken()));
    }

    @Test
    void introspectWhenAccessTokenOffersToAuthenticateThenInvalidClient() {
        TokenResponse login = login();
        assertRefused(ErrorCode.INVALID_CLIENT, () -> introspect("Bearer " + login.accessToken(), login.accessToken()));
    }
}
