package dev.oauthlet.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oauthlet.MutableClock;
import dev.oauthlet.internal.memory.MemoryStorage;
import dev.oauthlet.key.KeyManager;
import dev.oauthlet.key.KeySets;
import dev.oauthlet.key.SigningAlgorithm;
import dev.oauthlet.spi.SigningKeyStore;
import io.jsonwebtoken.Claims;
import io.jsonwebtoken.Jwts;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.junit.jupiter.api.Test;

/** ID tokens: what they say, that only RS256 signs them, at_hash, and reading an id_token_hint back. */
class IdTokensTest {

    private static final String ISSUER = "https://auth.example.com";
    private static final Duration OVERLAP = Duration.ofHours(2);

    private final MutableClock clock = MutableClock.startingNow();
    private final SigningKeyStore store = new MemoryStorage().signingKeys();
    private final KeyManager rsa = new KeyManager(KeySets.idTokens(store), SigningAlgorithm.RS256, null, OVERLAP, clock);
    private final IdTokens idTokens = new IdTokens(ISSUER, rsa, clock);

    private Claims claims(String jwt) {
        return Jwts.parser().verifyWith((java.security.PublicKey) rsa.current().publicKey()).clock(() -> Date.from(clock.instant())).build()
                .parseSignedClaims(jwt).getPayload();
    }

    @Test
    void signWhenCodeGrantThenCoreClaimsNonceAndAtHash() {
        Instant signedIn = clock.instant().minusSeconds(30);
        String jwt = idTokens.sign(new IdTokens.Request("rp-app", "u-1001", signedIn, "n-0S6", "access-token", Duration.ofMinutes(10)));

        Claims c = claims(jwt);
        assertEquals(ISSUER, c.getIssuer());
        assertEquals("u-1001", c.getSubject());
        assertEquals(java.util.Set.of("rp-app"), c.getAudience());
        assertEquals(signedIn.getEpochSecond(), ((Number) c.get("auth_time")).longValue());
        assertEquals("n-0S6", c.get("nonce"));
        assertEquals(IdTokens.atHash("access-token"), c.get("at_hash"));
        assertEquals(600, (c.getExpiration().getTime() - c.getIssuedAt().getTime()) / 1000);
    }

    @Test
    void signWhenTheSignInIsKnownThenAcrAndAmrElseNeither() {
        String known = idTokens.sign(new IdTokens.Request("rp-app", "u-1001", clock.instant(), null, "at", Duration.ofMinutes(5),
                dev.oauthlet.user.SignInContext.password().then(dev.oauthlet.user.SignInContext.methods("otp"))));
        assertEquals("2", claims(known).get("acr"));
        assertEquals(java.util.List.of("pwd", "otp", "mfa"), claims(known).get("amr"));
        Claims unknown = claims(idTokens.sign(new IdTokens.Request("rp-app", "u-1001", clock.instant(), null, "at", Duration.ofMinutes(5))));
        assertNull(unknown.get("acr"));
        assertNull(unknown.get("amr"));
    }

    /** OpenID Connect Core 1.0 Appendix A.3: the access token and at_hash of the RS256 example. */
    @Test
    void atHashWhenCoreExampleThenTheSpecValue() {
        assertEquals("77QmUPtjPfzWtF2AnpK9RQ", IdTokens.atHash("jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y"));
    }

    @Test
    void signWhenRefreshThenNoNonce() {
        String jwt = idTokens.sign(new IdTokens.Request("rp-app", "u-1001", clock.instant(), null, "at", Duration.ofMinutes(5)));
        assertNull(claims(jwt).get("nonce"));
    }

    @Test
    void signWhenKeysAreNotRs256ThenRefused() {
        IdTokens.Request r = new IdTokens.Request("rp-app", "u-1001", clock.instant(), null, "at", Duration.ofMinutes(5));
        KeyManager hmac = new KeyManager(new MemoryStorage().signingKeys(), SigningAlgorithm.HS256, null, OVERLAP, clock);
        assertThrows(IllegalStateException.class, () -> new IdTokens(ISSUER, hmac, clock).sign(r), "never an HS256 ID token");
        KeyManager ec = new KeyManager(new MemoryStorage().signingKeys(), SigningAlgorithm.ES256, null, OVERLAP, clock);
        assertThrows(IllegalStateException.class, () -> new IdTokens(ISSUER, ec, clock).sign(r));
    }

    @Test
    void readHintWhenExpiredThenStillRead() {
        String jwt = idTokens.sign(new IdTokens.Request("rp-app", "u-1001", clock.instant(), "n", "at", Duration.ofMinutes(5)));
        clock.advance(Duration.ofMinutes(30));

        IdTokens.Hint hint = idTokens.readHint(jwt).orElseThrow();
        assertEquals("u-1001", hint.subject());
        assertEquals("rp-app", hint.clientId());
    }

    @Test
    void readHintWhenAnotherIssuerOrTamperedOrAnAccessTokenThenEmpty() {
        IdTokens other = new IdTokens("https://other.example", rsa, clock);
        String foreign = other.sign(new IdTokens.Request("rp-app", "u-1001", clock.instant(), null, "at", Duration.ofMinutes(5)));
        assertTrue(idTokens.readHint(foreign).isEmpty(), "same keys, another issuer");
        clock.advance(Duration.ofHours(1));
        assertTrue(idTokens.readHint(foreign).isEmpty(), "expired, another issuer");

        String mine = idTokens.sign(new IdTokens.Request("rp-app", "u-1001", clock.instant(), null, "at", Duration.ofMinutes(5)));
        String[] parts = mine.split("\\.");
        String otherPayload = foreign.split("\\.")[1];
        assertNotEquals(parts[1], otherPayload);
        assertTrue(idTokens.readHint(parts[0] + "." + otherPayload + "." + parts[2]).isEmpty(), "tampered");
        assertTrue(idTokens.readHint("not.a.jwt").isEmpty());

        AccessToken at = new AccessToken(ISSUER, "u-1001", "rp-app", "rp-app", java.util.Set.of("openid"), "jti-1", clock.instant(),
                clock.instant().plusSeconds(60), java.util.Map.of());
        assertTrue(idTokens.readHint(new AccessTokenIssuer(rsa).sign(at)).isEmpty(), "an access token of the same keys is no ID token");
    }

    @Test
    void keySetsWhenBothInOneStoreThenNeitherRetiresTheOther() {
        KeyManager access = new KeyManager(KeySets.accessTokens(store), SigningAlgorithm.ES256, null, OVERLAP, clock);
        String idKid = rsa.current().kid();
        String accessKid = access.current().kid();

        access.rotate();
        rsa.reload();
        clock.advance(OVERLAP.plusMinutes(1));

        assertEquals(idKid, rsa.current().kid(), "rotating the access-token keys leaves the ID-token key signing");
        assertTrue(access.published().stream().noneMatch(k -> k.kid().equals(idKid)), "each set sees its own keys only");
        assertTrue(rsa.published().stream().allMatch(k -> k.algorithm() == SigningAlgorithm.RS256), "each set sees its own keys only");
        assertTrue(access.resolve(accessKid).isEmpty(), "the rotated access-token key is gone after the overlap");
    }
}
