package dev.oauthlet.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PkceTest {

    /** RFC 7636 Appendix B. */
    static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    static final String CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    @Test
    void s256WhenRfcExampleVerifierThenRfcExampleChallenge() {
        assertEquals(CHALLENGE, Pkce.s256(VERIFIER));
    }

    @Test
    void matchesWhenS256VerifierRightThenTrue() {
        assertTrue(Pkce.matches(VERIFIER, CHALLENGE, Pkce.S256));
    }

    @Test
    void matchesWhenS256VerifierWrongThenFalse() {
        assertFalse(Pkce.matches(VERIFIER.replace('d', 'e'), CHALLENGE, Pkce.S256));
    }

    @Test
    void matchesWhenVerifierIsTheChallengeItselfThenFalseForS256() {
        assertFalse(Pkce.matches(CHALLENGE, CHALLENGE, Pkce.S256));
    }

    @Test
    void matchesWhenPlainThenVerifierMustEqualChallenge() {
        assertTrue(Pkce.matches(VERIFIER, VERIFIER, Pkce.PLAIN));
        assertFalse(Pkce.matches(VERIFIER, CHALLENGE, Pkce.PLAIN));
    }

    @Test
    void matchesWhenVerifierTooShortOrWithForbiddenCharactersThenFalse() {
        String shortVerifier = VERIFIER.substring(0, 42);
        assertFalse(Pkce.matches(shortVerifier, shortVerifier, Pkce.PLAIN));
        String spaced = VERIFIER.substring(0, 42) + " ";
        assertFalse(Pkce.matches(spaced, spaced, Pkce.PLAIN));
        assertFalse(Pkce.isValidVerifier("a".repeat(129)));
        assertTrue(Pkce.isValidVerifier("a".repeat(128)));
    }

    @Test
    void isValidChallengeWhenS256ThenExactly43Base64urlCharacters() {
        assertTrue(Pkce.isValidChallenge(Pkce.S256, CHALLENGE));
        assertFalse(Pkce.isValidChallenge(Pkce.S256, CHALLENGE + "A"));
        assertFalse(Pkce.isValidChallenge(Pkce.S256, CHALLENGE.replace('-', '+')));
        assertFalse(Pkce.isValidChallenge("S512", CHALLENGE));
    }
}
