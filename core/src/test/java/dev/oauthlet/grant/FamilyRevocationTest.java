package dev.oauthlet.grant;

import static dev.oauthlet.TestServers.assertRefused;
import static dev.oauthlet.TestServers.basic;
import static dev.oauthlet.TestServers.params;
import static dev.oauthlet.TestServers.tokenWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oauthlet.MutableClock;
import dev.oauthlet.Oauthlet;
import dev.oauthlet.TestServers;
import dev.oauthlet.error.ErrorCode;
import dev.oauthlet.protocol.TokenManagementRequest;
import dev.oauthlet.protocol.TokenResponse;
import dev.oauthlet.token.BearerTokenValidator;
import dev.oauthlet.token.Revocations;
import dev.oauthlet.token.TokenVerificationException;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Revoking a grant reaches its access tokens: revoking a refresh token, or reusing one after the
 * grace period, takes every unexpired access token of the family with it — introspection says
 * inactive at once, resources refuse them at once on the node that revoked and within
 * {@link Revocations#REFRESH} on every other, without a store read per request.
 */
class FamilyRevocationTest {

    private final MutableClock clock = MutableClock.startingNow();
    private final String yaml = """
            storage: {url: "jdbc:h2:mem:families-%s;DB_CLOSE_DELAY=-1"}
            audiences: [api]
            tokens: {refresh-token-reuse-grace: 10s}
            clients:
              - id: app
                secret: app-secret
                grants: [password, refresh_token, client_credentials]
              - id: rs
                secret: rs-secret
                grants: [client_credentials]
                introspect-audiences: [api]
            users:
              - username: alice
                password: alice-password
            """.formatted(UUID.randomUUID());
    private final Oauthlet a = TestServers.server(yaml, clock);
    private final Oauthlet b = TestServers.server(yaml, clock);

    @AfterEach
    void close() {
        a.close();
        b.close();
    }

    private TokenResponse login() {
        return tokenWith(a, basic("app", "app-secret"), "grant_type", "password", "username", "alice", "password", "alice-password");
    }

    private TokenResponse refresh(String refreshToken) {
        return tokenWith(a, basic("app", "app-secret"), "grant_type", "refresh_token", "refresh_token", refreshToken);
    }

    private boolean active(Oauthlet node, String token) {
        return node.introspect(TokenManagementRequest.parse(params("token", token), basic("rs", "rs-secret"))).active();
    }

    private static BearerTokenValidator resource(Oauthlet node) {
        return new BearerTokenValidator(node.verifier(), Set.of("api"), null, node.revocations(), false);
    }

    private static void assertRefusedAsRevoked(BearerTokenValidator resource, String token) {
        TokenVerificationException e = assertThrows(TokenVerificationException.class, () -> resource.validate(token));
        assertEquals(TokenVerificationException.Reason.REVOKED, e.reason());
    }

    @Test
    void revokeWhenRefreshTokenRevokedThenEveryAccessTokenOfTheFamilyIsInactiveAtOnce() {
        TokenResponse first = login();
        TokenResponse second = refresh(first.refreshToken());
        String unrelated = tokenWith(a, basic("app", "app-secret"), "grant_type", "client_credentials").accessToken();
        BearerTokenValidator resource = resource(a);
        resource.validate(first.accessToken());

        a.revoke(TokenManagementRequest.parse(params("token", second.refreshToken()), basic("app", "app-secret")));

        assertFalse(active(a, first.accessToken()), "issued with the family's first refresh token");
        assertFalse(active(b, second.accessToken()), "issued by the refresh, and on the other node too");
        assertRefusedAsRevoked(resource, first.accessToken());
        assertRefusedAsRevoked(resource, second.accessToken());
        assertTrue(active(a, unrelated), "a token of no family is left alone");
        resource.validate(unrelated);
    }

    @Test
    void refreshWhenReusedAfterTheGracePeriodThenTheFamilysAccessTokensAreRevokedToo() {
        TokenResponse first = login();
        TokenResponse second = refresh(first.refreshToken());
        refresh(second.refreshToken());
        clock.advance(Duration.ofSeconds(11));

        assertRefused(ErrorCode.INVALID_GRANT, () -> refresh(first.refreshToken()));

        assertFalse(active(a, first.accessToken()));
        assertFalse(active(a, second.accessToken()));
        assertRefusedAsRevoked(resource(a), second.accessToken());
    }

    @Test
    void revokeWhenDoneOnAnotherNodeThenItsResourcesRefuseWithinTheRefreshWithoutReadingPerRequest() {
        TokenResponse login = login();
        BearerTokenValidator onB = resource(b);
        onB.validate(login.accessToken());

        a.revoke(TokenManagementRequest.parse(params("token", login.refreshToken()), basic("app", "app-secret")));

        // Node b's copy of the deny-list is younger than REFRESH: it still lets the token through, as documented.
        onB.validate(login.accessToken());
        clock.advance(Revocations.REFRESH.plusMillis(1));
        assertRefusedAsRevoked(onB, login.accessToken());
    }
}
