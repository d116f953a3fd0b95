package dev.oauthlet.grant;

import dev.oauthlet.MutableClock;
import dev.oauthlet.Oauthlet;
import dev.oauthlet.error.ErrorCode;
import dev.oauthlet.protocol.TokenResponse;
import dev.oauthlet.token.AccessToken;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static dev.oauthlet.TestServers.assertRefused;
import static dev.oauthlet.TestServers.basic;
import static dev.oauthlet.TestServers.server;
import static dev.oauthlet.TestServers.token;
import static dev.oauthlet.TestServers.tokenWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

class ClientCredentialsGrantTest {

    static final String CONFIG = """
            audiences: [api]
            clients:
              - id: service
                secret: service-secret
                grants: [client_credentials]
                scopes: [read, write, admin]
                default-scopes: [read]
              - id: quick
                secret: quick-secret
                grants: [client_credentials, refresh_token]
                access-token-ttl: 2h
                refresh-token-for-client-credentials: true
              - id: app
                secret: app-secret
                grants: [password]
              - id: spa
                public: true
                grants: [client_credentials]
            """;

    private final MutableClock clock = new MutableClock();
    private final Oauthlet server = server(CONFIG, clock);

    @AfterEach
    void close() {
        server.close();
    }

    @Test
    void tokenWhenClientSecretBasicThenAccessTokenForTheClientItself() {
        TokenResponse r = tokenWith(server, basic("service", "service-secret"), "grant_type", "client_credentials");
        AccessToken t = server.verifier().verify(r.accessToken());
        assertEquals("service", t.subject());
        assertEquals("service", t.clientId());
        assertEquals("api", t.audience());
        assertEquals(Set.of("read"), t.scopes());
        assertEquals("Bearer", r.tokenType());
        assertEquals(3600, r.expiresIn());
        assertEquals("read", r.scope());
        // RFC 6749 §4.4.3: no refresh token unless the client opted in.
        assertNull(r.refreshToken());
    }

    @Test
    void tokenWhenClientSecretPostThenIssued() {
        TokenResponse r = token(server, "grant_type", "client_credentials", "client_id", "service", "client_secret", "service-secret");
        assertEquals("service", server.verifier().verify(r.accessToken()).subject());
    }

    @Test
    void tokenWhenSecretIsWrongThenInvalidClient() {
        assertRefused(ErrorCode.INVALID_CLIENT, () -> tokenWith(server, basic("service", "wrong"), "grant_type", "client_credentials"));
    }

    @Test
    void tokenWhenSecretIsRightAfterACachedCheckThenStillIssuedAndWrongOneStillRefused() {
        tokenWith(server, basic("service", "service-secret"), "grant_type", "client_credentials");
        assertNotNull(tokenWith(server, basic("service", "service-secret"), "grant_type", "client_credentials").accessToken());
        assertRefused(ErrorCode.INVALID_CLIENT, () -> tokenWith(server, basic("service", "service-secreT"), "grant_type", "client_credentials"));
    }

    @Test
    void tokenWhenClientUnknownThenInvalidClient() {
        assertRefused(ErrorCode.INVALID_CLIENT, () -> tokenWith(server, basic("nobody", "x"), "grant_type", "client_credentials"));
    }

    @Test
    void tokenWhenNoClientAuthenticationThenInvalidClient() {
        assertRefused(ErrorCode.INVALID_CLIENT, () -> token(server, "grant_type", "client_credentials"));
    }

    @Test
    void tokenWhenGrantNotInClientsListThenUnauthorizedClient() {
        assertRefused(ErrorCode.UNAUTHORIZED_CLIENT, () -> tokenWith(server, basic("app", "app-secret"), "grant_type", "client_credentials"));
    }

    @Test
    void tokenWhenPublicClientThenRefused() {
        assertRefused(ErrorCode.UNAUTHORIZED_CLIENT, () -> token(server, "grant_type", "client_credentials", "client_id", "spa"));
    }

    @Test
    void tokenWhenGrantTypeUnknownThenUnsupportedGrantType() {
        assertRefused(ErrorCode.UNSUPPORTED_GRANT_TYPE, () -> tokenWith(server, basic("service", "service-secret"), "grant_type", "magic"));
    }

    @Test
    void tokenWhenScopeOutsideAllowedThenInvalidScope() {
        var e = assertRefused(ErrorCode.INVALID_SCOPE, () -> tokenWith(server, basic("service", "service-secret"),
                "grant_type", "client_credentials", "scope", "read delete"));
        assertEquals("scope 'delete' is not allowed for this client", e.description());
    }

    @Test
    void tokenWhenScopeHasIllegalCharacterThenInvalidScope() {
        assertRefused(ErrorCode.INVALID_SCOPE, () -> tokenWith(server, basic("service", "service-secret"),
                "grant_type", "client_credentials", "scope", "read\u00e9"));
    }

    @Test
    void tokenWhenScopesRequestedThenGrantedAndPrintedInTheClientsOrder() {
        TokenResponse r = tokenWith(server, basic("service", "service-secret"), "grant_type", "client_credentials", "scope", "admin read");
        assertEquals("read admin", r.scope());
        assertEquals(Set.of("read", "admin"), server.verifier().verify(r.accessToken()).scopes());
    }

    @Test
    void tokenWhenClientOptedInThenRefreshTokenWithClientCredentialsAndClientsOwnLifetime() {
        TokenResponse r = tokenWith(server, basic("quick", "quick-secret"), "grant_type", "client_credentials");
        assertNotNull(r.refreshToken());
        // 32 random bytes, base64url: at least 256 bits of entropy.
        assertEquals(43, r.refreshToken().length());
        assertEquals(7200, r.expiresIn());
        TokenResponse refreshed = tokenWith(server, basic("quick", "quick-secret"), "grant_type", "refresh_token",
                "refresh_token", r.refreshToken());
        assertEquals("quick", server.verifier().verify(refreshed.accessToken()).subject());
    }

    @Test
    void tokenWhenTokenTypeAndScopeSeparatorConfiguredThenResponseSpelledThatWay() {
        try (Oauthlet s = server("""
                tokens:
                  token-type: bearer
                  scope-separator: ", "
                audiences: [api]
                clients:
                  - id: c
                    secret: s
                    grants: [client_credentials]
                    scopes: [user, password]
                """, clock)) {
            TokenResponse r = tokenWith(s, basic("c", "s"), "grant_type", "client_credentials");
            assertEquals("bearer", r.tokenType());
            assertEquals("user, password", r.scope());
            // The claim stays RFC 9068's space-delimited list.
            assertEquals(Set.of("user", "password"), s.verifier().verify(r.accessToken()).scopes());
            // What the API prints, a client may send back.
            TokenResponse narrowed = tokenWith(s, basic("c", "s"), "grant_type", "client_credentials", "scope", "password,user");
            assertEquals("user, password", narrowed.scope());
        }
    }
}
