package dev.oauthlet.grant;

import dev.oauthlet.MutableClock;
import dev.oauthlet.Oauthlet;
import dev.oauthlet.error.ErrorCode;
import dev.oauthlet.protocol.TokenManagementRequest;
import dev.oauthlet.protocol.TokenResponse;
import dev.oauthlet.token.AccessToken;
import dev.oauthlet.token.AccessTokenIssuer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static dev.oauthlet.TestServers.assertRefused;
import static dev.oauthlet.TestServers.basic;
import static dev.oauthlet.TestServers.bearer;
import static dev.oauthlet.TestServers.params;
import static dev.oauthlet.TestServers.server;
import static dev.oauthlet.TestServers.token;
import static dev.oauthlet.TestServers.tokenWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** Seed 000's refresh: the client authenticates with its own, expired, access token in Authorization: Bearer. */
class ExpiredTokenAuthenticationTest {

    static final String CONFIG = """
            audiences: [api]
            tokens:
              access-token-ttl: 1h
              expired-token-max-age: 7d
            clients:
              - id: legacy
                secret: legacy-secret
                grants: [client_credentials, refresh_token]
                refresh-token-for-client-credentials: true
                expired-token-authentication: true
              - id: other
                secret: other-secret
                grants: [client_credentials, refresh_token]
                refresh-token-for-client-credentials: true
                expired-token-authentication: true
              - id: plain
                secret: plain-secret
                grants: [client_credentials, refresh_token]
                refresh-token-for-client-credentials: true
            """;

    private final MutableClock clock = new MutableClock();
    private final Oauthlet server = server(CONFIG, clock);

    @AfterEach
    void close() {
        server.close();
    }

    private TokenResponse login(String client) {
        return token(server, "grant_type", "client_credentials", "client_id", client, "client_secret", client + "-secret");
    }

    @Test
    void refreshWhenExpiredAccessTokenOfTheClientThenIssued() {
        TokenResponse login = login("legacy");
        clock.advance(Duration.ofHours(2));
        TokenResponse r = tokenWith(server, bearer(login.accessToken()), "grant_type", "refresh_token", "refresh_token", login.refreshToken());
        assertEquals("legacy", server.verifier().verify(r.accessToken()).clientId());
        assertNotNull(r.refreshToken());
    }

    @Test
    void refreshWhenAccessTokenStillValidThenIssuedToo() {
        TokenResponse login = login("legacy");
        TokenResponse r = tokenWith(server, bearer(login.accessToken()), "grant_type", "refresh_token", "refresh_token", login.refreshToken());
        assertNotNull(r.accessToken());
    }

    @Test
    void refreshWhenAccessTokenExpiredLongerThanMaxAgeThenInvalidClient() {
        TokenResponse login = login("legacy");
        clock.advance(Duration.ofHours(1).plus(Duration.ofDays(7)).plusSeconds(31));
        var e = assertRefused(ErrorCode.INVALID_CLIENT, () -> tokenWith(server, bearer(login.accessToken()),
                "grant_type", "refresh_token", "refresh_token", login.refreshToken()));
        assertEquals("the access token does not authenticate a client: the token expired too long ago", e.description());
    }

    @Test
    void refreshWhenAccessTokenOfAnotherClientThenInvalidGrant() {
        TokenResponse mine = login("legacy");
        TokenResponse theirs = login("other");
        assertRefused(ErrorCode.INVALID_GRANT, () -> tokenWith(server, bearer(theirs.accessToken()),
                "grant_type", "refresh_token", "refresh_token", mine.refreshToken()));
    }

    @Test
    void refreshWhenAccessTokenSignatureTamperedThenInvalidClient() {
        TokenResponse login = login("legacy");
        String[] parts = login.accessToken().split("\\.");
        String payload = new String(java.util.Base64.getUrlDecoder().decode(parts[1]), java.nio.charset.StandardCharsets.UTF_8)
                .replace("\"legacy\"", "\"other\"");
        String forged = parts[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes(
                java.nio.charset.StandardCharsets.UTF_8)) + "." + parts[2];
        assertRefused(ErrorCode.INVALID_CLIENT, () -> tokenWith(server, bearer(forged),
                "grant_type", "refresh_token", "refresh_token", login.refreshToken()));
    }

    @Test
    void refreshWhenAccessTokenFromAnotherServerThenInvalidClient() {
        TokenResponse login = login("legacy");
        try (Oauthlet elsewhere = server(CONFIG, clock)) {
            TokenResponse foreign = token(elsewhere, "grant_type", "client_credentials", "client_id", "legacy", "client_secret", "legacy-secret");
            assertRefused(ErrorCode.INVALID_CLIENT, () -> tokenWith(server, bearer(foreign.accessToken()),
                    "grant_type", "refresh_token", "refresh_token", login.refreshToken()));
        }
    }

    @Test
    void refreshWhenExpiredAccessTokenNamesAnotherIssuerThenInvalidClient() {
        TokenResponse login = login("legacy");
        // Signed with this server's own key, but claiming another issuer: only iss is wrong.
        Instant now = clock.instant();
        String foreign = new AccessTokenIssuer(server.keys()).sign(new AccessToken("https://elsewhere.example", "legacy", "api",
                "legacy", Set.of(), "jti-elsewhere", now, now.plus(Duration.ofHours(1)), Map.of()));
        clock.advance(Duration.ofHours(2));
        var e = assertRefused(ErrorCode.INVALID_CLIENT, () -> tokenWith(server, bearer(foreign),
                "grant_type", "refresh_token", "refresh_token", login.refreshToken()));
        assertEquals("the access token does not authenticate a client: the token has the wrong issuer", e.description());
    }

    @Test
    void refreshWhenClientDidNotOptInThenInvalidClient() {
        TokenResponse login = login("plain");
        assertRefused(ErrorCode.INVALID_CLIENT, () -> tokenWith(server, bearer(login.accessToken()),
                "grant_type", "refresh_token", "refresh_token", login.refreshToken()));
    }

    @Test
    void tokenWhenAccessTokenOffersToAuthenticateClientCredentialsThenInvalidClient() {
        TokenResponse login = login("legacy");
        var e = assertRefused(ErrorCode.INVALID_CLIENT, () -> tokenWith(server, bearer(login.accessToken()),
                "grant_type", "client_credentials"));
        assertEquals("an access token authenticates a client only to refresh; use the client's credentials", e.description());
    }

    @Test
    void refreshWhenAccessTokenWasRevokedThenInvalidClient() {
        TokenResponse login = login("legacy");
        server.revoke(TokenManagementRequest.parse(params("token", login.accessToken()), basic("legacy", "legacy-secret")));
        assertRefused(ErrorCode.INVALID_CLIENT, () -> tokenWith(server, bearer(login.accessToken()),
                "grant_type", "refresh_token", "refresh_token", login.refreshToken()));
    }

    @Test
    void refreshWhenClientIdSentAlongsideIsAnotherClientThenInvalidClient() {
        TokenResponse login = login("legacy");
        assertRefused(ErrorCode.INVALID_CLIENT, () -> tokenWith(server, bearer(login.accessToken()),
                "grant_type", "refresh_token", "refresh_token", login.refreshToken(), "client_id", "other"));
    }
}
