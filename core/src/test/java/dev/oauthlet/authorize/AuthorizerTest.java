package dev.oauthlet.authorize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oauthlet.MutableClock;
import dev.oauthlet.Oauthlet;
import dev.oauthlet.TestConfigs;
import dev.oauthlet.crypto.Hashes;
import dev.oauthlet.error.OAuthException;
import dev.oauthlet.spi.AuthorizationCodeRecord;
import dev.oauthlet.spi.AuthorizationCodeStore.Redemption;
import dev.oauthlet.user.AuthenticatedUser;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AuthorizerTest {

    private final MutableClock clock = new MutableClock();
    private final Oauthlet server = Oauthlet.builder().config(TestConfigs.load(TestConfigs.AUTHORIZATION_CODE)).clock(clock).build();
    private final Authorizer authorizer = server.authorizer();
    private final AuthenticatedUser alice = new AuthenticatedUser("alice", Map.of("department", "sales"));

    @AfterEach
    void close() {
        server.close();
    }

    private AuthorizationRequest request(String name, String value) {
        Map<String, List<String>> m = AuthorizationRequestTest.valid();
        if (value == null) {
            m.remove(name);
        } else {
            m.put(name, List.of(value));
        }
        return authorizer.parse(m);
    }

    private AuthorizationRequest request() {
        return authorizer.parse(AuthorizationRequestTest.valid());
    }

    static Map<String, String> query(String location) {
        Map<String, String> m = new HashMap<>();
        String q = URI.create(location).getRawQuery();
        for (String pair : q.split("&")) {
            int eq = pair.indexOf('=');
            m.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return m;
    }

    @Test
    void signInWhenPasswordRightThenSignedInWithClaims() {
        LoginOutcome outcome = authorizer.signIn("alice", "alice-password", "10.0.0.1");
        LoginOutcome.SignedIn in = assertInstanceOf(LoginOutcome.SignedIn.class, outcome);
        assertEquals("alice", in.user().subject());
        assertEquals("sales", in.user().claims().get("department"));
    }

    @Test
    void signInWhenPasswordWrongThenRefusedWithoutSayingWhichPart() {
        LoginOutcome.Refused r = assertInstanceOf(LoginOutcome.Refused.class, authorizer.signIn("alice", "nope", "10.0.0.1"));
        assertEquals("The username or password is incorrect.", r.message());
        LoginOutcome.Refused unknown = assertInstanceOf(LoginOutcome.Refused.class, authorizer.signIn("nobody", "nope", "10.0.0.1"));
        assertEquals(r.message(), unknown.message());
    }

    @Test
    void signInWhenFieldsEmptyThenRefusedWithoutCountingAFailure() {
        for (int i = 0; i < 10; i++) {
            assertInstanceOf(LoginOutcome.Refused.class, authorizer.signIn("alice", "", "10.0.0.1"));
        }
        assertInstanceOf(LoginOutcome.SignedIn.class, authorizer.signIn("alice", "alice-password", "10.0.0.1"));
    }

    @Test
    void signInWhenUserFailedTooOftenFromOneAddressThenThrottledThereButNotFromAnother() {
        for (int i = 0; i < 3; i++) {
            assertInstanceOf(LoginOutcome.Refused.class, authorizer.signIn("alice", "wrong" + i, "10.0.0.1"));
        }
        LoginOutcome.Throttled t = assertInstanceOf(LoginOutcome.Throttled.class, authorizer.signIn("alice", "alice-password", "10.0.0.1"));
        assertEquals(Duration.ofMinutes(15), t.retryAfter());
        assertInstanceOf(LoginOutcome.SignedIn.class, authorizer.signIn("alice", "alice-password", "10.9.9.9"),
                "a guesser elsewhere does not lock the real user out");
    }

    @Test
    void signInWhenLockWindowPassedThenAcceptedAgain() {
        for (int i = 0; i < 3; i++) {
            authorizer.signIn("alice", "wrong", "10.0.0.1");
        }
        clock.advance(Duration.ofMinutes(16));
        assertInstanceOf(LoginOutcome.SignedIn.class, authorizer.signIn("alice", "alice-password", "10.0.0.1"));
    }

    @Test
    void signInWhenAddressFailedTooOftenAcrossUsersThenThrottled() {
        // Two guesses each at three accounts: no account reaches its limit of 3, the address reaches its 5.
        for (String user : List.of("alice", "bob", "carol", "alice", "bob")) {
            assertInstanceOf(LoginOutcome.Refused.class, authorizer.signIn(user, "guess", "192.0.2.7"));
        }
        assertInstanceOf(LoginOutcome.Throttled.class, authorizer.signIn("alice", "alice-password", "192.0.2.7"));
        assertInstanceOf(LoginOutcome.SignedIn.class, authorizer.signIn("alice", "alice-password", "192.0.2.8"));
    }

    @Test
    void signInWhenSucceededThenUserFailuresStartAgain() {
        authorizer.signIn("alice", "wrong", "10.0.0.1");
        authorizer.signIn("alice", "wrong", "10.0.0.1");
        assertInstanceOf(LoginOutcome.SignedIn.class, authorizer.signIn("alice", "alice-password", "10.0.0.1"));
        authorizer.signIn("alice", "wrong", "10.0.0.1");
        authorizer.signIn("alice", "wrong", "10.0.0.1");
        assertInstanceOf(LoginOutcome.SignedIn.class, authorizer.signIn("alice", "alice-password", "10.0.0.1"));
    }

    @Test
    void signInWhenFailureDelayConfiguredThenFailureAnswersNoSooner() {
        String yaml = TestConfigs.AUTHORIZATION_CODE.replace("login-failure-delay: 0s", "login-failure-delay: 300ms");
        try (Oauthlet slow = Oauthlet.builder().config(TestConfigs.load(yaml)).build()) {
            long start = System.nanoTime();
            assertInstanceOf(LoginOutcome.Refused.class, slow.authorizer().signIn("alice", "wrong", "10.0.0.1"));
            assertTrue(System.nanoTime() - start >= Duration.ofMillis(300).toNanos());
        }
    }

    @Test
    void needsConsentWhenThirdPartyAndNothingGrantedThenTrue() {
        assertTrue(authorizer.needsConsent(alice, request()));
    }

    @Test
    void needsConsentWhenFirstPartyThenFalse() {
        Map<String, List<String>> m = AuthorizationRequestTest.valid();
        m.put("client_id", List.of("own-app"));
        m.put("redirect_uri", List.of("https://own.example.com/cb"));
        m.put("scope", List.of("orders:read"));
        assertFalse(authorizer.needsConsent(alice, authorizer.parse(m)));
    }

    @Test
    void needsConsentWhenGrantedBeforeThenFalseUntilANewScopeIsAsked() {
        AuthorizationRequest readOnly = request("scope", "orders:read");
        authorizer.approve(alice, readOnly, true);
        assertFalse(authorizer.needsConsent(alice, readOnly));
        assertTrue(authorizer.needsConsent(alice, request()));
        authorizer.approve(alice, request(), true);
        assertFalse(authorizer.needsConsent(alice, readOnly));
        assertFalse(authorizer.needsConsent(alice, request()));
        assertEquals(Set.of("orders:read", "orders:write"), server.storage().consents().find("alice", "partner-app"));
    }

    @Test
    void needsConsentWhenAnotherUserGrantedThenStillTrue() {
        authorizer.approve(alice, request(), true);
        assertTrue(authorizer.needsConsent(new AuthenticatedUser("bob", Map.of()), request()));
    }

    @Test
    void approveWhenNotConsentedOnThePageThenRemembersNothing() {
        authorizer.approve(alice, request(), false);
        assertTrue(server.storage().consents().find("alice", "partner-app").isEmpty());
    }

    @Test
    void approveThenRedirectsWithCodeStateAndIssuer() {
        Map<String, String> q = query(authorizer.approve(alice, request(), true));
        assertEquals("af0ifjsldkj", q.get("state"));
        assertEquals("https://auth.example.com", q.get("iss"));
        assertTrue(q.get("code").matches("[A-Za-z0-9_-]{43}"), "256 random bits, base64url: " + q.get("code"));
    }

    @Test
    void approveThenStoresOnlyTheCodesHashWithTheRequestAndTheConfiguredLifetime() {
        String code = query(authorizer.approve(alice, request(), true)).get("code");
        assertTrue(server.storage().authorizationCodes().consume(code).isEmpty(), "the raw code is no key of the store");
        Redemption r = server.storage().authorizationCodes().consume(Hashes.sha256(code)).orElseThrow();
        AuthorizationCodeRecord rec = r.code();
        assertEquals("partner-app", rec.clientId());
        assertEquals("alice", rec.subject());
        assertEquals("https://partner.example.com/callback", rec.redirectUri());
        assertEquals(Set.of("orders:read", "orders:write"), rec.scopes());
        assertEquals(AuthorizationRequestTest.CHALLENGE, rec.codeChallenge());
        assertEquals("S256", rec.codeChallengeMethod());
        assertEquals(Map.of("department", "sales"), rec.claims());
        assertEquals(clock.instant().plusSeconds(60), rec.expiresAt());
    }

    @Test
    void approveWhenRedirectUriOmittedThenRecordHasNone() {
        Map<String, List<String>> m = AuthorizationRequestTest.valid();
        m.put("client_id", List.of("mobile-app"));
        m.remove("redirect_uri");
        m.put("scope", List.of("orders:read"));
        String location = authorizer.approve(alice, authorizer.parse(m), true);
        assertTrue(location.startsWith("http://127.0.0.1:7777/cb?code="));
        String code = query(location).get("code");
        assertNull(server.storage().authorizationCodes().consume(Hashes.sha256(code)).orElseThrow().code().redirectUri());
    }

    @Test
    void approveWhenRedirectUriHasAQueryThenKeepsIt() {
        String location = authorizer.approve(alice, request("redirect_uri", "https://partner.example.com/other?tab=1"), true);
        assertTrue(location.startsWith("https://partner.example.com/other?tab=1&code="), location);
    }

    @Test
    void denyThenRedirectsAccessDeniedWithState() {
        Map<String, String> q = query(authorizer.deny(request()));
        assertEquals("access_denied", q.get("error"));
        assertEquals("af0ifjsldkj", q.get("state"));
        assertEquals("https://auth.example.com", q.get("iss"));
        assertTrue(q.containsKey("error_description"));
        assertFalse(q.containsKey("code"));
    }

    @Test
    void errorLocationWhenStateHasSpecialCharactersThenReturnsItUnchanged() {
        String state = "a b&c=d/é?%20";
        AuthorizationException e = assertThrows(AuthorizationException.class, () -> {
            Map<String, List<String>> m = AuthorizationRequestTest.valid();
            m.put("state", List.of(state));
            m.put("response_type", List.of("token"));
            authorizer.parse(m);
        });
        Map<String, String> q = query(authorizer.errorLocation(e));
        assertEquals(state, q.get("state"));
        assertEquals("unsupported_response_type", q.get("error"));
    }

    @Test
    void errorLocationWhenErrorIsShownToUserThenRefusesToBuildOne() {
        AuthorizationException e = AuthorizationException.shownToUser(OAuthException.invalidRequest("x"));
        assertThrows(IllegalArgumentException.class, () -> authorizer.errorLocation(e));
    }

    @Test
    void describeScopeWhenConfiguredThenWordsElseTheScope() {
        assertEquals("Read your orders", authorizer.describeScope("orders:read"));
        assertEquals("profile", authorizer.describeScope("profile"));
    }
}
