package dev.oauthlet.grant;

import static dev.oauthlet.TestServers.assertRefused;
import static dev.oauthlet.TestServers.basic;
import static dev.oauthlet.TestServers.params;
import static dev.oauthlet.TestServers.server;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.oauthlet.MutableClock;
import dev.oauthlet.Oauthlet;
import dev.oauthlet.authorize.LoginOutcome;
import dev.oauthlet.error.ErrorCode;
import dev.oauthlet.error.TooManyAttemptsException;
import dev.oauthlet.protocol.TokenManagementRequest;
import dev.oauthlet.protocol.TokenRequest;
import dev.oauthlet.protocol.TokenResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The token endpoint's limits on guessing passwords and client secrets: per name and address, a
 * higher ceiling per name over all addresses, and per address.
 */
class CredentialGuessingLimitsTest {

    static final String CONFIG = """
            audiences: [api]
            authorization:
              login-max-failures-per-user: 3
              login-max-failures-per-user-any-address: 7
              login-max-failures-per-address: 5
              login-failure-window: 15m
              login-failure-delay: 0s
            clients:
              - id: app
                secret: app-secret
                grants: [password]
              - id: kiosk
                secret: kiosk-secret
                grants: [password]
              - id: extra
                secret: extra-secret
                grants: [password]
            users:
              - username: alice
                password: alice-password
            """;
    static final String ATTACKER = "203.0.113.7";
    static final String ELSEWHERE = "198.51.100.2";
    static final String HOME = "192.0.2.1";
    static final String USER_LOCKED = "too many failed sign-ins for this user or from this address; try again later";
    static final String CLIENT_LOCKED = "too many failed authentications for this client or from this address; try again later";

    private final MutableClock clock = new MutableClock();
    private final Oauthlet server = server(CONFIG, clock);

    @AfterEach
    void close() {
        server.close();
    }

    private TokenResponse password(String username, String password, String address) {
        return passwordAs("app", "app-secret", username, password, address);
    }

    private TokenResponse passwordAs(String client, String secret, String username, String password, String address) {
        return server.token(TokenRequest.parse(params("grant_type", "password", "username", username, "password", password),
                basic(client, secret)).withRemoteAddress(address));
    }

    private void failPassword(String username, String address) {
        assertRefused(ErrorCode.INVALID_GRANT, () -> password(username, "wrong", address));
    }

    @Test
    void tokenWhenPasswordWrongUpToTheLimitFromOneAddressThenThatAddressGets429ButTheRealUserIsNotLockedOut() {
        for (int i = 0; i < 3; i++) {
            failPassword("alice", ATTACKER);
        }
        var e = assertRefused(ErrorCode.INVALID_GRANT, () -> password("alice", "alice-password", ATTACKER));
        assertEquals(USER_LOCKED, e.description());
        TooManyAttemptsException limited = assertInstanceOf(TooManyAttemptsException.class, e);
        assertEquals(429, limited.status());
        assertEquals(Duration.ofMinutes(15), limited.retryAfter());
        assertNotNull(password("alice", "alice-password", HOME).accessToken(), "the real user, from her own address");
        clock.advance(Duration.ofMinutes(16));
        assertNotNull(password("alice", "alice-password", ATTACKER).accessToken());
    }

    @Test
    void tokenWhenGuessesFromManyAddressesReachTheCeilingThenTheUserIsRefusedFromEveryAddressUntilTheWindowPasses() {
        for (int i = 0; i < 7; i++) {
            failPassword("alice", "203.0.113." + (10 + i));
        }
        var e = assertRefused(ErrorCode.INVALID_GRANT, () -> password("alice", "alice-password", HOME));
        assertEquals(USER_LOCKED, e.description());
        clock.advance(Duration.ofMinutes(16));
        assertNotNull(password("alice", "alice-password", HOME).accessToken());
    }

    @Test
    void tokenWhenPasswordRightBeforeTheLimitThenThatAddresssCountStartsAgain() {
        failPassword("alice", ELSEWHERE);
        failPassword("alice", ELSEWHERE);
        assertNotNull(password("alice", "alice-password", ELSEWHERE).accessToken());
        failPassword("alice", ELSEWHERE);
        failPassword("alice", ELSEWHERE);
        assertNotNull(password("alice", "alice-password", ELSEWHERE).accessToken());
    }

    @Test
    void tokenWhenOneAddressGuessesAtManyUsersThenThatAddressIsLockedAndOthersAreNot() {
        for (int i = 0; i < 5; i++) {
            failPassword("user" + i, ATTACKER);
        }
        var e = assertRefused(ErrorCode.INVALID_GRANT, () -> password("alice", "alice-password", ATTACKER));
        assertEquals(USER_LOCKED, e.description());
        assertNotNull(password("alice", "alice-password", ELSEWHERE).accessToken());
    }

    @Test
    void tokenWhenLoginPageUsedUpTheUsersFailuresThenThePasswordGrantIsLockedToo() {
        for (int i = 0; i < 3; i++) {
            assertEquals(LoginOutcome.Refused.class, server.authorizer().signIn("alice", "wrong", ELSEWHERE).getClass());
        }
        assertEquals(LoginOutcome.Throttled.class, server.authorizer().signIn("alice", "alice-password", ELSEWHERE).getClass());
        var e = assertRefused(ErrorCode.INVALID_GRANT, () -> password("alice", "alice-password", ELSEWHERE));
        assertEquals(USER_LOCKED, e.description());
    }

    @Test
    void tokenWhenClientSecretWrongUpToTheLimitThenRefusedBeforeAnyCheckButTheRightSecretStillWorks() {
        for (int i = 0; i < 3; i++) {
            var e = assertRefused(ErrorCode.INVALID_CLIENT, () -> passwordAs("app", "guess", "alice", "alice-password", ATTACKER));
            assertEquals("client authentication failed", e.description());
        }
        var locked = assertRefused(ErrorCode.INVALID_CLIENT, () -> passwordAs("app", "guess", "alice", "alice-password", ATTACKER));
        assertEquals(CLIENT_LOCKED, locked.description());
        assertEquals(429, locked.status());
        // The real secret is recognised without PBKDF2, so guessers cannot lock the client out.
        assertNotNull(passwordAs("app", "app-secret", "alice", "alice-password", ATTACKER).accessToken());
    }

    @Test
    void tokenWhenOneAddressGuessesSecretsOfManyClientsThenThatAddressIsLocked() {
        String[] clients = {"app", "app", "kiosk", "kiosk", "extra"};
        for (String client : clients) {
            assertRefused(ErrorCode.INVALID_CLIENT, () -> passwordAs(client, "guess", "alice", "alice-password", ATTACKER));
        }
        var locked = assertRefused(ErrorCode.INVALID_CLIENT, () -> passwordAs("extra", "guess", "alice", "alice-password", ATTACKER));
        assertEquals(CLIENT_LOCKED, locked.description());
        var elsewhere = assertRefused(ErrorCode.INVALID_CLIENT, () -> passwordAs("extra", "guess", "alice", "alice-password", ELSEWHERE));
        assertEquals("client authentication failed", elsewhere.description());
    }

    @Test
    void revokeWhenClientSecretGuessedThenCountedLikeAtTheTokenEndpoint() {
        for (int i = 0; i < 3; i++) {
            assertRefused(ErrorCode.INVALID_CLIENT, () -> server.revoke(
                    TokenManagementRequest.parse(params("token", "t"), basic("kiosk", "guess")).withRemoteAddress(ATTACKER)));
        }
        var locked = assertRefused(ErrorCode.INVALID_CLIENT, () -> passwordAs("kiosk", "guess", "alice", "alice-password", ATTACKER));
        assertEquals(CLIENT_LOCKED, locked.description());
    }
}
