package dev.oauthlet.dpop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** RFC 9449 §4.3, check by check, with proofs made as a client makes them. */
class DpopProofVerifierTest {

    private static final String URL = "https://as.example.com/oauth/token";
    private static final KeyPair KEY = DpopProofs.ecKey();
    private static final KeyPair RSA = DpopProofs.rsaKey();

    private final Map<String, Instant> used = new ConcurrentHashMap<>();
    private final DpopProofVerifier verifier = new DpopProofVerifier(Duration.ofMinutes(5), Duration.ofSeconds(60),
            (key, until) -> used.putIfAbsent(key, until) == null, null, Clock.systemUTC());

    private DpopProof verify(String proof) {
        return verifier.verify(proof, "POST", List.of(URI.create(URL)), null);
    }

    private static String refusal(Runnable r) {
        return assertThrows(DpopException.class, r::run).getMessage();
    }

    @Test
    void verifyWhenProofValidThenReturnsThumbprintOfItsKey() {
        DpopProof p = verify(DpopProofs.proof(KEY, "POST", URL));

        assertEquals(DpopProofs.thumbprint(KEY), p.jkt());
        assertEquals("POST", p.htm());
    }

    @Test
    void verifyWhenRsaProofThenAccepted() {
        assertEquals(DpopProofs.thumbprint(RSA), verify(DpopProofs.proof(RSA, "POST", URL)).jkt());
    }

    @Test
    void verifyWhenJtiReusedThenRefused() {
        String proof = DpopProofs.proof(KEY, "POST", URL);
        verify(proof);

        assertEquals("the DPoP proof was used before", refusal(() -> verify(proof)));
    }

    @Test
    void verifyWhenProofRefusedForAnotherReasonThenItsJtiIsNotUsedUp() {
        Instant now = Instant.now();
        String wrongMethod = DpopProofs.builder(KEY, "GET", URL, now, null, null, "jti-1");
        refusal(() -> verify(wrongMethod));

        verify(DpopProofs.builder(KEY, "POST", URL, now, null, null, "jti-1"));
    }

    @Test
    void verifyWhenHtmDiffersThenRefused() {
        assertEquals("the DPoP proof's htm is not this request's method", refusal(() -> verify(DpopProofs.proof(KEY, "GET", URL))));
    }

    @Test
    void verifyWhenHtuDiffersThenRefused() {
        assertEquals("the DPoP proof's htu is not this request's URI",
                refusal(() -> verify(DpopProofs.proof(KEY, "POST", "https://as.example.com/oauth/other"))));
        refusal(() -> verify(DpopProofs.proof(KEY, "POST", "https://evil.example.com/oauth/token")));
        refusal(() -> verify(DpopProofs.proof(KEY, "POST", "http://as.example.com/oauth/token")));
    }

    @Test
    void verifyWhenHtuDiffersOnlyByNormalisationQueryOrFragmentThenAccepted() {
        verify(DpopProofs.proof(KEY, "POST", "HTTPS://AS.example.com:443/oauth/./token"));
        verify(DpopProofs.proof(KEY, "POST", URL + "?x=1"));
        verify(DpopProofs.proof(KEY, "POST", URL + "#f"));
    }

    @Test
    void verifyWhenIatTooOldOrInFutureThenRefused() {
        Instant now = Instant.now();
        assertEquals("the DPoP proof's iat is outside the accepted window",
                refusal(() -> verify(DpopProofs.proof(KEY, "POST", URL, now.minus(Duration.ofMinutes(7)), null, null))));
        refusal(() -> verify(DpopProofs.proof(KEY, "POST", URL, now.plus(Duration.ofMinutes(2)), null, null)));
        verify(DpopProofs.proof(KEY, "POST", URL, now.minus(Duration.ofMinutes(4)), null, null));
    }

    @Test
    void verifyWhenAccessTokenPresentedThenAthRequiredAndMatched() {
        List<URI> urls = List.of(URI.create("https://rs.example.com/api"));
        Instant now = Instant.now();

        verifier.verify(DpopProofs.proof(KEY, "GET", "https://rs.example.com/api", now, "token-a", null), "GET", urls, "token-a");
        assertEquals("the DPoP proof lacks ath, the access token's hash", refusal(() -> verifier.verify(
                DpopProofs.proof(KEY, "GET", "https://rs.example.com/api"), "GET", urls, "token-a")));
        assertEquals("the DPoP proof's ath does not match the access token", refusal(() -> verifier.verify(
                DpopProofs.proof(KEY, "GET", "https://rs.example.com/api", now, "token-b", null), "GET", urls, "token-a")));
    }

    @Test
    void verifyWhenTypIsNotDpopJwtThenRefused() {
        Map<String, Object> header = new LinkedHashMap<>(Map.of("alg", "RS256", "typ", "JWT", "jwk", DpopProofs.rsaJwk(RSA, false)));
        assertEquals("the DPoP proof's typ is not dpop+jwt", refusal(() -> verify(DpopProofs.rawRs256(RSA, header, claims()))));
    }

    @Test
    void verifyWhenJwkHoldsPrivateKeyThenRefused() {
        Map<String, Object> header = Map.of("alg", "RS256", "typ", "dpop+jwt", "jwk", DpopProofs.rsaJwk(RSA, true));
        assertEquals("the DPoP proof's jwk holds a private key", refusal(() -> verify(DpopProofs.rawRs256(RSA, header, claims()))));
    }

    @Test
    void verifyWhenSignedByAnotherKeyThanItsJwkThenRefused() {
        KeyPair other = DpopProofs.rsaKey();
        Map<String, Object> header = Map.of("alg", "RS256", "typ", "dpop+jwt", "jwk", DpopProofs.rsaJwk(other, false));
        assertEquals("the DPoP proof is not a valid signed JWT", refusal(() -> verify(DpopProofs.rawRs256(RSA, header, claims()))));
    }

    @Test
    void verifyWhenAlgNoneOrHmacThenRefused() {
        String unsigned = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"alg\":\"none\",\"typ\":\"dpop+jwt\"}".getBytes()) + "." + java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(dev.oauthlet.protocol.Json.write(claims()).getBytes()) + ".";
        refusal(() -> verify(unsigned));
        Map<String, Object> hs = Map.of("alg", "HS256", "typ", "dpop+jwt", "jwk", Map.of("kty", "oct", "k", "c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0"));
        refusal(() -> verify(DpopProofs.rawRs256(RSA, hs, claims())));
    }

    @Test
    void verifyWhenNoJwkThenRefused() {
        Map<String, Object> header = Map.of("alg", "RS256", "typ", "dpop+jwt");
        refusal(() -> verify(DpopProofs.rawRs256(RSA, header, claims())));
    }

    @Test
    void verifyWhenClaimMissingThenRefused() {
        Map<String, Object> header = Map.of("alg", "RS256", "typ", "dpop+jwt", "jwk", DpopProofs.rsaJwk(RSA, false));
        Map<String, Object> claims = new LinkedHashMap<>(claims());
        claims.remove("jti");
        assertEquals("the DPoP proof lacks one of jti, htm, htu and iat", refusal(() -> verify(DpopProofs.rawRs256(RSA, header, claims))));
    }

    @Test
    void verifyWhenTwoProofsJoinedThenRefused() {
        String proof = DpopProofs.proof(KEY, "POST", URL);
        assertEquals("the request carries more than one DPoP proof", refusal(() -> verify(proof + ", " + proof)));
    }

    @Test
    void verifyWhenGarbageThenRefused() {
        refusal(() -> verify("not-a-jwt"));
        refusal(() -> verify(""));
        refusal(() -> verify(null));
    }

    @Test
    void verifyWhenNonceRequiredThenUseNonceUntilTheCurrentOneIsSent() {
        DpopNonces nonces = DpopNonces.random(Duration.ofMinutes(1), Clock.systemUTC());
        DpopProofVerifier withNonce = new DpopProofVerifier(Duration.ofMinutes(5), Duration.ofSeconds(60),
                (key, until) -> used.putIfAbsent(key, until) == null, nonces, Clock.systemUTC());
        List<URI> urls = List.of(URI.create(URL));

        DpopException missing = assertThrows(DpopException.class, () -> withNonce.verify(DpopProofs.proof(KEY, "POST", URL), "POST", urls, null));
        assertTrue(missing.useNonce());
        DpopException stale = assertThrows(DpopException.class, () -> withNonce.verify(
                DpopProofs.proof(KEY, "POST", URL, Instant.now(), null, "made-up"), "POST", urls, null));
        assertTrue(stale.useNonce());
        withNonce.verify(DpopProofs.proof(KEY, "POST", URL, Instant.now(), null, nonces.current()), "POST", urls, null);
    }

    @Test
    void isValidWhenNonceOfPreviousPeriodThenAcceptedAndOlderRefused() {
        Instant start = Instant.parse("2026-12-01T10:00:00Z");
        byte[] key = "k".getBytes();
        String old = new DpopNonces(() -> key, Duration.ofMinutes(1), Clock.fixed(start, ZoneOffset.UTC)).current();

        assertTrue(new DpopNonces(() -> key, Duration.ofMinutes(1), Clock.fixed(start.plusSeconds(61), ZoneOffset.UTC)).isValid(old));
        assertFalse(new DpopNonces(() -> key, Duration.ofMinutes(1), Clock.fixed(start.plusSeconds(121), ZoneOffset.UTC)).isValid(old));
        assertFalse(new DpopNonces(() -> "other".getBytes(), Duration.ofMinutes(1), Clock.fixed(start, ZoneOffset.UTC)).isValid(old));
    }

    private static Map<String, Object> claims() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("jti", java.util.UUID.randomUUID().toString());
        c.put("htm", "POST");
        c.put("htu", URL);
        c.put("iat", Instant.now().getEpochSecond());
        return c;
    }
}
