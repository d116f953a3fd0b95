package dev.oauthlet.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Generated secrets: 256 random bits, stored as {@code sha256$}, never taken for a PBKDF2 hash. */
class SecretHasherTest {

    @Test
    void generateSecretWhenCalledTwiceThenTwoDifferent256BitValues() {
        String a = SecretHasher.generateSecret();
        String b = SecretHasher.generateSecret();

        assertEquals(32, Base64.getUrlDecoder().decode(a).length);
        assertNotEquals(a, b);
    }

    @Test
    void matchesWhenGeneratedHashThenOnlyThatSecretMatches() {
        String secret = SecretHasher.generateSecret();
        String hash = SecretHasher.hashGenerated(secret);

        assertTrue(hash.startsWith("sha256$"));
        assertTrue(SecretHasher.matches(secret, hash));
        assertFalse(SecretHasher.matches(secret + "x", hash));
        assertFalse(SecretHasher.matches(secret, "sha256$" + Hashes.sha256("other")));
    }

    @Test
    void isHashWhenEitherKindThenTrueAndIsPbkdf2HashOnlyForTheSlowKind() {
        String generated = SecretHasher.hashGenerated(SecretHasher.generateSecret());
        String chosen = new SecretHasher(1_000).hash("chosen");

        assertTrue(SecretHasher.isHash(generated));
        assertTrue(SecretHasher.isHash(chosen));
        assertFalse(SecretHasher.isPbkdf2Hash(generated));
        assertTrue(SecretHasher.isPbkdf2Hash(chosen));
        assertFalse(SecretHasher.isHash("sha256$tooShort"));
    }

    @Test
    void iterationsWhenPbkdf2HashThenItsCostAndOtherwiseZero() {
        assertEquals(1_000, SecretHasher.iterations(new SecretHasher(1_000).hash("s")));
        assertEquals(SecretHasher.DEFAULT_ITERATIONS, SecretHasher.iterations(new SecretHasher().hash("s")));
        assertEquals(0, SecretHasher.iterations(SecretHasher.hashGenerated(SecretHasher.generateSecret())));
        assertEquals(0, SecretHasher.iterations("pbkdf2-sha256$x$y$z"));
        assertEquals(0, SecretHasher.iterations(null));
    }

    /**
     * The equal-time run costs what the hashes of this server cost: with 1,000-iteration hashes an
     * unknown user's refusal must not take 600 times a wrong password's (a timing oracle the other
     * way round, and a cheap way to burn the server's CPU).
     */
    @Test
    void spendEqualTimeWhenCostGivenThenRunsThatCostNotTheDefault() {
        SecretHasher.spendEqualTime("warm", 1_000);
        SecretHasher.spendEqualTime("warm");
        long cheap = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            long t0 = System.nanoTime();
            SecretHasher.spendEqualTime("guess" + i, 1_000);
            cheap = Math.min(cheap, System.nanoTime() - t0);
        }
        long t0 = System.nanoTime();
        SecretHasher.spendEqualTime("guess");
        long full = System.nanoTime() - t0;
        long cheapest = cheap;
        assertTrue(cheapest * 20 < full, () -> "1,000 iterations took " + cheapest + " ns, the default " + full + " ns");
    }
}
