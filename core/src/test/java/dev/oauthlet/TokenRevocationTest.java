package dev.oauthlet;

import dev.oauthlet.error.ErrorCode;
import dev.oauthlet.protocol.TokenManagementRequest;
import dev.oauthlet.protocol.TokenResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static dev.oauthlet.TestServers.assertRefused;
import static dev.oauthlet.TestServers.basic;
import static dev.oauthlet.TestServers.params;
import static dev.oauthlet.TestServers.server;
import static dev.oauthlet.TestServers.token;
import static dev.oauthlet.TestServers.tokenWith;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenRevocationTest {

    static final String CONFIG = """
            audiences: [api]
            clients:
              - id: app
                secret: app-secret
                grants: [password, refresh_token]
              - id: other
                secret: other-secret
                grants: [password, refresh_token]
              - id: mobile
                public: true
                grants: [password, refresh_token]
            users:
              - username: alice
                password: alice-password
            """;

    private final MutableClock clock = new MutableClock();
    private final Oauthlet server = server(CONFIG, clock);

    @AfterEach
    void close() {
        server.close();
    }

    private TokenResponse login(String client) {
        return tokenWith(server, basic(client, client + "-secret"), "grant_type", "password", "username", "alice", "password", "alice-password");
    }

    private TokenResponse refresh(String client, String refreshToken) {
        return tokenWith(server, basic(client, client + "-secret"), "grant_type", "refresh_token", "refresh_token", refreshToken);
    }

    private void revoke(String authorization, String... nameValues) {
        server.revoke(TokenManagementRequest.parse(params(nameValues), authorization));
    }

    @Test
    void revokeWhenRefreshTokenThenItsWholeFamilyStopsWorking() {
        TokenResponse login = login("app");
        TokenResponse rotated = refresh("app", login.refreshToken());
        revoke(basic("app", "app-secret"), "token", rotated.refreshToken(), "token_type_hint", "refresh_token");
        assertRefused(ErrorCode.INVALID_GRANT, () -> refresh("app", rotated.refreshToken()));
        // The rotated-away original would still have answered within the grace period: not any more.
        assertRefused(ErrorCode.INVALID_GRANT, () -> refresh("app", login.refreshToken()));
    }

    @Test
    void revokeWhenHintIsWrongThenTheTokenIsRevokedAnyway() {
        TokenResponse login = login("app");
        revoke(basic("app", "app-secret"), "token", login.refreshToken(), "token_type_hint", "access_token");
        assertRefused(ErrorCode.INVALID_GRANT, () -> refresh("app", login.refreshToken()));
    }

    @Test
    void revokeWhenAccessTokenThenDenyListedUntilItExpires() {
        TokenResponse login = login("app");
        var token = server.verifier().verify(login.accessToken());
        revoke(basic("app", "app-secret"), "token", login.accessToken());
        assertTrue(server.isRevoked(token));
        clock.advance(Duration.ofHours(2));
        assertTrue(server.storage().revokedTokens().purgeExpired(clock.instant(), 100) >= 1, "kept only until the token expires");
        // The refresh token of the same login is a separate token and still works.
        assertNotNull(refresh("app", login.refreshToken()).accessToken());
    }

    @Test
    void revokeWhenTokenOfAnotherClientThenAnsweredAlikeButNothingRevoked() {
        TokenResponse theirs = login("other");
        revoke(basic("app", "app-secret"), "token", theirs.refreshToken());
        revoke(basic("app", "app-secret"), "token", theirs.accessToken());
        assertNotNull(refresh("other", theirs.refreshToken()).refreshToken());
        assertFalse(server.isRevoked(server.verifier().verify(theirs.accessToken())));
    }

    @Test
    void revokeWhenTokenUnknownThenNoErrorAndTheClientsTokensStillWork() {
        TokenResponse login = login("app");
        assertDoesNotThrow(() -> revoke(basic("app", "app-secret"), "token", "never-issued"));
        assertDoesNotThrow(() -> revoke(basic("app", "app-secret"), "token", "a.b.c"));
        assertFalse(server.isRevoked(server.verifier().verify(login.accessToken())));
        assertNotNull(refresh("app", login.refreshToken()).accessToken());
    }

    @Test
    void revokeWhenPublicClientRevokesItsOwnRefreshTokenThenRevoked() {
        TokenResponse login = token(server, "grant_type", "password", "client_id", "mobile", "username", "alice", "password", "alice-password");
        revoke(null, "token", login.refreshToken(), "client_id", "mobile");
        assertRefused(ErrorCode.INVALID_GRANT, () -> token(server, "grant_type", "refresh_token", "client_id", "mobile",
                "refresh_token", login.refreshToken()));
    }

    @Test
    void revokeWhenClientNotAuthenticatedThenInvalidClient() {
        TokenResponse login = login("app");
        assertRefused(ErrorCode.INVALID_CLIENT, () -> revoke(null, "token", login.refreshToken()));
        assertRefused(ErrorCode.INVALID_CLIENT, () -> revoke(basic("app", "wrong"), "token", login.refreshToken()));
        assertNotNull(refresh("app", login.refreshToken()).refreshToken());
    }

    @Test
    void revokeWhenTokenMissingThenInvalidRequest() {
        assertRefused(ErrorCode.INVALID_REQUEST, () -> revoke(basic("app", "app-secret")));
    }

    @Test
    void revokeWhenTokenSentTwiceThenInvalidRequest() {
        assertRefused(ErrorCode.INVALID_REQUEST, () -> revoke(basic("app", "app-secret"), "token", "a", "token", "b"));
    }
}
