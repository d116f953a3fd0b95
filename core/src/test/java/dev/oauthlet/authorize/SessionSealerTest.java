package dev.oauthlet.authorize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oauthlet.MutableClock;
import dev.oauthlet.Oauthlet;
import dev.oauthlet.TestConfigs;
import dev.oauthlet.config.OauthletConfig;
import dev.oauthlet.internal.memory.MemoryStorage;
import dev.oauthlet.user.AuthenticatedUser;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SessionSealerTest {

    private static final OauthletConfig CONFIG = TestConfigs.load(TestConfigs.AUTHORIZATION_CODE);
    private final MutableClock clock = new MutableClock();

    private Oauthlet server(MemoryStorage storage) {
        return Oauthlet.builder().config(CONFIG).storage(storage).clock(clock).build();
    }

    @Test
    void openWhenSealedByThisServerThenSameSession() {
        try (Oauthlet server = server(new MemoryStorage())) {
            BrowserSession s = server.authorizer().signedInSession(new AuthenticatedUser("alice", Map.of("tenantId", "t-1")));
            BrowserSession opened = server.authorizer().sessions().open(server.authorizer().sessions().seal(s)).orElseThrow();
            assertEquals(s, opened);
            assertTrue(opened.isSignedIn());
        }
    }

    @Test
    void sealThenValueRevealsNeitherUserNorToken() {
        try (Oauthlet server = server(new MemoryStorage())) {
            BrowserSession s = server.authorizer().signedInSession(new AuthenticatedUser("alice", Map.of()));
            String sealed = server.authorizer().sessions().seal(s);
            assertFalse(sealed.contains("alice"));
            assertFalse(sealed.contains(s.csrfToken()));
            assertNotEquals(sealed, server.authorizer().sessions().seal(s), "a fresh IV every time");
        }
    }

    @Test
    void openWhenAnotherNodeSealedWithTheSharedStoreThenSameSession() {
        MemoryStorage shared = new MemoryStorage();
        try (Oauthlet first = server(shared); Oauthlet second = server(shared)) {
            BrowserSession s = first.authorizer().signedInSession(new AuthenticatedUser("alice", Map.of()));
            assertEquals(s, second.authorizer().sessions().open(first.authorizer().sessions().seal(s)).orElseThrow());
        }
    }

    @Test
    void openWhenServerHasOtherKeysThenEmpty() {
        try (Oauthlet a = server(new MemoryStorage()); Oauthlet b = server(new MemoryStorage())) {
            String sealed = a.authorizer().sessions().seal(a.authorizer().anonymousSession());
            assertTrue(b.authorizer().sessions().open(sealed).isEmpty());
        }
    }

    @Test
    void openWhenTamperedThenEmpty() {
        try (Oauthlet server = server(new MemoryStorage())) {
            String sealed = server.authorizer().sessions().seal(server.authorizer().anonymousSession());
            char last = sealed.charAt(sealed.length() - 5);
            String tampered = sealed.substring(0, sealed.length() - 5) + (last == 'A' ? 'B' : 'A') + sealed.substring(sealed.length() - 4);
            assertTrue(server.authorizer().sessions().open(tampered).isEmpty());
            assertTrue(server.authorizer().sessions().open("1.nokey.AAAA").isEmpty());
            assertTrue(server.authorizer().sessions().open("garbage").isEmpty());
            assertTrue(server.authorizer().sessions().open("").isEmpty());
        }
    }

    @Test
    void openWhenExpiredThenEmpty() {
        try (Oauthlet server = server(new MemoryStorage())) {
            String sealed = server.authorizer().sessions().seal(server.authorizer().anonymousSession());
            clock.advance(Duration.ofMinutes(59));
            assertTrue(server.authorizer().sessions().open(sealed).isPresent());
            clock.advance(Duration.ofMinutes(1));
            assertTrue(server.authorizer().sessions().open(sealed).isEmpty());
        }
    }

    @Test
    void openWhenSigningKeyRotatedThenOldSessionsStillOpenAndNewOnesToo() {
        try (Oauthlet server = server(new MemoryStorage())) {
            String sealed = server.authorizer().sessions().seal(server.authorizer().anonymousSession());
            server.rotateSigningKey();
            assertTrue(server.authorizer().sessions().open(sealed).isPresent(), "the retired key is still published");
            String fresh = server.authorizer().sessions().seal(server.authorizer().anonymousSession());
            assertTrue(server.authorizer().sessions().open(fresh).isPresent());
        }
    }

    @Test
    void openWhenAnotherNodeRotatedThenItsNewSessionsOpenHereToo() throws Exception {
        MemoryStorage shared = new MemoryStorage();
        try (Oauthlet first = server(shared); Oauthlet second = server(shared)) {
            first.rotateSigningKey();
            clock.advance(java.time.Duration.ofSeconds(2));
            String sealed = first.authorizer().sessions().seal(first.authorizer().anonymousSession());
            assertTrue(second.authorizer().sessions().open(sealed).isPresent());
        }
    }

    @Test
    void openWhenAnotherNodeRotatedJustNowThenSessionsItSealsBeforeAndAfterOpenHere() {
        MemoryStorage shared = new MemoryStorage();
        try (Oauthlet first = server(shared); Oauthlet second = server(shared)) {
            String before = second.authorizer().sessions().seal(second.authorizer().anonymousSession());
            first.rotateSigningKey();
            String after = first.authorizer().sessions().seal(first.authorizer().anonymousSession());
            // Past the one-second throttle on re-reading for an unknown kid, well within the periodic refresh.
            clock.advance(Duration.ofSeconds(2));

            assertTrue(first.authorizer().sessions().open(before).isPresent(), "sealed under the key just retired");
            assertTrue(second.authorizer().sessions().open(after).isPresent(), "sealed under a key this node has not loaded");
        }
    }

    @Test
    void acceptsCsrfTokenWhenDifferentOrMissingThenFalse() {
        BrowserSession s = BrowserSession.anonymous(clock.instant().plusSeconds(60));
        assertTrue(s.acceptsCsrfToken(s.csrfToken()));
        assertFalse(s.acceptsCsrfToken(null));
        assertFalse(s.acceptsCsrfToken(""));
        assertFalse(s.acceptsCsrfToken(s.csrfToken() + "x"));
    }

    @Test
    void signedInWhenCreatedThenCsrfTokenChanges() {
        BrowserSession before = BrowserSession.anonymous(clock.instant().plusSeconds(60));
        BrowserSession after = BrowserSession.signedIn(new AuthenticatedUser("alice", Map.of()), clock.instant().plusSeconds(60));
        assertFalse(after.acceptsCsrfToken(before.csrfToken()));
    }
}
